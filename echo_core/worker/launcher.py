"""`serve`: the dashboard and the worker side by side, stopped together, no orphans.

Two child processes: `streamlit run serve.py` (app.py plus the session-cookie route) and `python -m echo_core
worker`, each in a process group of its own. Ctrl+C or SIGTERM to the launcher sends each child one SIGTERM,
waits for them, and kills what is left after a grace period. On Linux each child also gets PR_SET_PDEATHSIG,
so even a launcher killed with -9 takes them along.
A worker that dies is restarted (with a growing pause); if the dashboard exits, so does the worker.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from echo_core.config import PROJECT_ROOT

STOP_GRACE_SECONDS = 70.0  # the worker's own grace (60 s) plus a little


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the launcher dies, however it dies (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: Ctrl+C still reaches the whole process group


@dataclass
class Child:
    name: str
    command: list[str]
    restart: bool
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0

    def start(self) -> None:
        # A process group of its own: Ctrl+C reaches the launcher only, which forwards one SIGTERM (a
        # second signal would make the worker leave without finishing its item).
        self.process = subprocess.Popen(self.command, cwd=PROJECT_ROOT, process_group=0,
                                        preexec_fn=_die_with_parent)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def commands(*, port: int, address: str | None, worker: bool) -> list[Child]:
    streamlit = [sys.executable, "-m", "streamlit", "run", str(Path(PROJECT_ROOT) / "serve.py"),
                 "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if address:
        streamlit += ["--server.address", address]
    children = [Child("dashboard", streamlit, restart=False)]
    if worker:
        children.append(Child("worker", [sys.executable, "-m", "echo_core", "worker"], restart=True))
    return children


@dataclass
class Launcher:
    children: list[Child]
    say: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))
    stopping: bool = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for child in self.children:
            child.start()
        code = 0
        while not self.stopping:
            time.sleep(0.2)
            for child in self.children:
                if child.running or child.process is None:
                    continue
                returncode = child.process.returncode
                if not child.restart:
                    self.say(f"serve: the {child.name} exited ({returncode}); stopping the rest")
                    self.stopping, code = True, returncode or 0
                elif time.monotonic() >= child.next_start:
                    child.restarts += 1
                    pause = min(60.0, 2.0 ** min(child.restarts, 6))
                    self.say(f"serve: the {child.name} exited ({returncode}); restarting it "
                             f"(next restart no sooner than in {pause:.0f} s)")
                    child.start()
                    child.next_start = time.monotonic() + pause
        self.stop()
        return code

    def stop(self) -> None:
        live = [c for c in self.children if c.running]
        for child in live:
            assert child.process is not None
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in live:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"serve: the {child.name} did not stop in time; killing it")
                child.process.kill()
                child.process.wait()

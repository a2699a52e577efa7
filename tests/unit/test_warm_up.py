"""The once-per-process warm-up: what the first broker would otherwise wait for is loaded at start."""

import gc
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys, pkgutil
import ui
from ui import resources
resources._warm_up()
missing = [m.name for m in pkgutil.iter_modules(ui.__path__) if f"ui.{m.name}" not in sys.modules]
print("missing", missing)
print("frozen", gc.get_freeze_count() > 10000)
print("pipeline", "echo_core.generation.pipeline" in sys.modules)
"""


def test_warm_up_imports_every_ui_module_and_the_pipeline_then_freezes_the_heap() -> None:
    assert gc.isenabled()
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    lines = done.stdout.splitlines()
    assert "missing []" in lines and "frozen True" in lines and "pipeline True" in lines, done.stdout

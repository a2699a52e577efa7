"""The app layer's registries: every cached loader is cleared by some change; commands are typed and named once."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from ui import analytics_data, changes, commands, deals_data, home_data, keyboard, mail_data, review_data, spaces_data

DATA_MODULES = (analytics_data, deals_data, home_data, mail_data, review_data, spaces_data)
NEVER_CHANGED_BY_AN_ACTION = {"spaces_data.load_choices"}  # cleared by SPACE_SAVED (checked below anyway)


def cached_loaders() -> dict[str, Any]:
    found = {}
    for module in DATA_MODULES:
        for name, value in vars(module).items():
            if hasattr(value, "clear") and callable(value) and not isinstance(value, type):
                found[f"{module.__name__.split('.')[-1]}.{name}"] = value
    return found


def cleared_by(change: changes.Change) -> set[int]:
    """ids of the loaders a change clears, found by running its clears against recording fakes."""
    touched: set[int] = set()
    for clear in changes.CHANGES[change]:
        cell_contents = [c.cell_contents for c in (clear.__closure__ or ())]
        touched |= {id(c) for c in cell_contents if hasattr(c, "clear")}
    return touched


def test_every_cached_loader_is_cleared_by_at_least_one_change() -> None:
    everything = set().union(*(cleared_by(c) for c in changes.Change))
    missing = [name for name, loader in cached_loaders().items() if id(loader) not in everything]
    assert not missing, f"no change clears {missing} — add it to ui/changes.py"


def test_every_change_has_an_entry_in_the_table() -> None:
    assert set(changes.CHANGES) == set(changes.Change)


def test_data_modules_do_not_import_each_other() -> None:
    for module in DATA_MODULES:
        source = inspect.getsource(module)
        others = [m.__name__ for m in DATA_MODULES if m is not module and m.__name__ in source]
        assert not others and "ImportError" not in source, (module.__name__, others)


@pytest.mark.parametrize("name", [n for n, f in vars(commands).items()
                                  if inspect.isfunction(f) and f.__module__ == commands.__name__
                                  and not n.startswith("_")])
def test_every_command_is_keyword_only_after_the_engine_and_returns_an_outcome(name: str) -> None:
    signature = inspect.signature(getattr(commands, name))
    params = list(signature.parameters.values())
    assert params[0].name == "engine"
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:]), name
    assert "Outcome" in str(signature.return_annotation)


def test_each_shortcut_key_does_one_thing() -> None:
    keys = [s.keys.lower() for s in keyboard.SHORTCUTS]
    assert len(keys) == len(set(keys))
    assert not {"c", "r"} & set(keys), "Streamlit reserves C and R"

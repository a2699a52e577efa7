"""The repository's Streamlit settings: the ones the speed work depends on stay set."""

import tomllib
from pathlib import Path

from streamlit import config as st_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_repository_turns_off_streamlits_collection_after_every_run() -> None:
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False


def test_the_repository_turns_off_magic_so_a_page_is_compiled_without_a_syntax_tree_rewrite() -> None:
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["magicEnabled"] is False


def test_streamlit_reads_the_setting_from_the_repository_root(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    st_config.get_config_options(force_reparse=True)
    try:
        assert st_config.get_option("runner.postScriptGC") is False
        assert st_config.get_option("runner.magicEnabled") is False
    finally:
        monkeypatch.undo()
        st_config.get_config_options(force_reparse=True)

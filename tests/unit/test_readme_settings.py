"""Docs that tests guard: every setting the code reads is in the README's configuration table."""

from __future__ import annotations

from echo_core.config import PROJECT_ROOT, Settings


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [field.alias for field in Settings.model_fields.values() if f"`{field.alias}`" not in readme]
    assert not missing, f"document these settings in README.md: {missing}"

"""Settings, database URLs and secret redaction."""

from __future__ import annotations

import pytest

from echo_core.config import Settings
from echo_core.db.server import normalize_url
from echo_core.errors import DatabaseUnavailable
from echo_core.redact import redact, safe_url


@pytest.mark.parametrize(
    "raw",
    [
        "postgresql://u:p@h:54422/db",
        "postgres://u:p@h:54422/db",
        "postgresql+psycopg://u:p@h:54422/db",
        "postgresql+psycopg2://u:p@h:54422/db",
    ],
)
def test_every_postgres_url_form_uses_psycopg_3(raw: str) -> None:
    assert normalize_url(raw) == "postgresql+psycopg://u:p@h:54422/db"


def test_a_non_postgres_url_is_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="PostgreSQL URL"):
        normalize_url("sqlite:///x.db")  # refused: PostgreSQL only


def test_safe_url_masks_the_password() -> None:
    assert "s3cret" not in safe_url("postgresql://u:s3cret@h/db")


def test_redact_removes_every_configured_secret() -> None:
    settings = Settings(DATABASE_URL="postgresql://u:dbpass99@h/db", OPENAI_API_KEY="sk-test-abcdef")
    text = "failed with sk-test-abcdef at postgresql://u:dbpass99@h/db"
    cleaned = redact(text, settings.secrets())
    assert "sk-test-abcdef" not in cleaned and "dbpass99" not in cleaned


def test_embedded_is_the_default_and_migrates_and_seeds() -> None:
    settings = Settings()
    assert settings.embedded and settings.should_auto_migrate and settings.should_seed_demo


def test_an_external_database_is_not_migrated_or_seeded_implicitly() -> None:
    settings = Settings(DATABASE_URL="postgresql://u:p@h/db")
    assert not settings.should_auto_migrate and not settings.should_seed_demo


def test_offline_is_the_default_provider_without_an_api_key() -> None:
    assert Settings(ECHO_PROVIDER=None).default_provider == "offline"
    assert Settings(ECHO_PROVIDER=None, OPENAI_API_KEY="sk-x").default_provider == "openai"

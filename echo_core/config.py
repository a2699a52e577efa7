"""One settings object for the whole process, read from the environment.

Streamlit's `.streamlit/secrets.toml` root-level keys are exported to the
environment by Streamlit itself, so the same names work there.

A value that does not parse never becomes a traceback: `get_settings()` raises `InvalidSetting` (exit 2)
with one line naming the variable, the bad value (hidden for secrets) and the form expected.
"""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from echo_core.errors import InvalidInput

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    database_url: SecretStr | None = Field(default=None, alias="DATABASE_URL")
    # Production (issue 6): migrations run as the owner role; DATABASE_URL is the app's role, which owns nothing.
    migration_database_url: SecretStr | None = Field(default=None, alias="ECHO_MIGRATION_DATABASE_URL")
    data_dir: Path = Field(default=PROJECT_ROOT / ".echo", alias="ECHO_DATA_DIR")
    database_name: str = Field(default="echo", alias="ECHO_DATABASE_NAME")
    auto_migrate: bool | None = Field(default=None, alias="ECHO_AUTO_MIGRATE")
    seed_demo: bool | None = Field(default=None, alias="ECHO_SEED_DEMO")

    agent_email: str = Field(default="agent@tandem.space", alias="ECHO_AGENT_EMAIL")
    refine_limit: int = Field(default=3, ge=0, alias="ECHO_REFINE_LIMIT")
    refine_cooldown_hours: float = Field(default=24.0, ge=0, alias="ECHO_REFINE_COOLDOWN_HOURS")

    # Time saved (issue 11): the by-hand model behind ai_metadata.timeSaved.traditional (README "Time saved").
    time_saved_read_wpm: float = Field(default=200.0, gt=0, alias="ECHO_TIME_SAVED_READ_WPM")
    time_saved_write_wpm: float = Field(default=20.0, gt=0, alias="ECHO_TIME_SAVED_WRITE_WPM")

    provider: Literal["offline", "openai"] | None = Field(default=None, alias="ECHO_PROVIDER")
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    openai_model: str = Field(default="gpt-4o-mini", alias="OPENAI_MODEL")
    openai_timeout_seconds: float = Field(default=30.0, gt=0, alias="OPENAI_TIMEOUT")
    openai_max_retries: int = Field(default=2, ge=0, le=10, alias="OPENAI_MAX_RETRIES")
    # Issue 17: structured-output rung (auto = detect per server and remember), and the token limits of every call.
    openai_structured: Literal["auto", "json_schema", "json_object", "prompt"] = Field(
        default="auto", alias="OPENAI_STRUCTURED")
    openai_max_tokens: int = Field(default=1500, ge=64, le=32_000, alias="OPENAI_MAX_TOKENS")
    openai_critique_max_tokens: int = Field(default=300, ge=32, le=8_000, alias="OPENAI_CRITIQUE_MAX_TOKENS")
    openai_temperature: float = Field(default=0.2, ge=0, le=2, alias="OPENAI_TEMPERATURE")
    openai_self_critique: bool = Field(default=True, alias="ECHO_SELF_CRITIQUE")

    # Mail (issue 7): inbound auto-drafting, IMAP credentials, SMTP delivery and its retry policy.
    auto_draft: bool = Field(default=False, alias="ECHO_AUTO_DRAFT")
    imap_user: str | None = Field(default=None, alias="ECHO_IMAP_USER")
    imap_password: SecretStr | None = Field(default=None, alias="ECHO_IMAP_PASSWORD")
    # Issue 14: OAuth2 (XOAUTH2) access tokens, given directly or printed by a command run at each connection.
    imap_oauth2_token: SecretStr | None = Field(default=None, alias="ECHO_IMAP_OAUTH2_TOKEN")
    imap_oauth2_token_cmd: str | None = Field(default=None, alias="ECHO_IMAP_OAUTH2_TOKEN_CMD")
    imap_poll_interval_seconds: float = Field(default=60.0, gt=0, alias="ECHO_IMAP_POLL_INTERVAL")
    imap_idle_seconds: float = Field(default=1500.0, gt=0, alias="ECHO_IMAP_IDLE_SECONDS")
    smtp_url: SecretStr | None = Field(default=None, alias="ECHO_SMTP_URL")
    smtp_user: str | None = Field(default=None, alias="ECHO_SMTP_USER")
    smtp_password: SecretStr | None = Field(default=None, alias="ECHO_SMTP_PASSWORD")
    smtp_oauth2_token: SecretStr | None = Field(default=None, alias="ECHO_SMTP_OAUTH2_TOKEN")
    smtp_oauth2_token_cmd: str | None = Field(default=None, alias="ECHO_SMTP_OAUTH2_TOKEN_CMD")
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, alias="ECHO_SMTP_TIMEOUT")
    mail_max_attempts: int = Field(default=6, ge=1, alias="ECHO_MAIL_MAX_ATTEMPTS")
    mail_retry_base_seconds: float = Field(default=60.0, ge=0, alias="ECHO_MAIL_RETRY_BASE_SECONDS")
    mail_retry_max_seconds: float = Field(default=3600.0, ge=0, alias="ECHO_MAIL_RETRY_MAX_SECONDS")
    mail_lease_seconds: float = Field(default=300.0, gt=0, alias="ECHO_MAIL_LEASE_SECONDS")

    # Running it for real (issue 16): the worker's duties, the daily backup, TLS to the database.
    imap_url: str | None = Field(default=None, alias="ECHO_IMAP_URL")
    imap_folder: str | None = Field(default=None, alias="ECHO_IMAP_FOLDER")
    worker_deliver_seconds: float = Field(default=1.0, gt=0, alias="ECHO_WORKER_DELIVER_SECONDS")
    worker_poll_seconds: float = Field(default=60.0, gt=0, alias="ECHO_WORKER_POLL_SECONDS")
    worker_draft_seconds: float = Field(default=5.0, gt=0, alias="ECHO_WORKER_DRAFT_SECONDS")
    backup_enabled: bool = Field(default=True, alias="ECHO_BACKUP_ENABLED")
    backup_time: str = Field(default="03:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", alias="ECHO_BACKUP_TIME")
    backup_timezone: str = Field(default="UTC", alias="ECHO_BACKUP_TIMEZONE")
    backup_dir: Path | None = Field(default=None, alias="ECHO_BACKUP_DIR")
    backup_keep_days: int = Field(default=7, ge=1, alias="ECHO_BACKUP_KEEP_DAYS")
    backup_verify: bool = Field(default=True, alias="ECHO_BACKUP_VERIFY")
    database_require_tls: bool = Field(default=False, alias="ECHO_DATABASE_REQUIRE_TLS")
    pg_bin_dir: Path | None = Field(default=None, alias="ECHO_PG_BIN_DIR")

    # Dashboard sessions (issue 12): a signed, expiring token in an HttpOnly cookie, checked against web_sessions.
    # Without ECHO_SESSION_SECRET a random key is generated once into ECHO_DATA_DIR/session-secret.
    session_secret: SecretStr | None = Field(default=None, alias="ECHO_SESSION_SECRET")
    session_hours: float = Field(default=12.0, gt=0, le=24 * 90, alias="ECHO_SESSION_HOURS")
    session_idle_minutes: float = Field(default=120.0, gt=0, alias="ECHO_SESSION_IDLE_MINUTES")
    # None: Secure when the request came over https (directly or per X-Forwarded-Proto).
    session_cookie_secure: bool | None = Field(default=None, alias="ECHO_SESSION_COOKIE_SECURE")

    # Row-level security (issue 15): `own` limits a broker to the deals they own (and those deals' emails and
    # drafts) inside PostgreSQL; `team` (the default) lets every broker see the team's deals.
    broker_scope: Literal["team", "own"] = Field(default="team", alias="ECHO_BROKER_SCOPE")

    @field_validator("database_url", "migration_database_url", "session_secret", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("database_url", "migration_database_url", "smtp_url")
    @classmethod
    def _parseable_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            check_url(value.get_secret_value())
        return value

    @field_validator("backup_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone name such as Europe/Berlin or UTC") from None
        return value

    @property
    def backups_directory(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def should_auto_migrate(self) -> bool:
        return self.embedded if self.auto_migrate is None else self.auto_migrate

    @property
    def should_seed_demo(self) -> bool:
        return self.embedded if self.seed_demo is None else self.seed_demo

    @property
    def default_provider(self) -> Literal["offline", "openai"]:
        if self.provider is not None:
            return self.provider
        return "openai" if self.openai_api_key else "offline"

    def secrets(self) -> list[str]:
        """Every configured secret value, for redaction."""
        from echo_core.redact import password_of_url

        values: list[str] = []
        if self.openai_api_key:
            values.append(self.openai_api_key.get_secret_value())
        if self.openai_base_url:
            with suppress(ValueError):  # a proxy URL may carry credentials: https://user:secret@host/v1
                values.append(urlsplit(self.openai_base_url).password or "")
        for url in (self.database_url, self.migration_database_url):
            password = password_of_url(url.get_secret_value()) if url else None
            if password:
                values.append(password)
        for secret in (self.imap_password, self.smtp_password, self.imap_oauth2_token, self.smtp_oauth2_token,
                       self.session_secret):
            if secret:
                values.append(secret.get_secret_value())
        if self.smtp_url:
            password = password_of_url(self.smtp_url.get_secret_value())
            if password:
                values.append(password)
        return [v for v in values if v]


class InvalidSetting(InvalidInput):
    """An environment variable (or secrets.toml key) that does not parse."""


_EXAMPLES = {
    "DATABASE_URL": "postgresql://USER:PASSWORD@HOST:5432/DATABASE",
    "ECHO_MIGRATION_DATABASE_URL": "postgresql://OWNER:PASSWORD@HOST:5432/DATABASE",
    "ECHO_SMTP_URL": "smtps://USER:PASSWORD@smtp.example.com:465",
    "ECHO_BACKUP_TIME": "HH:MM, e.g. 03:00",
}


def check_url(raw: str) -> None:
    """ValueError (never quoting the URL: it may hold a password) unless `raw` parses with a numeric port."""
    try:
        parts = urlsplit(raw.strip())
        port = parts.port  # ValueError for a port that is not a number in 0-65535
    except ValueError:
        raise ValueError("the port is not a number from 1 to 65535") from None
    if not parts.scheme:
        raise ValueError("it is not a URL (no scheme://)")
    if port == 0:
        raise ValueError("the port is not a number from 1 to 65535")


def _expected(field: str, message: str) -> str:
    message = message.removeprefix("Value error, ")
    for prefix, replacement in (("Input should be ", "expected "), ("String should match pattern ", "expected ")):
        if message.startswith(prefix):
            message = replacement + message[len(prefix):]
    message = message.replace("expected a valid integer", "expected a whole number").replace(
        "expected a valid number", "expected a number").replace(
        "expected a valid boolean", "expected true or false")
    message = message.split(", unable to")[0]
    for bound in ("greater", "less"):
        message = message.replace(f"expected {bound}", f"expected a number {bound}")
    if field in _EXAMPLES:
        message = f"expected {_EXAMPLES[field]}" if message.startswith("expected '^") else \
            f"{message} (form: {_EXAMPLES[field]})"
    return message


def describe_settings_error(error: ValidationError) -> str:
    """One line for the first setting that does not parse: its name, its value (unless secret), the form."""
    first = error.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "a setting"
    secret = any(info.alias == field and info.annotation is not None and "SecretStr" in str(info.annotation)
                 for info in Settings.model_fields.values())
    raw = first.get("input")
    shown = "(hidden: it is a secret)" if secret or not isinstance(raw, str) else repr(raw[:60])
    more = len(error.errors()) - 1
    also = f" ({more} more setting{'s' if more > 1 else ''} also fail)" if more else ""
    return (f"The setting {field}={shown} is not valid: {_expected(field, str(first.get('msg', '')))} — fix or "
            f"unset the environment variable (or its key in .streamlit/secrets.toml){also}.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise InvalidSetting(describe_settings_error(error)) from None


def reload_settings() -> Settings:
    get_settings.cache_clear()
    return get_settings()

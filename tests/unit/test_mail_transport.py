"""Delivery configuration: SMTP URLs, credentials from the environment, secrets redacted, retry policy."""

from __future__ import annotations

import pytest

from echo_core.config import Settings
from echo_core.errors import MailConfigInvalid
from echo_core.mail.transport import FileTransport, SmtpTransport, smtp_target, transport_from_settings
from echo_core.mail.worker import RetryPolicy


@pytest.mark.parametrize(
    ("url", "security", "port"),
    [
        ("smtp://127.0.0.1:2525", "plain", 2525),
        ("smtp://mail.example", "plain", 25),
        ("smtp+starttls://mail.example", "starttls", 587),
        ("smtps://mail.example", "ssl", 465),
    ],
)
def test_smtp_urls_choose_the_security_and_default_port(url: str, security: str, port: int) -> None:
    target = smtp_target(url, Settings())
    assert (target.security, target.port, target.host) == (security, port, url.split("//")[1].split(":")[0])


def test_credentials_from_the_environment_win_over_the_url() -> None:
    settings = Settings(ECHO_SMTP_USER="env-user", ECHO_SMTP_PASSWORD="env-secret")
    target = smtp_target("smtps://url-user:url-secret@mail.example", settings)
    assert (target.user, target.password) == ("env-user", "env-secret")
    assert smtp_target("smtps://u%40x:p%3Aw@mail.example", Settings()).password == "p:w"


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://host:notaport"])
def test_an_unusable_smtp_url_is_a_readable_error(url: str) -> None:
    with pytest.raises(MailConfigInvalid, match="ECHO_SMTP_URL"):
        smtp_target(url, Settings())


def test_without_an_smtp_url_replies_go_to_eml_files_in_the_data_directory(tmp_path: object) -> None:
    assert isinstance(transport_from_settings(Settings(ECHO_DATA_DIR=str(tmp_path))), FileTransport)
    assert isinstance(transport_from_settings(Settings(ECHO_SMTP_URL="smtp://h:25")), SmtpTransport)


def test_smtp_and_imap_secrets_are_redacted() -> None:
    settings = Settings(ECHO_SMTP_URL="smtps://u:url-pass@h", ECHO_SMTP_PASSWORD="smtp-pass",
                        ECHO_IMAP_PASSWORD="imap-pass", ECHO_IMAP_OAUTH2_TOKEN="imap-token",
                        ECHO_SMTP_OAUTH2_TOKEN="smtp-token")
    assert {"url-pass", "smtp-pass", "imap-pass", "imap-token", "smtp-token"} <= set(settings.secrets())


def test_the_lease_must_outlive_the_smtp_timeout() -> None:
    with pytest.raises(MailConfigInvalid, match="ECHO_MAIL_LEASE_SECONDS"):
        RetryPolicy.from_settings(Settings(ECHO_SMTP_URL="smtp://h", ECHO_SMTP_TIMEOUT=30, ECHO_MAIL_LEASE_SECONDS=10))


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(max_attempts=6, base_seconds=60, max_seconds=600, lease_seconds=300)
    assert [policy.backoff_seconds(n) for n in range(1, 6)] == [60, 120, 240, 480, 600]

"""SMTP delivery signing in with OAuth2 (XOAUTH2) against aiosmtpd on 127.0.0.1, which checks the bearer token."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from echo_core.config import Settings
from echo_core.mail.transport import SmtpTransport, TransientFailure, smtp_target
from tests.mailservers import SmtpServer, XOAuth2Handler

# aiosmtpd warns that AUTH without TLS is unsafe: here it is loopback only, on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
TOKEN = "EwB4A8l6BAAU-test-access-token"  # shaped like Microsoft's; valid only on the local server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(xoauth2_tokens={TOKEN}).start()
    yield server
    server.stop()


def message(n: int = 1) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "agent@tandem.space", "sam@seeker.example", "Parking"
    msg["Message-ID"] = f"<oauth-{n}@tandem.space>"
    msg.set_content("Yes, parking is $250 a month.")
    return msg


def transport(smtp: SmtpServer, **settings: str) -> SmtpTransport:
    return SmtpTransport(smtp_target(smtp.url, Settings(ECHO_SMTP_USER="agent@tandem.space", **settings)))


def attempts(smtp: SmtpServer) -> list[tuple[str, str]]:
    assert isinstance(smtp.handler, XOAuth2Handler)
    return smtp.handler.attempts


def test_a_configured_token_signs_in_with_xoauth2_once_per_connection(smtp: SmtpServer) -> None:
    sender = transport(smtp, ECHO_SMTP_OAUTH2_TOKEN=TOKEN)
    sender.send(message(1))
    sender.send(message(2))  # the connection is reused
    sender.close()

    assert smtp.handler.message_ids() == ["<oauth-1@tandem.space>", "<oauth-2@tandem.space>"]
    assert attempts(smtp) == [("agent@tandem.space", TOKEN)]


def test_the_token_command_runs_again_for_each_new_connection(smtp: SmtpServer) -> None:
    sender = transport(smtp, ECHO_SMTP_OAUTH2_TOKEN_CMD=f"{sys.executable} -c \"print('{TOKEN}')\"")
    sender.send(message(1))
    sender.close()
    sender.send(message(2))
    sender.close()

    assert attempts(smtp) == [("agent@tandem.space", TOKEN)] * 2
    assert len(smtp.handler.received) == 2


def test_a_refused_token_is_retried_later_and_never_shown(smtp: SmtpServer) -> None:
    sender = transport(smtp, ECHO_SMTP_OAUTH2_TOKEN="stale-token-9999")

    with pytest.raises(TransientFailure) as caught:
        sender.send(message())

    assert "SMTPAuthenticationError" in str(caught.value) and "535" in str(caught.value)
    assert "stale-token-9999" not in str(caught.value)
    assert smtp.handler.received == []


def test_a_failing_token_command_is_a_retryable_failure_naming_the_setting(smtp: SmtpServer) -> None:
    sender = transport(smtp, ECHO_SMTP_OAUTH2_TOKEN_CMD=f"{sys.executable} -c \"import sys; sys.exit(2)\"")

    with pytest.raises(TransientFailure, match="ECHO_SMTP_OAUTH2_TOKEN_CMD exited with status 2"):
        sender.send(message())
    assert attempts(smtp) == []

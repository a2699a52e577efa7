"""OAuth2 access tokens for IMAP and SMTP (XOAUTH2): from configuration, or printed by a token command.

Gmail and Microsoft 365 refuse plain passwords for most accounts. Echo Alpha does not run the OAuth2 flow
itself: an access token is configured directly (`ECHO_IMAP_OAUTH2_TOKEN`), or a command prints a fresh one
(`ECHO_IMAP_OAUTH2_TOKEN_CMD`, e.g. `oauth2ms --token` or `gcloud auth print-access-token`); the command
is run again on every connection, so a long-running poller always presents an unexpired token.
"""

from __future__ import annotations

import shlex
import subprocess

from pydantic import SecretStr

from echo_core.errors import MailConfigInvalid
from echo_core.redact import redact

TOKEN_COMMAND_TIMEOUT_SECONDS = 30.0


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (Google's and Microsoft's format), before base64."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def access_token(*, token: SecretStr | None, command: str | None, variable: str) -> str | None:
    """The configured token, else the first line the command prints; None when neither is set.

    `variable` names the setting (e.g. ECHO_IMAP_OAUTH2_TOKEN) in the one-line error when the command fails.
    """
    if token is not None and token.get_secret_value().strip():
        return token.get_secret_value().strip()
    if not command or not command.strip():
        return None
    try:
        argv = shlex.split(command)
        result = subprocess.run(argv, capture_output=True, text=True, timeout=TOKEN_COMMAND_TIMEOUT_SECONDS,
                                stdin=subprocess.DEVNULL, check=False)
    except ValueError as error:
        raise MailConfigInvalid(f"{variable}_CMD cannot be split into a command ({error}).") from error
    except FileNotFoundError as error:
        raise MailConfigInvalid(f"{variable}_CMD: the command '{argv[0]}' was not found — check its path.") from error
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MailConfigInvalid(f"{variable}_CMD could not run ({type(error).__name__}).") from error
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        detail = next((line.strip() for line in result.stderr.splitlines() if line.strip()), "no output")
        detail = redact(detail, lines)[:200]
        raise MailConfigInvalid(
            f"{variable}_CMD exited with status {result.returncode} and printed no token ({detail}) — "
            "run it by hand to see why."
        )
    return lines[0]

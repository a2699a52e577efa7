"""Named exceptions whose messages a broker can read.

Pages show `str(error)`; the CLI prints it on one line and exits with
`error.exit_code`. Each family has its own code so scripts can tell them apart.
"""

from __future__ import annotations

from datetime import datetime


class EchoError(Exception):
    """Base of every expected, user-facing failure."""

    exit_code = 1


# --- database (exit 3) -------------------------------------------------------
class DatabaseError(EchoError):
    """The database cannot serve the request."""

    exit_code = 3


class DatabaseUnavailable(DatabaseError):
    """The PostgreSQL server cannot be reached."""


class SchemaNotMigrated(DatabaseError):
    """The database schema is missing or behind the code."""

    exit_code = 4


class SchemaDrift(DatabaseError):
    """The live schema differs from the models."""

    exit_code = 4


class ConfirmationRequired(EchoError):
    """A destructive command was run without --yes."""

    exit_code = 2


# --- input (exit 2) ------------------------------------------------------------
class InvalidInput(EchoError):
    """Input that fails validation; the message says which field and why."""

    exit_code = 2


# --- drafts -------------------------------------------------------------------
class DraftNotFound(EchoError):
    """No draft has that id."""

    exit_code = 10

    def __init__(self, draft_id: int) -> None:
        super().__init__(f"Draft {draft_id} does not exist — check the id with `drafts list`.")
        self.draft_id = draft_id


class InvalidTransition(EchoError):
    """The action is not allowed from the draft's current status."""

    exit_code = 11


class AlreadySent(InvalidTransition):
    """The draft has been sent; it can never be sent or changed again."""

    exit_code = 12


class StaleDraft(EchoError):
    """Someone else changed the draft since it was read."""

    exit_code = 13

    def __init__(self, draft_id: int) -> None:
        super().__init__(f"Draft {draft_id} was changed by someone else — reload it and try again.")
        self.draft_id = draft_id


class StaleRecord(EchoError):
    """Someone else changed a deal, space or account since it was read (the drafts' StaleDraft, elsewhere)."""

    exit_code = 13

    def __init__(self, what: str, record_id: int | str) -> None:
        super().__init__(f"{what.capitalize()} {record_id} was changed by someone else — reload it and try again.")
        self.what, self.record_id = what, record_id


class RefinementLimitReached(EchoError):
    """The refinement allowance is used up until the cooldown ends."""

    exit_code = 14

    def __init__(self, available_at: datetime, limit: int) -> None:
        when = available_at.strftime("%Y-%m-%d %H:%M UTC")
        super().__init__(
            f"All {limit} refinements are used — the next one is possible at {when}. "
            "Edit the text by hand meanwhile."
        )
        self.available_at = available_at


class EmptyBody(InvalidInput):
    """A draft body must contain text."""

    def __init__(self) -> None:
        super().__init__("The draft body is empty — write the reply before saving.")


class VersionNotFound(InvalidInput):
    """The draft has no version with that number."""


class UnchangedText(InvalidInput):
    """An edit that would save the text the draft already has."""

    def __init__(self) -> None:
        super().__init__("The text is unchanged — edit the reply before saving.")


# --- generation (exit 20) -----------------------------------------------------
class GenerationFailed(EchoError):
    """The language model could not produce a usable draft; nothing was stored."""

    exit_code = 20


# --- permissions (exit 30) ----------------------------------------------------
class PermissionDenied(EchoError):
    """The signed-in role may not do this."""

    exit_code = 30


class NotFound(EchoError):
    """A record (deal, space, email) does not exist."""

    exit_code = 10


class ValidationFailed(EchoError):
    """The fact check of the draft failed, so it cannot be approved without an override."""

    exit_code = 15

    def __init__(self, issues: list[str]) -> None:
        shown = "; ".join(issue[:200] for issue in issues[:3]) or "no details given"
        more = f" (+{len(issues) - 3} more)" if len(issues) > 3 else ""
        super().__init__(
            f"The fact check failed: {shown}{more} — fix the text, or approve with the validation override."
        )
        self.issues = issues


# --- mail (exit 40) -----------------------------------------------------------
class MailError(EchoError):
    """Mail could not be read, fetched or delivered."""

    exit_code = 40


class MalformedMessage(MailError):
    """One inbound message cannot be read as an email; the others of its batch still are."""


class MailSourceUnreadable(MailError):
    """A mail file or upload cannot be read at all."""


class MailServerUnavailable(MailError):
    """The IMAP or SMTP server cannot be reached or refused the login."""


class MailConfigInvalid(InvalidInput):
    """A mail URL or setting (ECHO_SMTP_URL, --imap) is not usable."""


class OutboxNotFound(NotFound):
    """No outbox row has that id."""


class DeliveryNotRetryable(InvalidTransition):
    """Only a failed delivery can be queued again."""


class BenchDataMissing(NotFound):
    """The bench database has no synthetic data yet (run `bench generate`)."""


# --- accounts (exit 30, permissions family) ------------------------------------------------
class SignInFailed(PermissionDenied):
    """The email or password is wrong (the same message for unknown accounts)."""

    def __init__(self) -> None:
        super().__init__("The email or password is not right — check both and try again.")


class AccountLocked(PermissionDenied):
    """Too many failed sign-ins: the account is locked for a while."""

    def __init__(self, until: datetime, minutes: int) -> None:
        when = until.strftime("%H:%M UTC")
        super().__init__(
            f"Too many failed sign-ins — this account is locked; try again at {when} (in about {minutes} min)."
        )
        self.until = until


class NoActiveAccount(PermissionDenied):
    """The email has no active account, so it may not sign in or act."""


class AccountNotFound(NotFound):
    """No account has that email."""


# --- operations (exit 50) -------------------------------------------------------
class BackupFailed(EchoError):
    """A backup could not be taken, or a backup did not verify; the message says what and why."""

    exit_code = 50


class WorkerUnhealthy(EchoError):
    """No worker on this host has reported within three of its intervals (the compose healthcheck)."""

    exit_code = 51

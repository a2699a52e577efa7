"""`drafts`: list, show and review AI drafts — every change goes through echo_core.services.drafts."""

from __future__ import annotations

import argparse
import codecs
import importlib
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from echo_core.cli.common import add_json_flag, engine, print_json
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.db.models import EmailDraft
from echo_core.errors import InvalidInput
from echo_core.lifecycle import ARCHIVE_REASONS, DRAFT_STATUSES
from echo_core.permissions import Actor
from echo_core.redact import neutralise_controls
from echo_core.services import drafts as service
from echo_core.services.actors import resolve_actor

# Terminal control characters in untrusted text (email bodies, model output) could rewrite the screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def register(groups: Any) -> None:
    parser = groups.add_parser("drafts", help="list, show and review AI drafts (approve, edit, send, …)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("list", help="drafts, newest first")
    p.add_argument("--status", choices=DRAFT_STATUSES)
    add_json_flag(p)
    p.set_defaults(handler=_list)

    p = commands.add_parser("show", help="one draft in full: text, versions, review state")
    p.add_argument("id", type=int)
    add_json_flag(p)
    p.set_defaults(handler=_show)

    p = commands.add_parser("history", help="every action on a draft, oldest first")
    p.add_argument("id", type=int)
    add_json_flag(p)
    p.set_defaults(handler=_history)

    p = _action(commands, "approve", "pending → approved, after a fresh fact check")
    p.add_argument("--override-validation", action="store_true",
                   help="approve even though the fact check failed (recorded in the history)")
    p.set_defaults(handler=_run(lambda s, a, who: service.approve(
        session=s, draft_id=a.id, actor=who, expected_lock_version=a.expect_version,
        override_failed_validation=a.override_validation)))

    p = _action(commands, "edit", "replace the text (an approved draft goes back to pending)")
    p.add_argument("--body-file", required=True, metavar="FILE", help="the new text, or - to read stdin")
    p.set_defaults(handler=_run(lambda s, a, who: service.edit(
        session=s, draft_id=a.id, actor=who, body=_read_body(a.body_file), expected_lock_version=a.expect_version)))

    p = _action(commands, "refine", "regenerate with an instruction, as a new version")
    p.add_argument("--prompt", required=True, metavar="TEXT", help='e.g. "shorter, and mention parking"')
    p.add_argument("--provider", choices=("offline", "openai"), help="default: ECHO_PROVIDER")
    p.set_defaults(handler=_run(lambda s, a, who: service.refine(
        session=s, draft_id=a.id, actor=who, prompt=a.prompt, provider=a.provider,
        expected_lock_version=a.expect_version)))

    p = _action(commands, "use-version", "make version N the current text")
    p.add_argument("version", type=int, metavar="N")
    p.set_defaults(handler=_run(lambda s, a, who: service.use_version(
        session=s, draft_id=a.id, actor=who, version=a.version, expected_lock_version=a.expect_version)))

    p = _action(commands, "send", "approved → sent: record the reply email (exactly once)")
    p.set_defaults(handler=_run(lambda s, a, who: service.send(
        session=s, draft_id=a.id, actor=who, expected_lock_version=a.expect_version)))

    p = _action(commands, "archive", "set aside with a reason (nothing is deleted)")
    p.add_argument("--reason", required=True, metavar="CODE", help="one of: " + ", ".join(ARCHIVE_REASONS))
    p.add_argument("--note", metavar="TEXT", help="free text, stored as the archive reason")
    p.set_defaults(handler=_run(lambda s, a, who: service.archive(
        session=s, draft_id=a.id, actor=who, reason=a.reason, note=a.note, expected_lock_version=a.expect_version)))

    p = _action(commands, "restore", "un-archive: back to the status it was archived from")
    p.set_defaults(handler=_run(lambda s, a, who: service.restore(
        session=s, draft_id=a.id, actor=who, expected_lock_version=a.expect_version)))

    # `generate` and `validate` come from the generation module when it is installed.
    if importlib.util.find_spec("echo_core.cli.drafts_generation") is not None:
        importlib.import_module("echo_core.cli.drafts_generation").add_commands(commands)


def _action(commands: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
    p.add_argument("id", type=int)
    p.add_argument("--by", required=True, metavar="EMAIL", help="who is acting (goes into the history)")
    p.add_argument("--expect-version", type=int, metavar="N",
                   help="refuse (exit 13) unless the draft's lock_version is still N")
    return p


Apply = Callable[[Session, argparse.Namespace, Actor], EmailDraft]


def _run(apply: Apply) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        eng = engine()
        with readable_db_errors(eng), session_factory(eng)() as session:
            draft = apply(session, args, resolve_actor(session, args.by))
            print(_summary(args.command, draft))
        return 0

    return handler


def _summary(command: str, draft: EmailDraft) -> str:
    line = f"draft {draft.id}: {draft.status} (version {draft.current_version}, lock_version {draft.lock_version})"
    if command == "send":
        line += f" — reply recorded as email {draft.sent_email_id}"
    if command in ("edit", "approve") and draft.validation:
        line += f" — fact check: {draft.validation.get('status')}"
    return line


def _read_body(source: str) -> str:
    """The new body: UTF-8 (a BOM, also UTF-16/32's, is honoured); any other encoding is refused naming the fix."""
    name = "stdin" if source == "-" else source
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise InvalidInput(f"Cannot read {source}: {error.strerror} — pass a readable text file, or - for "
                           "stdin.") from None
    except AttributeError:  # a text stream without bytes underneath (tests, embedding): already decoded
        return sys.stdin.read()
    return decode_body(raw, name)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_body(raw: bytes, name: str) -> str:
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        # No guessing (a short text fits many code pages): the user knows what their editor saved.
        raise InvalidInput(
            f"{name} is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}) — save it as UTF-8, "
            "or convert it (e.g. `iconv -f WINDOWS-1252 -t UTF-8`), and pass it to --body-file again.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # line endings as text mode reads them


def _plain(value: object) -> str:
    return neutralise_controls(_CONTROL.sub("", str(value)))


def _list(args: argparse.Namespace) -> int:
    from echo_core.queries.drafts import list_drafts

    frame = list_drafts(engine(), status=args.status)
    if args.json:
        print_json(frame.to_dict(orient="records"))
    elif frame.empty:
        print("no drafts" + (f" with status {args.status}" if args.status else ""))
    else:
        print(_plain(frame.drop(columns=["lock_version"]).to_string(index=False)))
    return 0


def _show(args: argparse.Namespace) -> int:
    from echo_core.queries.drafts import draft_detail

    d = draft_detail(engine(), args.id)
    if args.json:
        print_json(d.to_dict())
        return 0
    check = (d.validation or {}).get("status", "not checked")
    lines = [
        f"draft {d.id} · {d.status} · {d.company} ({d.seeker_name} <{d.seeker_email}>)",
        f"inbound #{d.inbound_email_id}: {d.inbound_subject}",
        f"version {d.current_version} (of {', '.join(str(v.get('version')) for v in d.versions) or 'none'})"
        f"{', edited by hand' if d.edited else ''} · "
        f"confidence {d.confidence_score} · fact check: {check} · lock_version {d.lock_version}",
        f"refinements left: {d.refinements_left}"
        + (f" (next at {d.refine_available_at:%Y-%m-%d %H:%M UTC})" if d.refine_available_at else ""),
    ]
    for issue in (d.validation or {}).get("issues", []):
        lines.append(f"  ! {issue}")
    if d.reviewed_by:
        lines.append(f"approved by {d.reviewed_by} at {d.reviewed_at:%Y-%m-%d %H:%M}")
    if d.sent_email_id:
        lines.append(f"sent at {d.sent_at:%Y-%m-%d %H:%M} as email {d.sent_email_id}")
    if d.archived_by:
        lines.append(f"archived by {d.archived_by} at {d.archived_at:%Y-%m-%d %H:%M}: "
                     f"{d.archive_category} — {d.archive_reason}")
    lines += ["", d.final_body or "(no text)"]
    print(_plain("\n".join(lines)))
    return 0


def _history(args: argparse.Namespace) -> int:
    from echo_core.queries.drafts import draft_history

    frame = draft_history(engine(), args.id)
    if args.json:
        print_json(frame.to_dict(orient="records"))
    elif frame.empty:
        print(f"draft {args.id} has no recorded actions")
    else:
        for ev in frame.itertuples(index=False):
            moved = f"{ev.from_status} → {ev.to_status}" if ev.from_status != ev.to_status else str(ev.to_status)
            extra = ", ".join(f"{k}={v}" for k, v in (ev.details or {}).items() if k != "body")
            print(_plain(f"{ev.at:%Y-%m-%d %H:%M:%S}  {ev.actor}  {ev.action}  {moved}  {extra}"))
    return 0

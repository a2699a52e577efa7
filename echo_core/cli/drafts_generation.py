"""`drafts generate` and `drafts validate`, added to the drafts group by echo_core.cli.drafts."""

from __future__ import annotations

import argparse
import re
from typing import Any

from echo_core.cli.common import add_json_flag, engine, print_json
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.db.models import EmailDraft
from echo_core.permissions import SYSTEM_ACTOR, Actor
from echo_core.redact import neutralise_controls

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def add_commands(commands: Any) -> None:
    p = commands.add_parser("generate", help="draft a reply to an inbound email (stored as a pending draft)")
    p.add_argument("--email-id", type=int, required=True, metavar="N", help="the inbound email to answer")
    p.add_argument("--provider", choices=("offline", "openai"), help="default: ECHO_PROVIDER, else openai when "
                                                                      "OPENAI_API_KEY is set, else offline")
    p.add_argument("--by", metavar="EMAIL", help="who is asking (goes into the history); default: the system")
    add_json_flag(p)
    p.set_defaults(handler=_generate)

    p = commands.add_parser("validate", help="re-run the fact check on a draft's current text and store it")
    p.add_argument("id", type=int)
    p.add_argument("--by", metavar="EMAIL", help="who is asking (goes into the history); default: the system")
    add_json_flag(p)
    p.set_defaults(handler=_validate)


def _actor(session: Any, by: str | None) -> Actor:
    if not by:
        return SYSTEM_ACTOR
    from echo_core.services.actors import resolve_actor

    return resolve_actor(session, by)


def _plain(text: object) -> str:
    return neutralise_controls(_CONTROL.sub("", str(text)))


def _print_validation(validation: dict[str, Any]) -> None:
    print(f"fact check: {validation['status']}")
    for issue in validation.get("issues", []):
        print(_plain(f"  ! {issue}"))


def _generate(args: argparse.Namespace) -> int:
    from echo_core.services.generation import generate_draft

    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        draft_id = generate_draft(session=session, inbound_email_id=args.email_id,
                                  actor=_actor(session, args.by), provider=args.provider)
        draft = session.get(EmailDraft, draft_id)
        assert draft is not None
        validation: dict[str, Any] = dict(draft.validation or {})
        result = {"id": draft.id, "confidence": draft.confidence_score, "validation": validation,
                  "provider": (draft.metadata_ or {}).get("provider"), "model": (draft.metadata_ or {}).get("model")}
    if args.json:
        print_json(result)
        return 0
    print(f"draft {result['id']} created (pending) · confidence {result['confidence']} · "
          f"{result['provider']} ({result['model']})")
    _print_validation(validation)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from echo_core.services.generation import revalidate_draft

    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        result = revalidate_draft(session=session, draft_id=args.id, actor=_actor(session, args.by))
    if args.json:
        print_json(result)
        return 0
    print(f"draft {args.id}")
    _print_validation(result)
    return 0

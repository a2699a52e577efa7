"""`audit list`: who changed which deal, space, deal link, account or outbox row, newest first.

An operator tool like `users`: it runs with the database credentials (the dashboard's Audit page
needs a lead). The ownership trail (deal_events) is listed with the deals.
"""

from __future__ import annotations

import argparse
from typing import Any

from echo_core.cli.common import add_json_flag, engine, print_json
from echo_core.db.models_audit import AUDIT_ENTITIES
from echo_core.permissions import OPERATOR
from echo_core.queries.audit import LIMIT_MAX, AuditFilters, entries


def register(groups: Any) -> None:
    parser = groups.add_parser("audit", help="the audit trail of deals, spaces, deal links, accounts, outbox")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = commands.add_parser("list", help="audit entries, newest first")
    p.add_argument("--entity", choices=AUDIT_ENTITIES, help="only this kind of record")
    p.add_argument("--id", type=int, metavar="N", help="only the record with this id (with --entity)")
    p.add_argument("--actor", metavar="EMAIL", help="only what this account did")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help=f"at most N entries (1–{LIMIT_MAX:,}, default 50)")
    add_json_flag(p)
    p.set_defaults(handler=_list)


def _list(args: argparse.Namespace) -> int:
    filters = AuditFilters(entity=args.entity, entity_id=args.id, actor=args.actor, limit=args.limit)
    rows = entries(engine(), actor=OPERATOR, filters=filters)
    if args.json:
        print_json([{key: row[key] for key in ("at", "actor", "action", "entity", "entity_id", "changes", "trail")}
                    for row in rows])
        return 0
    for row in rows:
        # Names and values are untrusted text: one line each, control characters escaped by one_line's rule.
        line = f"{row['at']:%Y-%m-%d %H:%M:%S} {row['actor']} {row['action']} {row['entity']} #{row['entity_id']}"
        print(_clean(f"{line}: {row['change']}" if row["change"] else line))
    if not rows:
        print("no audit entries match")
    return 0


def _clean(line: str) -> str:
    from echo_core.cli import one_line

    return one_line(line)

"""`users`: manage the accounts that sign in to the dashboard and act through `--by`.

An operator tool: it runs with the database credentials, so it needs no account of its own
(the dashboard's Accounts page needs a lead). Passwords are read from a prompt or stdin and
never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from echo_core.cli.common import add_json_flag, engine, print_json
from echo_core.db.engine import readable_db_errors, session_factory
from echo_core.errors import InvalidInput
from echo_core.services import accounts as svc

ROLES = ("broker", "lead", "analyst")


def register(groups: Any) -> None:
    parser = groups.add_parser("users", help="add, list, disable accounts; set roles and passwords")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("add", help="add an account (no password: OIDC sign-in only)")
    p.add_argument("email")
    p.add_argument("--role", required=True, choices=ROLES)
    source = p.add_mutually_exclusive_group()
    source.add_argument("--password", metavar="PW", help="the password (visible in shell history: prefer stdin)")
    source.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(handler=_add)

    p = commands.add_parser("list", help="every account with its role and state")
    add_json_flag(p)
    p.set_defaults(handler=_list)

    p = commands.add_parser("disable", help="lock an account out at once (its history stays)")
    p.add_argument("email")
    _expect_flag(p)
    p.set_defaults(handler=_active(False))

    p = commands.add_parser("enable", help="let a disabled account sign in again")
    p.add_argument("email")
    _expect_flag(p)
    p.set_defaults(handler=_active(True))

    p = commands.add_parser("set-role", help="change an account's role")
    p.add_argument("email")
    p.add_argument("role", choices=ROLES)
    _expect_flag(p)
    p.set_defaults(handler=_set_role)

    p = commands.add_parser("set-password", help="set a new password (prompted, or --password-stdin)")
    p.add_argument("email")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(handler=_set_password)


def _expect_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--expect-version", type=int, metavar="N",
                        help="refuse (exit 13) unless the account is still at this version (`users list --json`)")


def _stdin_password() -> str:
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def _prompted_password() -> str:
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise InvalidInput("The two passwords differ — run the command again.")
    return first


def _add(args: argparse.Namespace) -> int:
    password = _stdin_password() if args.password_stdin else args.password
    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        account = svc.create_account(session=session, actor=svc.OPERATOR, email=args.email, role=args.role,
                                     password=password)
    how = "password sign-in" if account.has_password else "OIDC sign-in only"
    print(f"added {account.email} as {account.role.value} ({how})")
    return 0


def _list(args: argparse.Namespace) -> int:
    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        rows = svc.list_accounts(session=session, actor=svc.OPERATOR)
    if args.json:
        print_json([{"email": a.email, "role": a.role.value, "active": a.active, "password": a.has_password,
                     "locked_until": a.locked_until, "last_login_at": a.last_login_at, "version": a.lock_version}
                    for a in rows])
        return 0
    for a in rows:
        state = "active" if a.active else "disabled"
        login = a.last_login_at.strftime("%Y-%m-%d %H:%M") if a.last_login_at else "never"
        lock = f", locked until {a.locked_until:%H:%M UTC}" if a.locked_until else ""
        print(f"{a.email:<40} {a.role.value:<8} {state:<9} last sign-in {login}{lock}")
    if not rows:
        print("no accounts yet — add one with `python -m echo_core users add EMAIL --role lead`")
    return 0


def _active(active: bool) -> Any:
    def handler(args: argparse.Namespace) -> int:
        eng = engine()
        with readable_db_errors(eng), session_factory(eng)() as session:
            account = svc.set_active(session=session, actor=svc.OPERATOR, email=args.email, active=active,
                                     expected_lock_version=args.expect_version)
        print(f"{account.email} {'enabled' if active else 'disabled'}")
        return 0

    return handler


def _set_role(args: argparse.Namespace) -> int:
    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        account = svc.set_role(session=session, actor=svc.OPERATOR, email=args.email, role=args.role,
                               expected_lock_version=args.expect_version)
    print(f"{account.email} is now {account.role.value}")
    return 0


def _set_password(args: argparse.Namespace) -> int:
    password = _stdin_password() if args.password_stdin else _prompted_password()
    eng = engine()
    with readable_db_errors(eng), session_factory(eng)() as session:
        account = svc.set_password(session=session, actor=svc.OPERATOR, email=args.email, password=password)
    print(f"password of {account.email} changed")
    return 0

#!/usr/bin/env python
"""MoU Tracker command line. `python manage.py --help` lists the commands."""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone

from core.db import make_engine, new_session


def cmd_migrate(args: argparse.Namespace) -> int:
    from core.migrate import upgrade_head

    upgrade_head(make_engine())
    print("Database schema is up to date.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from core.migrate import upgrade_head
    from services.seeding.sample import seed_sample
    from services.seeding.facts import ensure_system_user, seed_facts

    engine = make_engine()
    upgrade_head(engine)
    with new_session(engine) as session:
        system = ensure_system_user(session=session)
        session.commit()
        report = seed_facts(session=session, actor=system)
        print(f"Facts from the source document: {report.total} rows added {report.created or ''}".rstrip())
        if report.filled:
            print(f"Empty fields given the source's value: {report.filled}")
        if args.sample:
            now = datetime.now(timezone.utc)
            n = seed_sample(session=session, actor=system, today=now.date(), now=now)
            print(f"Sample data: {n} sample action items added." if n else "Sample data already present.")
            _print_demo_accounts(session, system)
    return 0


def _print_demo_accounts(session, system) -> None:  # noqa: ANN001
    """Sample mode only: fresh random passwords, shown once on the operator's terminal."""
    from services.seeding.sample import issue_demo_passwords

    issued = issue_demo_passwords(session=session, actor=system, now=datetime.now(timezone.utc))
    if issued:
        print("Demo accounts (sample data; new passwords at every start):")
        for username, password in issued.items():
            print(f"  {username:<18} {password}")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        from services.errors import ValidationFailed

        raise ValidationFailed("The two passwords differ.")
    return first


def cmd_create_user(args: argparse.Namespace) -> int:
    from core.migrate import upgrade_head
    from services.seeding.facts import ensure_system_user
    from services.accounts.users import create_user

    engine = make_engine()
    upgrade_head(engine)
    password = _read_password(args)
    with new_session(engine) as session:
        system = ensure_system_user(session=session)
        session.commit()
        user = create_user(session=session, actor=system, username=args.username, role=args.role,
                           organisation=args.org, display_name=args.display_name, email=args.email,
                           password=password)
        print(f"Created {user.role} account '{user.username}'.")
    return 0


def cmd_i18n(args: argparse.Namespace) -> int:
    from services.i18n.catalogs import check_catalogs, update_catalogs

    if args.action == "extract":
        sizes = update_catalogs()
        print("Catalogs updated: " + ", ".join(f"{lang} {n} keys" for lang, n in sizes.items()))
    report = check_catalogs()
    for kind in ("missing", "unused", "placeholders"):
        for lang, keys in getattr(report, kind).items():
            for key in keys:
                print(f"{kind} [{lang}]: {key}")
    print("Catalogs complete." if report.ok else "Catalogs incomplete: translate the keys above.")
    return 0 if report.ok else 1


def cmd_meeting_pack(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.meetings.pack import build_meeting_pack

    with new_session(make_engine()) as session:
        data = build_meeting_pack(session=session, today=date.today(), body=args.body, lang=args.lang)
    Path(args.out).write_bytes(data)
    print(f"Meeting pack written to {args.out} ({len(data):,} bytes).")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.runner import main as bench_main

    return bench_main(scale=args.scale, only=args.only, repeat=args.repeat)


def _user(session, username: str):  # noqa: ANN001
    from sqlmodel import select

    from models import User
    from services.errors import NotFound

    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"No user '{username}'.")
    return user


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    import getpass
    import socket

    from services.excel.report.workbook import write_report

    with new_session(make_engine()) as session:
        actor = _user(session, args.as_user) if args.as_user else None
        # Without --as, the report names the account and machine that ran the command.
        who = f"{getpass.getuser()}@{socket.gethostname()}"
        info = write_report(
            session=session, actor=actor, today=date.today(), now=datetime.now(timezone.utc),
            out=args.out, codes=args.agreement or [], lang=args.lang, full_history=args.full_history,
            command_line_user=who,
        )
    print(f"Wrote {args.out}: {info.items} action items, {info.updates} updates, sheets: {', '.join(info.sheets)}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone
    from pathlib import Path

    from services.excel.imports.apply import apply_import
    from services.excel.imports.items_sheet import read_import
    from services.excel.imports.plan import APPLIED, DRY_RUN, NOT_WRITTEN, plan_lines
    from services.i18n.translate import gettext

    path = Path(args.file)
    with new_session(make_engine()) as session:
        actor = _user(session, args.as_user)
        plan = read_import(
            session=session, actor=actor, data=path.read_bytes(), filename=path.name, today=date.today(),
            sheet=args.sheet, header_row=args.header_row,  # --mapping auto: matched by header names
        )
        print("\n".join(plan_lines(plan, args.lang)))
        if not plan.ok:
            print(gettext(args.lang, NOT_WRITTEN), file=sys.stderr)
            return 1
        if args.dry_run:
            print(gettext(args.lang, DRY_RUN))
            return 0
        conflicts = [r.item_id for r in plan.conflicts] if args.accept_conflicts else []
        result = apply_import(session=session, actor=actor, plan=plan, now=datetime.now(timezone.utc),
                              accept_conflicts=conflicts, area_id=args.area)
    print(gettext(args.lang, APPLIED, result=result.message.text(args.lang)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed", help="seed the facts from the source document (idempotent)")
    seed.add_argument("--sample", action="store_true", help="also load clearly-marked sample data")
    seed.set_defaults(func=cmd_seed)
    cu = sub.add_parser("create-user", help="create an account (prompts for the password)")
    cu.add_argument("username")
    cu.add_argument("--role", required=True, choices=["viewer", "focal_point", "secretariat", "admin"])
    cu.add_argument("--org", help="acronym of the user's organisation, e.g. KD or MDEC")
    cu.add_argument("--display-name", help="name shown in the dashboard (default: the username)")
    cu.add_argument("--email", help="e-mail address (single sign-on maps it to this account)")
    cu.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    cu.set_defaults(func=cmd_create_user)
    i18n = sub.add_parser("i18n", help="extract interface strings into the catalogs, or check them")
    i18n.add_argument("action", choices=["extract", "check"],
                      help="extract: add new keys and drop unused ones in locales/*; check: report gaps")
    i18n.set_defaults(func=cmd_i18n)
    pack = sub.add_parser("meeting-pack", help="write the PowerPoint meeting pack")
    pack.add_argument("--out", required=True, help="the .pptx file to write")
    pack.add_argument("--body", default=None, help="the body that meets (default: every agreement)")
    pack.add_argument("--lang", choices=["en", "ms", "zh"], default="en", help="language of the pack")
    pack.set_defaults(func=cmd_meeting_pack)
    export = sub.add_parser("export", help="write the Excel status report")
    export.add_argument("--out", required=True, help="the .xlsx file to write")
    export.add_argument("--agreement", action="append", help="only this agreement code (repeatable)")
    export.add_argument("--lang", choices=["en", "ms", "zh"], default="en")
    export.add_argument("--full-history", action="store_true", help="every update, not the last 90 days")
    export.add_argument("--as", dest="as_user", help="username shown as the report's author")
    export.set_defaults(func=cmd_export)
    imp = sub.add_parser("import", help="import an edited report or a ministry's own Excel tracker")
    imp.add_argument("file")
    imp.add_argument("--as", dest="as_user", required=True, help="the secretariat or admin user importing")
    imp.add_argument("--dry-run", action="store_true", help="print the preview, write nothing")
    imp.add_argument("--mapping", choices=["auto"], default="auto", help="match tracker columns by name")
    imp.add_argument("--sheet", help="the sheet to read (default: Items, else the first)")
    imp.add_argument("--header-row", type=int, help="the row holding the column names (trackers)")
    imp.add_argument("--area", type=int, help="create unmatched rows as new items in this area id")
    imp.add_argument("--accept-conflicts", action="store_true",
                     help="also apply rows whose item changed in the dashboard since the export")
    imp.add_argument("--lang", choices=["en", "ms", "zh"], default="en",
                     help="language of the preview, the problems and the messages")
    imp.set_defaults(func=cmd_import)
    bench = sub.add_parser("bench", help="run the benchmarks and write bench/results/latest.json")
    bench.add_argument("--scale", choices=["S", "M", "L"], default="S")
    bench.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    bench.add_argument("--repeat", type=int, default=None, help="timed runs per benchmark")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # the operator gets one clear line, not a traceback
        from services.errors import ServiceError

        if isinstance(exc, ServiceError):  # in the command's --lang where it has one
            print(f"error: {exc.text(getattr(args, 'lang', 'en'))}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())

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
    from services.sample import remove_sample, seed_sample
    from services.seed import ensure_system_user, seed_facts

    engine = make_engine()
    upgrade_head(engine)
    with new_session(engine) as session:
        system = ensure_system_user(session=session)
        session.commit()
        report = seed_facts(session=session, actor=system)
        print(f"Facts from the source document: {report.total} rows added {report.created or ''}".rstrip())
        if args.sample:
            n = seed_sample(session=session, actor=system, today=date.today())
            print(f"Sample data: {n} sample action items added." if n else "Sample data already present.")
            _print_demo_accounts(session, system)
    return 0


def _print_demo_accounts(session, system) -> None:  # noqa: ANN001
    """Sample mode only: fresh random passwords, shown once on the operator's terminal."""
    from services.sample import issue_demo_passwords

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
    from services.seed import ensure_system_user
    from services.users import create_user

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
    from services.catalogs import check_catalogs, update_catalogs

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

    from services.meeting_pack import build_meeting_pack

    with new_session(make_engine()) as session:
        data = build_meeting_pack(session=session, today=date.today(), body=args.body, lang=args.lang)
    Path(args.out).write_bytes(data)
    print(f"Meeting pack written to {args.out} ({len(data):,} bytes).")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.runner import main as bench_main

    return bench_main(scale=args.scale, only=args.only, repeat=args.repeat)


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

        if isinstance(exc, ServiceError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())

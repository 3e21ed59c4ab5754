#!/usr/bin/env python
"""MoU Tracker command line. `python manage.py --help` lists the commands."""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone

from core.db import make_engine, new_session
from services.i18n.translate import local_today


def cmd_migrate(args: argparse.Namespace) -> int:
    from core.migrate import upgrade_head

    upgrade_head(make_engine())
    print("Database schema is up to date.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from services.store.backup import backup_store

    result = backup_store(engine=make_engine(), out=args.out)
    print(f"Backed up the {result.kind} store to {result.path} ({result.size_bytes:,} bytes).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from services.store.backup import restore_store, table_digests

    engine = make_engine()
    restore_store(engine=engine, backup=args.file, force=args.force)
    rows = sum(n for n, _ in table_digests(engine).values())
    print(f"Restored {args.file}: {rows:,} rows in all. Restart the dashboard's processes.")
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
            n = seed_sample(session=session, actor=system, today=local_today(now), now=now)
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


def _body_id(session, name: str | None) -> int | None:  # noqa: ANN001
    """The joint body named `name` in any language; None for no name. NotFound lists the bodies."""
    from services.errors import NotFound
    from services.meetings.bodies import find_body, list_bodies

    if not name:
        return None
    body = find_body(session=session, name=name)
    if body is None:
        names = "; ".join(b.name_en for b in list_bodies(session=session)) or "none yet"
        raise NotFound(f"No joint body named '{name}'. Bodies: {names}.")
    return body.id


def cmd_meeting_pack(args: argparse.Namespace) -> int:
    from pathlib import Path

    from functools import partial

    from services.lifecycle.pack_slide import package_slide
    from services.meetings.pack import build_meeting_pack

    with new_session(make_engine()) as session:
        extra = partial(package_slide, session=session, today=local_today(), lang=args.lang)
        data = build_meeting_pack(session=session, today=local_today(), body_id=_body_id(session, args.body),
                                  lang=args.lang, extra=extra)
    Path(args.out).write_bytes(data)
    print(f"Meeting pack written to {args.out} ({len(data):,} bytes).")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.meetings.minutes import build_minutes

    with new_session(make_engine()) as session:
        data = build_minutes(session=session, meeting_id=args.meeting, lang=args.lang, today=local_today())
    Path(args.out).write_bytes(data)
    print(f"Minutes written to {args.out} ({len(data):,} bytes).")
    return 0


def cmd_what_changed(args: argparse.Namespace) -> int:
    """One line per item and group, tab-separated: group, item id, agreement, move, title."""
    from services import labels
    from services.meetings.changes import GROUPS
    from services.meetings.register import changes_for_body

    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"error: --since must be a date as YYYY-MM-DD, not '{args.since}'.", file=sys.stderr)
        return 2
    with new_session(make_engine()) as session:
        changes = changes_for_body(session=session, body_id=_body_id(session, args.body), today=local_today(),
                                   since=since, lang=args.lang)
    for group in GROUPS:
        for c in changes.groups[group]:
            now = f"{labels.status_label(c.item.status, args.lang)} {c.item.progress}%"
            move = now if c.before is None else \
                f"{labels.status_label(c.before.status, args.lang)} {c.before.progress}% -> {now}"
            print("\t".join([group, str(c.item.id), c.item.agreement, move, c.item.title]))
    return 0


def cmd_renewal_brief(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.lifecycle.brief import write_renewal_brief

    with new_session(make_engine()) as session:
        data = write_renewal_brief(session=session, code=args.agreement, today=local_today(), lang=args.lang)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Renewal brief for {args.agreement} written to {args.out} ({len(data):,} bytes).")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.runner import main as bench_main

    return bench_main(scale=args.scale, only=args.only, repeat=args.repeat)


def cmd_load_check(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from bench.load_check import Plan, run_load_check

    plan = Plan(sessions=args.sessions, seconds=args.seconds, think_s=args.think, browsers=args.browsers)
    try:
        report = run_load_check(plan, url=args.url, server_url=args.pg or os.environ.get("BENCH_DATABASE_URL"),
                                out=Path(args.out))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Written to {args.out}.")
    return 1 if report.lost else 0


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
            session=session, actor=actor, today=local_today(), now=datetime.now(timezone.utc),
            out=args.out, codes=args.agreement or [], lang=args.lang, full_history=args.full_history,
            command_line_user=who,
        )
    print(f"Wrote {args.out}: {info.items} action items, {info.updates} updates, sheets: {', '.join(info.sheets)}.")
    if info.history is not None and info.history.shortened:
        h = info.history
        print(f"Updates: the last {h.days} days only; the last {h.asked} days hold {h.in_asked:,} updates, more "
              "than a report holds without --full-history.")
    if not info.agreement_sheets:
        print("No sheet per agreement: the report covers too many agreements; its Items sheet lists them all.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone
    from pathlib import Path

    from services.excel.imports.apply import apply_import
    from services.excel.imports.items_sheet import read_import
    from services.excel.imports.cli_text import APPLIED, DRY_RUN, NOT_WRITTEN, WORDS_HINT, plan_lines
    from services.i18n.translate import gettext

    from services.excel.imports.status_words import load_mapping_file

    path = Path(args.file)
    statuses = load_mapping_file(Path(args.values).read_text(encoding="utf-8")) if args.values else None
    with new_session(make_engine()) as session:
        actor = _user(session, args.as_user)
        plan = read_import(
            session=session, actor=actor, data=path.read_bytes(), filename=path.name, today=local_today(),
            sheet=args.sheet, header_row=args.header_row,  # --mapping auto: matched by header names
            statuses=statuses,
        )
        print("\n".join(plan_lines(plan, args.lang)))
        if plan.status_words:
            import json

            from services.excel.imports.status_words import suggest_status

            suggested = {w: suggest_status(w) or "?" for w in plan.status_words}
            print(gettext(args.lang, WORDS_HINT, example=json.dumps(suggested, ensure_ascii=False)))
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


def cmd_send_reminders(args: argparse.Namespace) -> int:
    import contextlib

    from core.settings import get_settings
    from services.reminders.mail import SmtpSender
    from services.reminders.plan import MailConfig
    from services.reminders.run import send_reminders
    from services.seeding.facts import ensure_system_user

    st = get_settings()
    if not args.dry_run and not st.smtp_host:
        print("error: SMTP_HOST is not set: nothing sent (set it, or use --dry-run to see the mails).",
              file=sys.stderr)
        return 3
    cfg = MailConfig(public_url=st.public_url, mail_from=st.mail_from, stale_days=st.stale_days,
                     default_language=st.default_language)
    sender = None if args.dry_run else SmtpSender(host=st.smtp_host, port=st.smtp_port, starttls=st.smtp_starttls,
                                                  user=st.smtp_user, password=st.smtp_password)
    with new_session(make_engine()) as session:
        system = ensure_system_user(session=session)
        session.commit()
        with sender or contextlib.nullcontext():
            report = send_reminders(session=session, actor=system, today=local_today(), now=datetime.now(timezone.utc),
                                    cfg=cfg, sender=sender, only=args.only)
    from services.reminders.summary import preview_text, summary_lines

    for _kind, mail in report.previews:
        print(preview_text(mail, sender=cfg.mail_from), end="=" * 72 + "\n")
    print("\n".join(summary_lines(report, dry_run=args.dry_run)))
    if report.server_error:
        print(f"error: mail server failed, the run stopped: {report.server_error}. The mails not sent are "
              "not recorded; the next run sends them.", file=sys.stderr)
        return 4
    return 0
def _read_file(path) -> bytes:  # noqa: ANN001
    from services.errors import ValidationFailed

    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValidationFailed("Cannot read {file}: {reason}", file=str(path), reason=exc.strerror or str(exc)) from None


def cmd_clauses(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.documents.extract import Limits, extract_text
    from services.documents.splitter import split_clauses

    path = Path(args.file)
    text = extract_text(name=path.name, data=_read_file(path), limits=Limits.from_settings()).text
    for c in split_clauses(text, args.lang):
        flags = " ".join(f for f in (c.category, "explore" if c.explore else "") if f)
        print(f"{c.start}\t{c.end}\t{c.label or '-'}\t{flags}\t{' '.join(c.text.split())}")
    return 0


def cmd_add_document(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone
    from pathlib import Path

    from sqlmodel import select

    from models import Agreement
    from services.documents.store import add_document
    from services.errors import NotFound
    from services.seeding.facts import ensure_system_user

    path = Path(args.file)
    with new_session(make_engine()) as session:
        actor = _user(session, args.as_user) if args.as_user else ensure_system_user(session=session)
        agreement = session.exec(select(Agreement).where(Agreement.code == args.agreement)).first()
        if agreement is None:
            raise NotFound("No agreement with the reference {code}.", code=args.agreement)
        doc = add_document(
            session=session, actor=actor, agreement_id=agreement.id, language=args.lang,
            now=datetime.now(timezone.utc), file_name=path.name, file_bytes=_read_file(path), title=args.title,
            issued_on=date.fromisoformat(args.date) if args.date else None, translation_of_id=args.translation_of,
        )
        print(f"Attached '{doc.title}' to {agreement.code} as document {doc.id} ({len(doc.text):,} characters).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    backup = sub.add_parser("backup", help="write a consistent backup of the whole store (safe while the app runs)")
    backup.add_argument("--out", required=True, help="the file to write (SQLite file, or pg_dump custom format)")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup into an empty database")
    restore.add_argument("file", help="a file written by `manage.py backup`")
    restore.add_argument("--force", action="store_true", help="replace a database that already holds data")
    restore.set_defaults(func=cmd_restore)
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
    pack.add_argument("--body", default=None, help="the joint body's name (default: every agreement)")
    pack.add_argument("--lang", choices=["en", "ms", "zh"], default="en", help="language of the pack")
    pack.set_defaults(func=cmd_meeting_pack)
    minutes = sub.add_parser("minutes", help="write a meeting's minutes (.docx)")
    minutes.add_argument("--meeting", type=int, required=True, help="the meeting's id (see the Meetings page's address)")
    minutes.add_argument("--out", required=True, help="the .docx file to write")
    minutes.add_argument("--lang", choices=["ms", "en", "zh", "ms+zh", "en+zh"], default="en",
                         help="one language, or two side by side")
    minutes.set_defaults(func=cmd_minutes)
    wc = sub.add_parser("what-changed", help="print what changed for a joint body, one line per item")
    wc.add_argument("--body", required=True, help="the joint body's name (any language)")
    wc.add_argument("--since", help="YYYY-MM-DD (default: the body's last meeting, from its snapshot)")
    wc.add_argument("--lang", choices=["en", "ms", "zh"], default="en", help="language of titles and statuses")
    wc.set_defaults(func=cmd_what_changed)
    brief = sub.add_parser("renewal-brief", help="write an agreement's renewal brief (.docx)")
    brief.add_argument("--agreement", required=True, help="the agreement's reference, e.g. MY-CN-DE-2025")
    brief.add_argument("--out", required=True, help="the .docx file to write")
    brief.add_argument("--lang", choices=["en", "ms", "zh"], default="en", help="language of the brief")
    brief.set_defaults(func=cmd_renewal_brief)
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
    imp.add_argument("--values", metavar="FILE.json",
                     help='status words of the file mapped to statuses, e.g. {"KIV": "on_hold", "WIP": "in_progress"} '
                          "(--dry-run lists the words a file needs)")
    imp.add_argument("--area", type=int, help="create unmatched rows as new items in this area id")
    imp.add_argument("--accept-conflicts", action="store_true",
                     help="also apply rows whose item changed in the dashboard since the export")
    imp.add_argument("--lang", choices=["en", "ms", "zh"], default="en",
                     help="language of the preview, the problems and the messages")
    imp.set_defaults(func=cmd_import)
    rem = sub.add_parser("send-reminders", help="mail the digests, update requests and expiry notices due now")
    rem.add_argument("--dry-run", action="store_true", help="print every mail instead of sending it; record nothing")
    rem.add_argument("--only", choices=["digest", "requests", "expiry"], help="send only this kind")
    rem.set_defaults(func=cmd_send_reminders)
    clauses = sub.add_parser("clauses", help="print the proposed clauses of a text, PDF or Word file")
    clauses.add_argument("file")
    clauses.add_argument("--lang", choices=["ms", "en"], default="ms", help="language of the text (the splitter's rules)")
    clauses.set_defaults(func=cmd_clauses, message_lang="en")  # --lang is the text's, not the reader's
    add_doc = sub.add_parser("add-document", help="attach a PDF, Word or text file to an agreement")
    add_doc.add_argument("file")
    add_doc.add_argument("--agreement", required=True, help="the agreement's reference code")
    add_doc.add_argument("--lang", choices=["ms", "en", "zh"], required=True, help="language of the document")
    add_doc.add_argument("--title", help="title (default: the file name)")
    add_doc.add_argument("--date", help="date of the document, YYYY-MM-DD")
    add_doc.add_argument("--translation-of", type=int, help="id of the document this one translates")
    add_doc.add_argument("--as", dest="as_user", help="the secretariat or admin user attaching (default: system)")
    add_doc.set_defaults(func=cmd_add_document, message_lang="en")
    bench = sub.add_parser("bench", help="run the benchmarks and write bench/results/latest.json")
    bench.add_argument("--scale", choices=["S", "M", "L"], default="S")
    bench.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    bench.add_argument("--repeat", type=int, default=None, help="timed runs per benchmark")
    bench.set_defaults(func=cmd_bench)
    load = sub.add_parser("load-check", help="many signed-in browser sessions at once against two processes behind nginx")
    load.add_argument("--sessions", type=int, default=50, help="officials signed in at once (at most 100)")
    load.add_argument("--seconds", type=int, default=120, help="how long they work (at most 900)")
    load.add_argument("--browsers", type=int, default=1,
                      help="how many of the sessions run in headless Chromium (the others speak Streamlit's protocol)")
    load.add_argument("--think", type=float, default=2.0, help="mean seconds a session pauses between steps")
    load.add_argument("--url", help="a running dashboard on this machine's loopback (its database: DATABASE_URL) "
                                    "instead of starting two processes and nginx")
    load.add_argument("--pg", help="PostgreSQL server to start on (default: BENCH_DATABASE_URL); a database is "
                                   "created there and dropped afterwards")
    load.add_argument("--out", default="bench/results/load-check.md", help="where the table is written")
    load.set_defaults(func=cmd_load_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # the operator gets one clear line, not a traceback
        from services.errors import ServiceError

        if isinstance(exc, ServiceError):  # in the command's --lang where it has one
            lang = getattr(args, "message_lang", None) or getattr(args, "lang", "en")
            print(f"error: {exc.text(lang.split('+')[0])}", file=sys.stderr)  # ms+zh: the first
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())

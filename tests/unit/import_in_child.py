"""Run by tests/unit/test_import_killed.py in a process of its own, as the dashboard would:
read a workbook and apply it to the store at URL as USERNAME, then stop where told, print
one line and wait to be killed:

- "halfway": when the apply's progress callback passes half the rows;
- "commit": at the first commit after that, before the COMMIT is sent. An apply that is one
  transaction has written every row by then; one that commits part way stops here holding
  only part of the import, which the test sees in the line below.

The line is "stopped updates=<n> events=<n> versions=<n>": the progress updates, audit
events and sum of item versions this process's transaction sees at that moment, its own
uncommitted rows included.

    python -m tests.unit.import_in_child URL USERNAME WORKBOOK halfway|commit
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import event, func
from sqlalchemy.engine import Connection
from sqlmodel import select

from core.db import make_engine, new_session
from models import ActionItem, AuditEvent, ProgressUpdate, User
from services.excel.imports.apply import apply_import
from services.excel.imports.items_sheet import read_import
from tests.conftest import TODAY
from tests.unit.excel_fixtures import NOW

STOPS = ("halfway", "commit")
WAIT_S = 300  # never left behind for longer if the parent dies without killing it


def _stop(conn: Connection) -> None:
    print("stopped " + " ".join(f"{k}={v}" for k, v in holds(conn).items()), flush=True)
    time.sleep(WAIT_S)
    sys.exit("was not killed")


def holds(conn: Connection) -> dict[str, int]:
    """What an import adds to: progress updates, audit events, item versions."""
    return {"updates": conn.execute(select(func.count()).select_from(ProgressUpdate)).scalar_one(),
            "events": conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
            "versions": conn.execute(select(func.sum(ActionItem.version))).scalar_one()}


def main(url: str, username: str, workbook: str, stop: str) -> None:
    if stop not in STOPS:
        sys.exit(f"stop must be one of {STOPS}")
    engine = make_engine(url)
    past_half = False

    def progress(done: int, total: int) -> None:
        nonlocal past_half
        if done * 2 >= total and not past_half:
            past_half = True
            if stop == "halfway":
                _stop(session.connection())

    @event.listens_for(engine, "commit")
    def before_commit(conn: Connection) -> None:
        if stop == "commit" and past_half:
            _stop(conn)

    path = Path(workbook)
    with new_session(engine) as session:
        actor = session.exec(select(User).where(User.username == username)).one()
        plan = read_import(session=session, actor=actor, data=path.read_bytes(), filename=path.name, today=TODAY)
        if not plan.ok:
            sys.exit(f"the plan has problems: {[str(p) for p in plan.problems[:3]]}")
        apply_import(session=session, actor=actor, plan=plan, now=NOW, progress=progress)
    sys.exit("the import ended without stopping")


if __name__ == "__main__":
    main(*sys.argv[1:])

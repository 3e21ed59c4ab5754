"""clean stored text through the text gate; each change recorded in the audit trail

Text saved before the gate (models/text.py) may hold what the outputs cannot write: Word's
manual line break (a vertical tab), other control characters, text longer than its field on
SQLite. Each free-text column is passed through clean_text; text still over its field's limit
is shortened to the limit (ending in '…'), and a required text that cleans to nothing becomes
'-'. Every changed row gets one audit event ('clean_text') with the old and the new values, so
nothing changes unseen. Quotes of a cleaned source document are found again in the new text.

Revision ID: 0003_i12
Revises: 0002
Create Date: 2026-11-30 12:55:00
"""
import json
from datetime import datetime, timezone
from typing import Optional, Sequence, Union

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime
from models.text import clean_text

revision: str = '0003_i12'
down_revision: Union[str, None] = '0003_i16'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The free-text columns as of this revision: table -> (audit object type, {column: limit}).
# Frozen here (not read from the models) so later columns cannot break this step; coded
# columns (status, kind, category, ...) hold values the services choose and are left alone.
COLUMNS: dict[str, tuple[str, dict[str, Optional[int]]]] = {
    "organisation": ("organisation", {"acronym": 40, "name_en": 300, "name_ms": 300, "name_zh": 300, "country": 80}),
    "sourcedocument": ("source_document", {"slug": 120, "title": 500, "issuer": 300, "text": None,
                                           "translation_en": None}),
    "agreementpackage": ("package", {"name": 300, "name_ms": 300, "name_zh": 300}),
    "agreement": ("agreement", {
        "code": 40, "title_en": 500, "title_ms": 500, "title_zh": 500, "signed_date_note": 200,
        "signed_date_note_ms": 200, "signed_date_note_zh": 200, "place": 200, "signatories": 1000,
        "signatories_ms": 1000, "signatories_zh": 1000, "witnesses": 1000, "witnesses_ms": 1000,
        "witnesses_zh": 1000}),
    "commitmentarea": ("area", {"title_en": 500, "title_ms": 500, "title_zh": 500}),
    "actionitem": ("item", {"title": 500, "title_ms": 500, "title_zh": 500, "description": 10000,
                            "counterpart_focal_point": 300, "owner_name": 200, "owner_email": 320}),
    "milestone": ("milestone", {"title": 300}),
    "evidencelink": ("evidence", {"url": 1000, "label": 300}),
    "progressupdate": ("progress_update", {"note": 4000, "evidence_url": 1000}),
    "meeting": ("meeting", {"body": 300, "venue": 300, "attendees_my": 5000, "attendees_counterpart": 5000,
                            "summary": 20000}),
    "decision": ("decision", {"text": 5000}),
    "user": ("user", {"display_name": 200, "email": 320}),
}
EMPTY_REQUIRED = "-"


def stored_form(value: Optional[str], limit: Optional[int], nullable: bool) -> Optional[str]:
    """What the gate would store for `value`, made to fit: shortened with '…' when over the
    limit, '-' when a required text cleans to nothing."""
    text = clean_text(value)
    if text is None:
        return None if nullable else EMPTY_REQUIRED
    if limit is not None and len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return text


def _changes(conn, table: str, limits: dict[str, Optional[int]]) -> list[tuple[int, dict, dict]]:  # noqa: ANN001
    nullable = {c["name"]: c["nullable"] for c in sa.inspect(conn).get_columns(table)}
    cols = [c for c in limits if c in nullable]
    t = sa.table(table, sa.column("id"), *(sa.column(c) for c in cols))
    found = []
    for row in conn.execute(sa.select(t.c.id, *(t.c[c] for c in cols))):
        before, after = {}, {}
        for c in cols:
            old = getattr(row, c)
            if isinstance(old, str):
                new = stored_form(old, limits[c], nullable[c])
                if new != old:
                    before[c], after[c] = old, new
        if after:
            found.append((row.id, before, after))
    return found


def _requote(conn, doc_id: int, old_text: str, new_text: str) -> None:  # noqa: ANN001
    """Areas quoting a cleaned source document: find each quote (cleaned) in the new text."""
    areas = sa.table("commitmentarea", sa.column("id"), sa.column("source_document_id"),
                     sa.column("quote_start"), sa.column("quote_end"))
    for area in conn.execute(sa.select(areas).where(areas.c.source_document_id == doc_id)).all():
        if area.quote_start is None or area.quote_end is None:
            continue
        quote = clean_text(old_text[area.quote_start:area.quote_end]) or ""
        start = new_text.find(quote) if quote else -1
        values = dict(quote_start=start, quote_end=start + len(quote)) if start >= 0 else dict(
            quote_start=None, quote_end=None, source_document_id=None)
        conn.execute(areas.update().where(areas.c.id == area.id).values(**values))


def upgrade() -> None:
    conn = op.get_bind()
    users = sa.table("user", sa.column("id"), sa.column("username"))
    system_id = conn.execute(sa.select(users.c.id).where(users.c.username == "system")).scalar()
    audit = sa.table("auditevent", sa.column("ts", UTCDateTime), sa.column("user_id"), sa.column("username"),
                     sa.column("action"), sa.column("object_type"), sa.column("object_id"),
                     sa.column("before"), sa.column("after"), sa.column("detail"))
    now = datetime.now(timezone.utc)
    for table, (kind, limits) in COLUMNS.items():
        t = sa.table(table, sa.column("id"), *(sa.column(c) for c in limits))
        for row_id, before, after in _changes(conn, table, limits):
            conn.execute(t.update().where(t.c.id == row_id).values(**after))
            if table == "sourcedocument" and "text" in after:
                _requote(conn, row_id, before["text"], after["text"])
            conn.execute(audit.insert().values(
                ts=now, user_id=system_id, username="system", action="clean_text", object_type=kind,
                object_id=row_id, before=json.dumps(before, ensure_ascii=False, sort_keys=True),
                after=json.dumps(after, ensure_ascii=False, sort_keys=True),
                detail="migration 0003_i12: stored text through the text gate (models/text.py)"))


def downgrade() -> None:
    # Nothing to undo in the schema; the old text stays readable in the audit events.
    pass

"""User text with HTML, scripts and markdown links is shown as inert text on every page."""
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, User
from services.items.progress import update_progress
from tests.apptest.conftest import run_page
from ui.nav import pages_for

PAYLOADS = ["<script>alert(1)</script>", "<b>bold</b>", "[click](javascript:alert(1))"]
HOSTILE = " ".join(PAYLOADS)
RAW_MARKERS = ["<script>", "<b>", "](javascript:"]


def plant(engine) -> None:
    """The payloads in an agreement, an area, an item title, a note and a user's name."""
    with Session(engine, expire_on_commit=False) as s:
        agreement = s.exec(select(Agreement).where(Agreement.code == "MY-CN-AI-2025")).one()
        agreement.title_en = f"AI MoU {HOSTILE}"
        area = s.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == agreement.id)).first()
        area.title_en = f"Area {HOSTILE}"
        item = s.exec(select(ActionItem).where(ActionItem.area_id == area.id)).first()
        admin = s.exec(select(User).where(User.username == "demo.admin")).one()
        admin.display_name = f"Admin {HOSTILE}"
        s.add_all([agreement, area, admin])
        s.commit()
        if item is None:
            item = ActionItem(area_id=area.id, title="x", lead_org_id=agreement.lead_org_id)
        item.title = f"Item {HOSTILE}"
        s.add(item)
        s.commit()
        update_progress(session=s, actor=admin, item_id=item.id, expected_version=item.version,
                        status="in_progress", progress=40, note=f"Note {HOSTILE}",
                        now=datetime.now(timezone.utc))


def markdown_bodies(at) -> list[tuple[str, str]]:
    """(kind, text) of everything Streamlit renders as markdown."""
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        out += [(kind, str(e.value)) for e in at.get(kind) if hasattr(e, "value")]
    out += [("expander", e.label) for e in at.expander]
    return out


@pytest.mark.parametrize("page", [p.path for p in pages_for("admin")])
def test_every_page_shows_payloads_as_inert_text(app_db, page):
    plant(app_db)
    at = run_page(page, user="demo.admin", query={"agreement": "MY-CN-AI-2025"})
    assert not at.exception
    for element in at.get("markdown"):
        assert not element.proto.allow_html, f"unsafe_allow_html on {element.value[:60]!r}"
    for kind, text in markdown_bodies(at):
        for marker in RAW_MARKERS:
            assert marker not in text, f"{kind} renders {marker!r} unescaped in {page}: {text[:120]!r}"
    for element in at.get("html"):  # only our cookie script may be raw HTML
        assert "alert(1)" not in element.proto.body
    # The sidebar names the user with the payload, escaped: proof the text is shown, inert.
    assert any(r"\<script\>alert\(1\)\</script\>" in text for _, text in markdown_bodies(at))


def test_agreements_page_shows_escaped_titles_and_raw_cells(app_db):
    plant(app_db)
    at = run_page("views/agreements.py", user="demo.viewer", query={"agreement": "MY-CN-AI-2025"})
    assert r"\[click\]\(javascript\:alert\(1\)\)" in at.header[0].value
    assert any(r"\<b\>bold\</b\>" in e.label for e in at.expander)
    cells = [v for df in at.dataframe for col in df.value.columns for v in df.value[col].astype(str)]
    assert any(HOSTILE in c for c in cells)  # table cells hold the text itself, drawn as text

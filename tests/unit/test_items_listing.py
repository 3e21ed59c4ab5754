"""The items list: every filter against a plain-Python reference, sorting, paging, "my items",
and the URL round trip."""
from datetime import date

import pytest
from sqlmodel import select

from models import ActionItem, Agreement, CommitmentArea, ItemSupport
from services import rules
from services.items.listing import ItemFilter, filter_from_params, filter_to_params, list_items, my_items_filter
from services.seeding.sample import seed_sample
from services.agreements.setup import set_archived
from tests.conftest import TODAY
from tests.unit.item_factories import add_item, org_id


@pytest.fixture
def sampled(seeded, system_user):
    seed_sample(session=seeded, actor=system_user, today=TODAY)
    return seeded


def reference(session, keep) -> list[int]:
    """Ids of live items for which keep(item, rag, agreement_id, supporters) holds."""
    out = []
    for item in session.exec(select(ActionItem)).all():
        area = session.get(CommitmentArea, item.area_id)
        agreement = session.get(Agreement, area.agreement_id)
        if item.archived or area.archived or agreement.archived:
            continue
        rag = rules.compute_rag(status=item.status, progress=item.progress, start=item.start_date,
                                due=item.due_date, last_update=rules.as_date(item.last_update_at or item.created_at),
                                today=TODAY)
        supporters = set(session.exec(select(ItemSupport.organisation_id).where(ItemSupport.item_id == item.id)).all())
        if keep(item, rag, agreement.id, supporters):
            out.append(item.id)
    return sorted(out)


def ids(session, flt):
    page = list_items(session=session, flt=flt, today=TODAY, limit=10_000)
    assert page.total == len(page.rows)
    return sorted(r.id for r in page.rows)


FILTERS = [
    ("all", {}, lambda i, rag, a, s: True),
    ("status", {"status": ("completed", "on_hold")}, lambda i, rag, a, s: i.status in ("completed", "on_hold")),
    ("rag red", {"rag": ("red",)}, lambda i, rag, a, s: rag == "red"),
    ("rag none+amber", {"rag": ("none", "amber")}, lambda i, rag, a, s: rag in (None, "amber")),
    ("category", {"category": "technical_exchange"}, lambda i, rag, a, s: i.category == "technical_exchange"),
    ("owner", {"owner": "siti"}, lambda i, rag, a, s: "siti" in (i.owner_name or "").lower()),
    ("text", {"q": "WORKSHOP"}, lambda i, rag, a, s: "workshop" in " ".join(filter(None, [i.title, i.description, i.owner_name, i.counterpart_focal_point])).lower()),  # noqa: E501
    ("due window", {"due_from": date(2026, 6, 1), "due_to": date(2027, 3, 31)},
     lambda i, rag, a, s: i.due_date is not None and date(2026, 6, 1) <= i.due_date <= date(2027, 3, 31)),
    ("open only", {"open_only": True}, lambda i, rag, a, s: i.status not in ("completed", "cancelled")),
]


@pytest.mark.parametrize("name,kw,keep", FILTERS, ids=[f[0] for f in FILTERS])
def test_filters_match_a_plain_python_reference(sampled, name, kw, keep):
    expected = reference(sampled, keep)
    assert ids(sampled, ItemFilter(**kw)) == expected
    assert expected or name in ("owner",), "the sample data should exercise this filter"


def test_agreement_area_and_lead_filters(sampled):
    agreement = sampled.exec(select(Agreement).where(Agreement.code == "MY-CN-AI-2025")).one()
    mdec = org_id(sampled, "MDEC")
    assert ids(sampled, ItemFilter(agreement=agreement.id)) == reference(sampled, lambda i, r, a, s: a == agreement.id)
    area_id = sampled.exec(select(ActionItem.area_id)).first()
    assert ids(sampled, ItemFilter(area=area_id)) == reference(sampled, lambda i, r, a, s: i.area_id == area_id)
    assert ids(sampled, ItemFilter(lead=mdec)) == reference(sampled, lambda i, r, a, s: i.lead_org_id == mdec)
    both = ids(sampled, ItemFilter(lead=mdec, agreement=agreement.id, rag=("red", "amber", "green")))
    assert both == reference(sampled, lambda i, r, a, s: i.lead_org_id == mdec and a == agreement.id and r is not None)


def test_free_text_treats_wildcards_literally(seeded):
    add_item(seeded, title="Reach 100% coverage")
    add_item(seeded, title="Reach 1000 schools")
    add_item(seeded, title="snake_case review")
    add_item(seeded, title="snakeXcase review")
    assert [r.title for r in list_items(session=seeded, flt=ItemFilter(q="100%"), today=TODAY).rows] == ["Reach 100% coverage"]
    assert [r.title for r in list_items(session=seeded, flt=ItemFilter(q="e_c"), today=TODAY).rows] == ["snake_case review"]


@pytest.mark.parametrize("sort,desc", [("due", False), ("due", True), ("title", False), ("progress", True),
                                       ("status", False), ("updated", True)])
def test_sorting(sampled, sort, desc):
    rows = list_items(session=sampled, flt=ItemFilter(sort=sort, desc=desc), today=TODAY, limit=1000).rows
    attr = {"due": "due", "title": "title", "progress": "progress", "status": "status", "updated": "last_update"}[sort]
    present = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
    assert present == sorted(present, reverse=desc)
    missing = [i for i, r in enumerate(rows) if getattr(r, attr) is None]
    assert missing == list(range(len(rows) - len(missing), len(rows)))  # empty values last


def test_rag_sort_puts_red_first_then_by_due(sampled):
    rows = list_items(session=sampled, flt=ItemFilter(sort="rag"), today=TODAY, limit=1000).rows
    order = {"red": 0, "amber": 1, "green": 2, None: 3}
    assert [order[r.rag] for r in rows] == sorted(order[r.rag] for r in rows)
    reds = [r.due for r in rows if r.rag == "red"]
    assert reds == sorted(reds)


def test_paging(sampled):
    everything = list_items(session=sampled, flt=ItemFilter(), today=TODAY, limit=1000)
    page2 = list_items(session=sampled, flt=ItemFilter(), today=TODAY, offset=10, limit=10)
    assert page2.total == everything.total
    assert [r.id for r in page2.rows] == [r.id for r in everything.rows[10:20]]
    beyond = list_items(session=sampled, flt=ItemFilter(), today=TODAY, offset=10_000, limit=10)
    last_page = (everything.total - 1) // 10 * 10
    assert beyond.offset == last_page and beyond.rows == everything.rows[last_page:]  # never an error


def test_my_items_are_led_or_supported_and_due_soonest_first(seeded, users):
    mine_lead = add_item(seeded, "MDEC", due_date=date(2026, 9, 1))
    mine_support = add_item(seeded, "KD", support=("MDEC",), due_date=date(2026, 6, 1))
    add_item(seeded, "KD", due_date=date(2026, 5, 1))  # not MDEC's
    done = add_item(seeded, "MDEC", due_date=date(2026, 4, 1), status="completed", progress=100)
    flt = my_items_filter(users["focal_point"])
    assert [r.id for r in list_items(session=seeded, flt=flt, today=TODAY).rows] == [mine_support.id, mine_lead.id]
    everything = my_items_filter(users["focal_point"], open_only=False)
    assert [r.id for r in list_items(session=seeded, flt=everything, today=TODAY).rows] == [done.id, mine_support.id, mine_lead.id]


def test_archived_items_are_listed_only_when_asked(seeded, users):
    keep, gone = add_item(seeded), add_item(seeded, title="Old item")
    set_archived(session=seeded, actor=users["secretariat"], kind="item", object_id=gone.id, archived=True)
    assert ids(seeded, ItemFilter()) == [keep.id]
    assert ids(seeded, ItemFilter(archived=True)) == [gone.id]


@pytest.mark.parametrize("flt", [
    ItemFilter(),
    ItemFilter(agreement=3, area=7, category="talent_programme", lead=2, status=("in_progress",), rag=("red", "none"),
               owner="Siti", due_from=date(2026, 1, 1), due_to=date(2026, 12, 31), q="AI safety", open_only=True,
               sort="rag", desc=True),
])
def test_filter_round_trips_through_the_url(flt):
    params = filter_to_params(flt)
    assert all(isinstance(v, str) for v in params.values())
    assert filter_from_params(params) == flt


@pytest.mark.parametrize("params,expected", [
    ({"agreement": "x", "due_from": "2026-02-31", "sort": "nope"}, ItemFilter()),
    ({"status": "in_progress,bogus", "rag": "purple"}, ItemFilter(status=("in_progress",))),
    ({"desc": "yes", "page": "3"}, ItemFilter(desc=True)),
])
def test_malformed_url_values_are_ignored(params, expected):
    assert filter_from_params(params) == expected


@pytest.mark.store
def test_filters_and_changes_on_both_stores(store_engine):
    """The list's SQL (escaped ILIKE, EXISTS, NULLS-last ordering) and the "what changed"
    query run the same on SQLite and PostgreSQL."""
    from datetime import datetime, timezone

    from sqlmodel import Session

    from models import Role
    from services.items.progress import update_progress
    from services.meetings.changes import what_changed
    from services.seeding.facts import ensure_system_user, seed_facts
    from tests.conftest import make_user

    with Session(store_engine, expire_on_commit=False) as s:
        seed_facts(session=s, actor=ensure_system_user(session=s))
        s.commit()
        sec = make_user(s, "sec", Role.SECRETARIAT)
        a = add_item(s, "KD", support=("MDEC",), title="Reach 100% coverage", due_date=None,
                     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        b = add_item(s, "MDEC", title="Reach 1000 schools", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        update_progress(session=s, actor=sec, item_id=b.id, expected_version=1, status="in_progress",
                        progress=20, now=datetime(2026, 3, 1, tzinfo=timezone.utc))
        mdec = org_id(s, "MDEC")
        assert [r.id for r in list_items(session=s, flt=ItemFilter(q="100%"), today=TODAY).rows] == [a.id]
        assert [r.id for r in list_items(session=s, flt=ItemFilter(org=mdec), today=TODAY).rows] == [b.id, a.id]
        assert [r.id for r in list_items(session=s, flt=ItemFilter(sort="due", desc=True), today=TODAY).rows] == [b.id, a.id]
        changes = what_changed(session=s, since=date(2026, 2, 1), today=date(2026, 3, 2))
        assert changes.ids()["improved"] == [b.id] and changes.ids()["no_update"] == [a.id]

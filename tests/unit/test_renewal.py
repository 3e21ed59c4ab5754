"""Renewing (a linked successor carrying the open items with their history) and closing
(an outcome per open item, counted in the final figures); each refusal writes nothing."""
from datetime import date

import pytest
from sqlmodel import select

from models import (
    ActionItem, Agreement, AgreementPackage, AgreementRelation, CommitmentArea, ItemCarry, ItemOutcome, ProgressUpdate,
)
from services.errors import ConfirmationNeeded, PermissionDenied, ValidationFailed
from services.lifecycle.renewal import (
    carry_items, close_agreement, final_figures, open_items, renew_agreement, successor_of,
)
from tests.unit.scenario import TODAY, build_scenario


@pytest.fixture
def scenario(session):
    return build_scenario(session)


def _code(session, code) -> Agreement:
    return session.exec(select(Agreement).where(Agreement.code == code)).one()


def _counts(session) -> tuple:
    return tuple(len(session.exec(select(m)).all()) for m in (Agreement, AgreementRelation, ItemCarry, ItemOutcome,
                                                             CommitmentArea))


def test_renewal_creates_a_linked_successor_carrying_open_items(session, scenario):
    sec, de = scenario.users["secretariat"], _code(session, "MY-CN-DE-2025")
    history = len(session.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == scenario.a)).all())
    new = renew_agreement(session=session, actor=sec, agreement_id=de.id, code="MY-CN-DE-2030", today=TODAY,
                          clock={"signed_on": date(2026, 11, 20), "term_years": 5})
    assert successor_of(session, de.id).id == new.id
    assert (de.status, de.closed_on) == ("superseded", TODAY)
    assert (new.package_id, new.lead_org_id, new.term_months) == (de.package_id, de.lead_org_id, 60)
    moved = {i.id for i in open_items(session, new.id)}
    assert moved == {scenario.a, scenario.c} and open_items(session, de.id) == []
    carries = session.exec(select(ItemCarry).where(ItemCarry.from_agreement_id == de.id)).all()
    assert {c.item_id for c in carries} == moved  # reachable from the predecessor too
    assert len(session.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == scenario.a)).all()) == history


@pytest.mark.parametrize("kwargs,message", [
    ({"code": "MY-CN-AI-2025"}, "Reference"),
    ({"code": ""}, "Reference"),
    ({"code": "NEW-1", "relation": "replaces"}, "Relation"),
    ({"code": "NEW-1", "clock": {"signed_on": date(2026, 1, 1), "expires_on": date(2025, 1, 1)}}, "Expiry date"),
])
def test_renewal_refusals_write_nothing(session, scenario, kwargs, message):
    de, before = _code(session, "MY-CN-DE-2025"), _counts(session)
    with pytest.raises(ValidationFailed, match=message):
        renew_agreement(session=session, actor=scenario.users["secretariat"], agreement_id=de.id, today=TODAY,
                        **kwargs)
    session.rollback()
    assert _counts(session) == before and _code(session, "MY-CN-DE-2025").status == "in_force"


def test_renewing_twice_is_refused(session, scenario):
    sec, de = scenario.users["secretariat"], _code(session, "MY-CN-DE-2025")
    renew_agreement(session=session, actor=sec, agreement_id=de.id, code="DE-2", today=TODAY)
    with pytest.raises(ValidationFailed, match="already renewed: DE-2 succeeds it"):
        renew_agreement(session=session, actor=sec, agreement_id=de.id, code="DE-3", today=TODAY)
    with pytest.raises(PermissionDenied):
        renew_agreement(session=session, actor=scenario.users["viewer"], agreement_id=de.id, code="DE-4", today=TODAY)


def test_carrying_into_another_package_needs_confirmation(session, scenario):
    sec, ai = scenario.users["secretariat"], _code(session, "MY-CN-AI-2025")
    other = AgreementPackage(name="Another visit", stated_total=1)
    session.add(other)
    session.commit()
    ai.package_id = other.id
    session.add(ai)
    session.commit()
    before = _counts(session)
    with pytest.raises(ConfirmationNeeded, match="another package"):
        carry_items(session=session, actor=sec, item_ids=[scenario.a], to_agreement_id=ai.id, today=TODAY)
    assert _counts(session) == before
    assert carry_items(session=session, actor=sec, item_ids=[scenario.a], to_agreement_id=ai.id, today=TODAY,
                       confirm_other_package=True) == [scenario.a]
    assert scenario.a in {i.id for i in open_items(session, ai.id)}


def test_closing_asks_an_outcome_for_each_open_item(session, scenario):
    sec, de = scenario.users["secretariat"], _code(session, "MY-CN-DE-2025")
    before = _counts(session)
    with pytest.raises(ValidationFailed, match="Outcome: .*Item C"):
        close_agreement(session=session, actor=sec, agreement_id=de.id, today=TODAY,
                        outcomes={scenario.a: {"outcome": "achieved"}})
    with pytest.raises(ValidationFailed, match="Note"):
        close_agreement(session=session, actor=sec, agreement_id=de.id, today=TODAY,
                        outcomes={scenario.a: {"outcome": "achieved", "note": "x" * 2001},
                                  scenario.c: {"outcome": "dropped"}})
    assert _counts(session) == before and _code(session, "MY-CN-DE-2025").status == "in_force"
    item = session.get(ActionItem, scenario.a)
    item.status, item.progress = "completed", 100
    session.add(item)
    session.commit()
    figures = close_agreement(session=session, actor=sec, agreement_id=de.id, today=TODAY,
                              outcomes={scenario.c: {"outcome": "partly_achieved", "note": "Half the pilots ran"}})
    assert figures == {"completed": 1, "achieved": 0, "partly_achieved": 1, "not_achieved": 0, "dropped": 0}
    assert final_figures(session=session, agreement_id=de.id) == figures
    assert (de.status, de.closed_on) == ("terminated", TODAY)
    with pytest.raises(ValidationFailed, match="already closed"):
        close_agreement(session=session, actor=sec, agreement_id=de.id, today=TODAY, outcomes={})

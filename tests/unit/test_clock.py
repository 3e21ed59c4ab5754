"""The agreement's clock as tables: expiry, renewal, notice deadline, status, stage, dormant."""
from datetime import date

import pytest

from services.lifecycle.clock import (
    Clock, StageFacts, add_months, check_clock, coverage, current_expiry, derive_status, is_dormant,
    notice_deadline, stage_of,
)
from services.rules import RuleError

D = date
TODAY = D(2026, 11, 26)


@pytest.mark.parametrize("day,months,expected", [
    (D(2025, 4, 16), 12, D(2026, 4, 16)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2025, 12, 15), 60, D(2030, 12, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize("clock,expected", [
    # nothing stated: the recorded status stands (the seeded LOI)
    (Clock(status="in_force"), "in_force"),
    (Clock(status="draft"), "draft"),
    (Clock(status="under_negotiation"), "draft"),
    # signed, no separate entry into force, no term: in force on signature
    (Clock(status="in_force", signed_on=D(2025, 4, 16)), "in_force"),
    # signed but recorded as signed only, entry into force not yet known
    (Clock(status="signed", signed_on=D(2025, 4, 16)), "signed"),
    (Clock(status="draft", signed_on=D(2025, 4, 16)), "signed"),
    # entry into force in the future
    (Clock(signed_on=D(2026, 11, 1), in_force_from=D(2027, 1, 1)), "signed"),
    # a five-year term from signature still running; a two-year one ended
    (Clock(signed_on=D(2025, 4, 16), term_months=60), "in_force"),
    (Clock(signed_on=D(2023, 4, 16), term_months=24), "expired"),
    (Clock(signed_on=D(2023, 4, 16), expires_on=D(2026, 11, 26)), "in_force"),  # last day
    (Clock(signed_on=D(2023, 4, 16), expires_on=D(2026, 11, 25)), "expired"),
    # automatic renewal: passed its first expiry, renewed
    (Clock(signed_on=D(2023, 4, 16), term_months=24, auto_renews=True), "renewed"),
    (Clock(signed_on=D(2023, 4, 16), term_months=24, auto_renews=True, renewal_months=12), "renewed"),
    # renews, but the renewal period is not stated: only the stated expiry is known
    (Clock(signed_on=D(2023, 4, 16), expires_on=D(2025, 4, 16), auto_renews=True), "expired"),
    # acts are recorded, whatever the dates
    (Clock(status="terminated", signed_on=D(2025, 4, 16), term_months=60), "terminated"),
    (Clock(status="superseded", signed_on=D(2025, 4, 16)), "superseded"),
    # recorded expired with no dates stays expired; dates overrule a stale record
    (Clock(status="expired"), "expired"),
    (Clock(status="expired", signed_on=D(2025, 4, 16), term_months=60), "in_force"),
])
def test_status_from_dates(clock, expected):
    assert derive_status(clock, TODAY) == expected


@pytest.mark.parametrize("clock,expiry,renewals,deadline", [
    (Clock(signed_on=D(2025, 4, 16)), None, 0, None),  # no term: not stated, nothing derived
    (Clock(signed_on=D(2025, 4, 16), term_months=60), D(2030, 4, 16), 0, None),
    (Clock(signed_on=D(2025, 4, 16), term_months=60, notice_days=180), D(2030, 4, 16), 0, D(2029, 10, 18)),
    (Clock(signed_on=D(2025, 4, 16), in_force_from=D(2025, 6, 1), term_months=12, notice_days=30),
     D(2026, 6, 1), 0, D(2026, 5, 2)),
    # two-year term from 16 Apr 2023, renewing yearly: 2025 then 2026 (2026-04-16 < today) -> 2027
    (Clock(signed_on=D(2023, 4, 16), term_months=24, auto_renews=True, renewal_months=12, notice_days=90),
     D(2027, 4, 16), 2, D(2027, 1, 16)),
    (Clock(signed_on=D(2023, 4, 16), term_months=24, auto_renews=True), D(2027, 4, 16), 1, None),
    (Clock(expires_on=D(2026, 12, 31), notice_days=31), D(2026, 12, 31), 0, D(2026, 11, 30)),
])
def test_expiry_and_notice_deadline(clock, expiry, renewals, deadline):
    assert current_expiry(clock, TODAY) == (expiry, renewals)
    assert notice_deadline(clock, TODAY) == deadline


@pytest.mark.parametrize("clock,field", [
    (Clock(signed_on=D(2025, 4, 16), expires_on=D(2025, 4, 1)), "Expiry date"),
    (Clock(in_force_from=D(2025, 5, 1), expires_on=D(2025, 5, 1)), "Expiry date"),
    (Clock(signed_on=D(2025, 4, 16), in_force_from=D(2025, 4, 1)), "In force from"),
    (Clock(signed_on=D(2025, 4, 16), term_months=12, notice_days=400), "Notice period"),
    (Clock(signed_on=D(2025, 4, 16), expires_on=D(2025, 6, 16), notice_days=61), "Notice period"),
    (Clock(term_months=6, notice_days=200), "Notice period"),
    (Clock(term_months=12, expires_on=D(2027, 1, 1)), "Expiry date"),
    (Clock(term_months=0), "Term"),
    (Clock(term_months=5000), "Term"),
    (Clock(notice_days=-1), "Notice period"),
    (Clock(renewal_months=12, auto_renews=False), "Renews for"),
])
def test_impossible_clocks_are_refused_naming_the_field(clock, field):
    with pytest.raises(RuleError) as caught:
        check_clock(clock)
    assert str(caught.value).startswith(field + ":")


@pytest.mark.parametrize("clock", [
    Clock(),
    Clock(signed_on=D(2025, 4, 16), term_months=60, notice_days=180, auto_renews=True, renewal_months=24),
    Clock(signed_on=D(2025, 4, 16), expires_on=D(2026, 4, 16), notice_days=90),
])
def test_possible_clocks_pass(clock):
    check_clock(clock)


@pytest.mark.parametrize("facts,stage", [
    (StageFacts(status="draft"), "draft"),
    (StageFacts(status="in_force"), "signed"),
    (StageFacts(status="signed", focal_points=True), "focal_points"),
    (StageFacts(status="in_force", focal_points=True, joint_body=True), "joint_body"),
    (StageFacts(status="in_force", focal_points=True, joint_body=True, met=True), "first_meeting"),
    (StageFacts(status="renewed", focal_points=True, joint_body=True, met=True, delivered=True), "first_deliverable"),
    # a later fact implies the earlier stages
    (StageFacts(status="in_force", met=True), "first_meeting"),
    (StageFacts(status="in_force", delivered=True), "first_deliverable"),
    (StageFacts(status="expired", delivered=True), "closed"),
    (StageFacts(status="terminated"), "closed"),
    (StageFacts(status="superseded", focal_points=True), "closed"),
])
def test_stage_from_data(facts, stage):
    assert stage_of(facts) == stage


@pytest.mark.parametrize("update,meeting,signed,status,expected", [
    (D(2026, 11, 1), None, D(2025, 4, 16), "in_force", False),
    (D(2026, 8, 28), None, D(2025, 4, 16), "in_force", False),  # exactly 90 days
    (D(2026, 8, 27), None, D(2025, 4, 16), "in_force", True),  # 91 days
    (D(2026, 1, 1), D(2026, 10, 1), D(2025, 4, 16), "in_force", False),  # a meeting counts
    (None, None, D(2025, 4, 16), "in_force", True),  # nothing since signature
    (None, None, D(2026, 10, 1), "in_force", False),  # signed recently
    (None, None, None, "in_force", False),  # no date at all: cannot tell
    (None, None, D(2020, 1, 1), "expired", False),
    (None, None, None, "draft", False),
])
def test_dormant(update, meeting, signed, status, expected):
    assert is_dormant(last_update=update, last_meeting=meeting, signed_on=signed, status=status,
                      today=TODAY, days=90) is expected


@pytest.mark.parametrize("areas,covered,expected", [(0, 0, None), (4, 0, 0.0), (4, 3, 0.75), (14, 14, 1.0)])
def test_coverage(areas, covered, expected):
    assert coverage(areas, covered) == expected

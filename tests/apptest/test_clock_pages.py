"""The agreement's clock on the Agreements page and the Overview: a seeded agreement shows
'Not stated'; the secretariat gives a term and notice period; the Overview then lists it
within 12 months; an impossible clock is refused naming the field, nothing saved."""
from sqlmodel import Session, select

from models import Agreement
from tests.apptest.conftest import run_page


def _de(engine) -> Agreement:
    with Session(engine) as session:
        return session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _clock_form(at, agreement_id, years, notice):
    at.number_input(key=f"clock{agreement_id}_ty").set_value(years)
    at.number_input(key=f"clock{agreement_id}_nd").set_value(notice)
    at.button(key=f"FormSubmitter:clock_{agreement_id}-Save dates and term").click()
    return at.run()


def test_seeded_agreement_states_no_term(app_db):
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-DE-2025"})
    assert not at.exception
    body = _texts(at)
    assert "**Term:** Not stated" in body and "**Expires:** Not stated" in body
    assert "**Commitment coverage:**" in body


def test_secretariat_sets_a_term_and_the_overview_lists_it(app_db):
    de = _de(app_db)
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-DE-2025"}, user="demo.secretariat")
    at = _clock_form(at, de.id, 2, 90)
    assert not at.exception, at.exception
    assert "Dates and term saved." in [s.value for s in at.success] or "**Term:** 2 years" in _texts(at)
    assert _de(app_db).term_months == 24
    overview = run_page()
    assert not overview.exception
    table = next(f.value for f in overview.dataframe if "Time to notice deadline" in f.value.columns)
    assert list(table["Code"]) == ["MY-CN-DE-2025"]
    assert table["Expires"][0] == "16 Apr 2027"


def test_an_impossible_clock_is_refused_naming_the_field(app_db):
    de = _de(app_db)
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-DE-2025"}, user="demo.secretariat")
    at = _clock_form(at, de.id, 1, 400)
    assert not at.exception
    assert "Notice period" in at.error[0].value
    assert _de(app_db).term_months is None


def test_secretariat_renews_then_the_successor_shows(app_db):
    de = _de(app_db)
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-DE-2025"}, user="demo.secretariat")
    at.text_input(key="renew_code").input("MY-CN-DE-2030")
    at.button(key=f"FormSubmitter:renew_{de.id}-Renew").click()
    at.run()
    assert not at.exception, at.exception
    with Session(app_db) as session:
        new = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2030")).one()
        assert new.package_id == de.package_id
        assert _de(app_db).status == "superseded"


def test_closing_without_outcomes_is_refused_naming_the_items(app_db):
    de = _de(app_db)
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-DE-2025"}, user="demo.secretariat")
    at.button(key=f"FormSubmitter:close_{de.id}-Close the agreement").click()
    at.run()
    assert not at.exception
    assert any("Outcome\\: choose one for each open item" in e.value for e in at.error), [e.value for e in at.error]
    assert _de(app_db).status == "in_force"


def test_the_brief_button_is_offered_to_every_reader(app_db):
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-DE-2025"})
    assert not at.exception
    assert [b for b in at.get("download_button") if "renewal brief" in b.proto.label]

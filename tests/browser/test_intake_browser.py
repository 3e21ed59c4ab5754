"""In headless Chromium, in English and in Malay, the intake of a new MoU (issue 16): a new
counterpart, an agreement, its pasted text, three clauses ticked into areas, an item added
under one, and the agreement's coverage on its page."""
import pytest
from sqlmodel import Session, select

from core.db import make_engine
from models import ActionItem, Agreement, CommitmentArea, Organisation
from services.i18n.translate import gettext
from tests.browser.conftest import running_dashboard, screenshot, sign_in

pytestmark = pytest.mark.browser
MOU = ("Article 1 Objective\nThe Parties shall cooperate on digital government.\n"
       "Article 2 Areas of Cooperation\n(a) exchange of experts on digital identity;\n"
       "(b) joint training of officials; and\n(c) explore a joint data centre.")
CLAUSES = ["exchange of experts on digital identity", "joint training of officials", "explore a joint data centre"]


@pytest.fixture(scope="module")
def intake_dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser16")
    with running_dashboard(folder) as (base, passwords):
        engine = make_engine(f"sqlite:///{folder / 'tracker.db'}")
        yield {"base": base, "password": passwords["demo.secretariat"], "engine": engine}
        engine.dispose()


def visible(locator):
    return locator.filter(visible=True).first


def choose(page, label: str, option: str, also: str = "") -> None:
    """A Streamlit selectbox or multiselect: open it, type, pick the option (the one that also
    holds `also`, when other options share the text)."""
    box = visible(page.get_by_role("combobox", name=label))
    box.click()
    box.fill(option)
    visible(page.get_by_role("option", name=option).filter(has_text=also)).click()
    page.wait_for_timeout(600)


def wait_text(page, text: str) -> None:
    visible(page.get_by_text(text)).wait_for(timeout=30000)


@pytest.fixture
def shot_on_failure(request, anon_page):
    """The page as the test left it (screenshots/intake_last_LANG.png): where a failure stopped."""
    yield
    screenshot(anon_page, f"intake_last_{request.node.callspec.params['lang']}", height=2000)


@pytest.mark.parametrize("lang, code, acronym", [("en", "MY-VN-DG-2026", "MIC-VN"), ("ms", "MY-TH-DE-2026", "DE-TH")])
def test_intake_of_a_new_mou(intake_dashboard, anon_page, shot_on_failure, lang, code, acronym):
    page, d = anon_page, intake_dashboard
    t = lambda key, **kw: gettext(lang, key, **kw)  # noqa: E731
    sign_in(page, d["base"], "demo.secretariat", d["password"])
    page.goto(f"{d['base']}/setup?lang={lang}")
    page.get_by_role("heading", name=t("Set-up")).wait_for(timeout=30000)
    visible(page.get_by_text(t("New counterpart (not in the list)"))).click()
    visible(page.get_by_label(t("Acronym"))).fill(acronym)
    visible(page.get_by_label(t("Name (English)"))).fill(f"Counterpart ministry {acronym}")
    visible(page.get_by_label(t("Country"))).fill("ASEAN")
    visible(page.get_by_role("button", name=t("Add this organisation"))).click()
    wait_text(page, t("{acronym} added: choose it under Counterparts.", acronym=acronym))

    visible(page.get_by_label(t("Reference code"))).fill(code)
    visible(page.get_by_label(t("Title (English)"))).fill(f"MoU {code} on digital government")
    choose(page, t("Counterparts"), acronym)
    page.keyboard.press("Escape")
    visible(page.get_by_role("button", name=t("Save agreement"))).click()
    wait_text(page, t("Agreement saved."))
    page.goto(f"{d['base']}/setup?lang={lang}")  # the other tabs list it from the next run on

    visible(page.get_by_role("tab", name=t("Texts and clauses"))).click()
    choose(page, t("Agreement"), code)
    wait_text(page, t("Text not yet attached: paste the agreement's text or attach its file below."))
    choose(page, t("Language"), "English")
    visible(page.get_by_label(t("Paste the text"))).fill(MOU)
    visible(page.get_by_role("button", name=t("Attach"), exact=True)).click()
    wait_text(page, t("Document attached."))
    for clause in CLAUSES:
        visible(page.get_by_text(clause)).click()
        page.wait_for_timeout(800)
    visible(page.get_by_role("button", name=t("Create {n} commitment areas", n=3))).click()
    wait_text(page, t("Commitment areas created."))
    screenshot(page, f"intake_clauses_{lang}", height=1600)

    visible(page.get_by_role("tab", name=t("Action items"))).click()
    # both runs' agreements have this area (options read "CODE · title"); Malay marks the English title
    choose(page, t("Commitment area"), "exchange of experts on digital identity", also=code)
    visible(page.get_by_label(t("Title (English)"), exact=True)).fill("Hold the first expert exchange")
    visible(page.get_by_role("button", name=t("Save action item"))).click()
    wait_text(page, t("Action item saved."))

    page.goto(f"{d['base']}/agreements?agreement={code}&lang={lang}")
    metric = page.get_by_test_id("stMetric").filter(has_text=t("Quoted clauses with a live action item"))
    metric.wait_for(timeout=90000)  # the page draws three charts first, on a busy machine
    assert "33" in metric.inner_text()  # one of the three quoted clauses has a live item
    page.get_by_text("exchange of experts on digital identity").first.wait_for(timeout=30000)
    screenshot(page, f"intake_agreement_{lang}", height=2400)
    with Session(d["engine"]) as s:
        agreement = s.exec(select(Agreement).where(Agreement.code == code)).one()
        org = s.exec(select(Organisation).where(Organisation.acronym == acronym)).one()
        areas = s.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == agreement.id)).all()
        assert len(areas) == 3 and agreement.lead_org_id and org.id
        items = s.exec(select(ActionItem).where(ActionItem.area_id.in_([a.id for a in areas]))).all()
        assert [i.title for i in items] == ["Hold the first expert exchange"]

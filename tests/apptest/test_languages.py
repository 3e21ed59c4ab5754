"""Each page in each language: no exception, no interface English left on a Malay or Chinese
page; the language from the URL, the switch, the browser and the signed-in user's choice."""
import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Agreement, AuditEvent, Role, User
from services.i18n.translate import LANGUAGES
from tests.apptest.conftest import APP, run_page
from tests.apptest.conftest import user_id as demo_user_id
from ui.nav import PAGES
from tests.apptest.untranslated import page_texts, translated, untranslated
from ui.widgets import md_escape

def _admin(engine) -> int:
    with Session(engine) as session:
        user = User(username="lang.admin", display_name="Lang Admin", role=Role.ADMIN.value)
        session.add(user)
        session.commit()
        return user.id


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_every_page_in_each_language(app_db, spec, lang):
    """Every page of the registry, as an administrator (who sees them all)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["user_id"] = _admin(app_db)
    at.query_params["lang"] = lang
    at.run()
    if not spec.default:
        at.switch_page(spec.path).run()
    assert not at.exception, at.exception
    assert at.title[0].value == translated(lang, spec.title)
    if lang != "en":
        with Session(app_db) as session:
            assert untranslated(at, lang, session) == []


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_sign_in_page_in_each_language(app_db, lang):
    at = run_page(query={"lang": lang}, user=None)
    assert not at.exception
    assert at.button_group[0].value == lang  # the switch is there before signing in
    with Session(app_db) as session:
        assert untranslated(at, lang, session) == []


def test_the_leftover_check_finds_english(app_db):
    at = run_page(query={"lang": "ms"})
    at.caption[0].proto.body = "As of 26 November 2026"  # as if t() had been forgotten
    with Session(app_db) as session:
        leftovers = untranslated(at, "ms", session)
    assert [k for k, _ in leftovers] == ["As of"]


def _run(query=None, *, locale=None, user_id=None) -> AppTest:
    """The app signed in (as the demo viewer unless `user_id` says who)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if locale:
        at.context = {"locale": locale}
    at.session_state["user_id"] = user_id or demo_user_id("demo.viewer")
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("locale,expected", [("ms-MY", "ms"), ("zh-CN", "zh"), ("en-GB", "en"), ("fr-FR", "en")])
def test_default_comes_from_the_browser(app_db, locale, expected):
    at = _run(locale=locale)
    assert at.title[0].value == translated(expected, "Overview")
    assert "lang" not in at.query_params  # a default is not a choice: the URL stays clean


def test_url_beats_the_browser(app_db):
    at = _run({"lang": "zh"}, locale="ms-MY")
    assert at.title[0].value == "概览"


def test_switch_changes_language_and_url(app_db):
    at = _run()
    switch = at.button_group[0]
    assert switch.value == "en" and list(switch.options) == ["Bahasa Melayu", "English", "中文"]
    switch.set_value("ms").run()
    assert at.title[0].value == "Gambaran keseluruhan"
    assert at.query_params["lang"] == "ms"
    assert "Setakat" in " ".join(page_texts(at))


def test_choice_survives_a_page_change(app_db):
    at = _run({"lang": "zh"})
    at.switch_page("views/agreements.py").run()
    assert at.title[0].value == "协议"


def _user(engine, language=None) -> int:
    with Session(engine) as session:
        user = User(username="lang.user", display_name="Lang User", role=Role.VIEWER.value, language=language)
        session.add(user)
        session.commit()
        return user.id


def test_signed_in_users_saved_language(app_db):
    at = _run(user_id=_user(app_db, "zh"), locale="ms-MY")
    assert at.title[0].value == "概览"
    assert any("查看者" in c.value for c in at.sidebar.caption)  # the role label too


def test_switching_while_signed_in_saves_the_choice(app_db):
    user_id = _user(app_db)
    at = _run(user_id=user_id)
    at.button_group[0].set_value("ms").run()
    assert at.title[0].value == "Gambaran keseluruhan"
    with Session(app_db) as session:
        assert session.get(User, user_id).language == "ms"
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "set_language")).one()
        assert event.user_id == user_id


def test_missing_translation_falls_back_with_a_marker(app_db):
    with Session(app_db) as session:
        a = session.exec(select(Agreement).where(Agreement.code == "MY-CN-AI-2025")).one()
        a.title_zh = None
        session.add(a)
        session.commit()
    at = run_page("views/agreements.py", query={"lang": "zh", "agreement": "MY-CN-AI-2025"})
    assert at.header[0].value == "‹EN› MoU on Artificial Intelligence Cooperation"
    at = run_page("views/agreements.py", query={"lang": "zh", "agreement": "MY-CN-DE-2025"})
    assert at.header[0].value == "数字经济合作谅解备忘录"


@pytest.mark.parametrize("lang,beside", [("ms", False), ("en", True), ("zh", True)])
def test_source_clause_is_malay_with_english_beside(app_db, lang, beside):
    at = run_page("views/agreements.py", query={"lang": lang, "agreement": "MY-CN-AI-2025"})
    body = " ".join(page_texts(at))
    assert "program pertukaran teknikal" in body  # the original, verbatim, always
    assert ("technical exchange programmes" in body) == beside
    assert ("Under the AI MoU both sides" in body) == beside  # the statement's rendering


def test_dates_follow_the_language(app_db):
    at = run_page("views/agreements.py", query={"lang": "zh", "agreement": "MY-CN-AI-2025"})
    assert "**签署日期:** 2025年4月16日" in " ".join(page_texts(at))
    at = run_page("views/agreements.py", query={"lang": "ms", "agreement": "MY-CN-AI-2025"})
    assert "**Ditandatangani:** 16 April 2025" in " ".join(page_texts(at))


DE_FACTS = {
    "ms": ["Tuan Gobind Singh Deo, Menteri Digital (Malaysia); Zheng Shanjie, Pengerusi NDRC (China)",
           "YAB Dato’ Seri Anwar Ibrahim, Perdana Menteri Malaysia; Xi Jinping, Presiden China",
           "Perjanjian yang dimeterai antara Malaysia dan China, April 2025"],
    "zh": ["哥宾德·辛格·迪奥，数字部部长（马来西亚）；郑栅洁，国家发展和改革委员会主任（中国）",
           "安瓦尔·易卜拉欣，马来西亚总理；习近平，中国国家主席",
           "马来西亚与中国签署的协议（2025年4月）"],
}


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_agreement_facts_in_the_chosen_language(app_db, lang):
    """Signatories, witnesses and the package name: the page's language, not the English."""
    texts = page_texts(run_page("views/agreements.py", query={"lang": lang, "agreement": "MY-CN-DE-2025"}))
    facts = next(t for t in texts if md_escape(DE_FACTS[lang][0]) in t)  # the facts block
    for fact in DE_FACTS[lang]:
        assert md_escape(fact) in facts
    for english in ("Minister of Digital", "Prime Minister of Malaysia", "agreements, April 2025"):
        assert md_escape(english) not in facts  # (the source's English rendering shows further down)


@pytest.mark.parametrize("lang,note", [("ms", "April 2025 (tarikh tidak dinyatakan dalam sumber)"),
                                       ("zh", "2025年4月（来源未说明具体日期）"),
                                       ("en", "April 2025 (date not stated in the source)")])
def test_the_signing_note_follows_the_language(app_db, lang, note):
    at = run_page("views/agreements.py", query={"lang": lang, "agreement": "MY-CN-LOI-ZJU-2025"})
    assert md_escape(note) in " ".join(page_texts(at))


def test_a_missing_fact_translation_falls_back_with_a_marker(app_db):
    with Session(app_db) as session:
        a = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
        a.witnesses_zh = None
        session.add(a)
        session.commit()
    body = " ".join(page_texts(run_page("views/agreements.py", query={"lang": "zh", "agreement": "MY-CN-DE-2025"})))
    assert md_escape("‹EN› Anwar Ibrahim, Prime Minister of Malaysia") in body
    assert "郑栅洁" in body  # the other facts keep their Chinese


def test_setup_form_enters_the_facts_in_each_language(app_db):
    with Session(app_db) as session:
        de = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
    at = run_page("views/setup.py", user="demo.secretariat")
    at.selectbox(key="agr_pick_en").select(de.id).run()
    prefix = f"agr{de.id}"
    assert "习近平" in at.text_input(key=f"{prefix}_wit_zh").value  # what is stored, per language
    assert at.text_input(key=f"{prefix}_tzh").value == de.title_zh
    at.text_input(key=f"{prefix}_sdn_ms").input("Pertukaran MoU berlangsung pada 16 April 2025")
    at.text_input(key=f"{prefix}_sig_zh").input("哥宾德·辛格·迪奥；郑栅洁")
    at.button(key=f"FormSubmitter:agr_form_{de.id}-Save agreement").click().run()
    assert not at.exception and at.toast, [e.value for e in at.error]
    with Session(app_db) as session:
        saved = session.get(Agreement, de.id)
        assert saved.signed_date_note_ms == "Pertukaran MoU berlangsung pada 16 April 2025"
        assert saved.signatories_zh == "哥宾德·辛格·迪奥；郑栅洁"
        assert saved.witnesses_zh == de.witnesses_zh and saved.signatories == de.signatories  # the rest kept


def test_item_page_and_list_follow_the_language(app_db):
    from models import ActionItem, CommitmentArea

    with Session(app_db) as session:
        item = session.exec(select(ActionItem).order_by(ActionItem.id)).first()
        area = session.get(CommitmentArea, item.area_id)
    at = run_page("views/item.py", query={"lang": "zh", "id": str(item.id)})
    assert not at.exception
    assert at.title[0].value == md_escape(f"‹EN› {item.title}")  # no Chinese title entered: marked
    assert md_escape(area.title_zh) in " ".join(page_texts(at))
    at = run_page("views/items.py", query={"lang": "zh"})
    table = at.dataframe[0].value
    assert f"‹EN› {item.title}" in set(table[translated("zh", "Action item")])


def test_setup_edit_which_boxes_follow_a_language_switch_at_once(app_db):
    from services.agreements.options import load_options

    with Session(app_db) as session:
        de = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
        malay = load_options(session=session, lang="ms")
        english = load_options(session=session, lang="en")
    assert list(malay.areas.values()) != list(english.areas.values())  # the area titles differ by language
    at = run_page("views/setup.py", user="demo.secretariat")
    at.selectbox(key="agr_pick_en").select(de.id).run()
    at.button_group[0].set_value("ms").run()  # the language switch
    assert not at.exception
    # A new widget per language (its labels drawn afresh in the browser), the choice carried over.
    agreements = at.selectbox(key="agr_pick_ms")
    assert agreements.value == de.id
    assert agreements.options == [translated("ms", "New agreement"), *malay.agreements.values()]
    areas = at.selectbox(key="area_pick_ms")
    assert areas.options == [translated("ms", "New commitment area"), *malay.areas.values()]
    assert areas.label == translated("ms", "Commitment area to edit")
    assert not [s for s in at.selectbox if s.key in ("agr_pick_en", "area_pick_en")]  # the English ones are gone

"""Issue 16 on the pages: a new counterpart beside the agreement form, a pasted text, ticked
clauses into areas, and the agreement page's documents, highlights and coverage."""
from sqlmodel import Session, select

from models import ActionItem, Agreement, CommitmentArea, Organisation, SourceDocument
from tests.apptest.conftest import run_page

MOU = ("Article 1 Objective\nThe Parties shall cooperate on digital government.\n"
       "Article 2 Areas of Cooperation\n(a) exchange of experts on digital identity;\n"
       "(b) joint training of officials; and\n(c) explore a joint data centre.")


def setup_page():
    at = run_page("views/setup.py", user="demo.secretariat")
    assert not at.exception, at.exception
    return at


def errors(at) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def test_new_counterpart_beside_the_agreement_form(app_db):
    at = setup_page()
    at.text_input(key="newcp_acr").input("MIC-VN")
    at.text_input(key="newcp_en").input("Ministry of Information and Communications")
    at.text_input(key="newcp_country").input("Viet Nam")
    at.button(key="FormSubmitter:new_cp_form-Add this organisation").click().run()
    assert not at.exception and "MIC-VN added" in at.toast[0].value.replace("\\", "")  # the acronym is escaped markdown
    assert any(label == "MIC-VN" for label in at.multiselect(key="agr0_cps").options)
    at.text_input(key="newcp_acr").input("mdec")
    at.text_input(key="newcp_en").input("Another MDEC")
    at.text_input(key="newcp_country").input("Malaysia")
    at.button(key="FormSubmitter:new_cp_form-Add this organisation").click().run()
    assert "The acronym mdec is already used by" in errors(at)
    with Session(app_db) as s:
        assert len(s.exec(select(Organisation).where(Organisation.name_en == "Another MDEC")).all()) == 0


def test_pasted_text_ticked_clauses_and_the_agreement_page(app_db):
    with Session(app_db) as s:
        lead = s.exec(select(Organisation).where(Organisation.acronym == "KD")).one()
        s.add(Agreement(code="MY-VN-DG-2026", kind="MoU", title_en="MoU on digital government", lead_org_id=lead.id))
        s.commit()
        agreement_id = s.exec(select(Agreement.id).where(Agreement.code == "MY-VN-DG-2026")).one()
    at = setup_page()
    at.selectbox(key="doc_agr_en").select(agreement_id).run()
    assert any("Text not yet attached" in i.value for i in at.info)
    at.text_area(key="doc_text").input(MOU)
    at.button(key="FormSubmitter:doc_form-Attach").click().run()
    assert not at.exception and at.toast[0].value == "Document attached.", errors(at)
    boxes = [b for b in at.checkbox if b.key.startswith("clause_")]
    assert [b.label for b in boxes][1:] == ["Article 2 (a) · exchange of experts on digital identity",
                                           "Article 2 (b) · joint training of officials",
                                           "Article 2 (c) · explore a joint data centre"]
    for box in boxes[1:]:
        box.check()
    at.run()
    at.button(key="clauses_go").click().run()
    assert not at.exception and at.toast[0].value == "Commitment areas created.", errors(at)
    with Session(app_db) as s:
        areas = s.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == agreement_id)).all()
        doc = s.exec(select(SourceDocument).where(SourceDocument.agreement_id == agreement_id)).one()
        assert [doc.text[a.quote_start:a.quote_end] for a in areas][0] == "exchange of experts on digital identity"
        s.add(ActionItem(area_id=areas[0].id, title="First expert exchange"))
        s.commit()
    page = run_page("views/agreements.py", query={"agreement": "MY-VN-DG-2026", "lang": "ms"})
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Fasal dipetik yang mempunyai item tindakan aktif"] == "33%"
    body = " ".join(m.value for m in page.markdown).replace("\\", "")
    assert ":orange-background[exchange of experts on digital identity] **[1]**" in body
    assert "Tidak direkodkan" in body  # blank facts: not recorded, not "not stated in the source"
    assert "Tidak dinyatakan dalam dokumen sumber" not in body

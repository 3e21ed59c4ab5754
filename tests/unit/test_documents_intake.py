"""Source documents and clauses into areas (issue 16): permissions, translations, originals,
quotes with exact offsets, nothing half-written, coverage."""
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from models import ActionItem, Agreement, AuditEvent, CommitmentArea, SourceDocument
from services.agreements.intake import agreement_coverage, create_areas_from_clauses, propose_clauses
from services.agreements.setup import save_agreement, save_area
from services.documents.extract import Limits
from services.documents.store import add_document, get_original, list_documents
from services.errors import PermissionDenied, ValidationFailed
from services.seeding.facts import ensure_system_user, seed_facts
from tests.conftest import make_user
from tests.unit.doc_fixtures import docx_file, text_pdf
from tests.unit.item_factories import org_id
from models import Role

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
LIMITS = Limits(max_bytes=1024 * 1024, max_pages=10)
MOU = ("Article 1 Objective\nThe Parties shall cooperate in the field of digital government.\n"
       "Article 2 Areas of Cooperation\n(a) exchange of experts on cybersecurity;\n"
       "(b) joint training of officials; and\n(c) explore a joint data centre.")


def new_agreement(session, user, code="MY-VN-DG-2026"):
    return save_agreement(session=session, actor=user, data={
        "code": code, "kind": "MoU", "title_en": "MoU on digital government",
        "lead_org_id": org_id(session, "KD"), "counterpart_ids": [org_id(session, "NDRC")]})


def attach(session, user, agreement, **kw):
    values = dict(session=session, actor=user, agreement_id=agreement.id, language="en", now=NOW, limits=LIMITS)
    return add_document(**{**values, **kw})


@pytest.mark.parametrize("role", ["viewer", "focal_point"])
def test_only_the_secretariat_attaches_documents(seeded, users, role):
    agreement = new_agreement(seeded, users["secretariat"])
    with pytest.raises(PermissionDenied):
        attach(seeded, users[role], agreement, text=MOU)
    assert seeded.exec(select(SourceDocument).where(SourceDocument.agreement_id == agreement.id)).all() == []


def test_a_new_agreement_has_no_text_until_one_is_attached(seeded, users):
    sec = users["secretariat"]
    agreement = new_agreement(seeded, sec)
    assert agreement.source_document_id is None and list_documents(session=seeded, agreement_id=agreement.id) == []
    # an area without a quote is allowed meanwhile; a quote is refused
    save_area(session=seeded, actor=sec, data={"agreement_id": agreement.id, "title_en": "Digital government"})
    with pytest.raises(ValidationFailed, match="no stored source document"):
        save_area(session=seeded, actor=sec, data={"agreement_id": agreement.id, "title_en": "X area", "quote": "x"})
    doc = attach(seeded, sec, agreement, text=MOU + "\r\n")
    assert seeded.get(Agreement, agreement.id).source_document_id == doc.id
    assert doc.text == MOU and doc.original is None and doc.original_kind == "paste"


def test_uploaded_files_keep_their_original_and_translations_link(seeded, users):
    sec = users["secretariat"]
    agreement = new_agreement(seeded, sec)
    pdf = text_pdf("Perkara 1 Kedua-dua pihak akan bekerjasama.")
    main = attach(seeded, sec, agreement, language="ms", file_name="mou.pdf", file_bytes=pdf)
    english = attach(seeded, sec, agreement, file_name="mou-en.docx", translation_of_id=main.id,
                     file_bytes=docx_file("Article 1 Both Parties shall cooperate."))
    assert seeded.get(SourceDocument, main.id).translation_en == english.text
    assert seeded.get(Agreement, agreement.id).source_document_id == main.id  # the translation is not the main text
    name, mime, data = get_original(session=seeded, actor=users["viewer"], document_id=main.id)
    assert (name, mime, data) == ("mou.pdf", "application/pdf", pdf)
    with pytest.raises(PermissionDenied):
        get_original(session=seeded, actor=None, document_id=main.id)
    docs = list_documents(session=seeded, agreement_id=agreement.id)
    assert [(d.kind, d.is_primary, d.translation_of_id) for d in docs] == [("pdf", True, None), ("docx", False, main.id)]
    with pytest.raises(ValidationFailed, match="another language"):
        attach(seeded, sec, agreement, language="ms", text="Teks lain di sini.", translation_of_id=main.id)


@pytest.mark.parametrize("kw, words", [
    ({"text": "   "}, "Paste the text or attach a file"),
    ({"text": "x", "file_name": "a.txt", "file_bytes": b"x"}, "Paste the text or attach a file"),
    ({"file_name": "mou.pdf", "file_bytes": docx_file("hello")}, "its content is docx"),
    ({"text": "Some text", "language": "fr"}, "ms, en or zh"),
])
def test_bad_documents_write_nothing(seeded, users, kw, words):
    agreement = new_agreement(seeded, users["secretariat"])
    before = len(seeded.exec(select(SourceDocument)).all())
    with pytest.raises(ValidationFailed, match=words):
        attach(seeded, users["secretariat"], agreement, **kw)
    seeded.rollback()
    assert len(seeded.exec(select(SourceDocument)).all()) == before
    assert seeded.exec(select(AuditEvent).where(AuditEvent.action == "add_document")).all() == []


def test_ticked_clauses_become_areas_with_exact_quotes(seeded, users):
    sec = users["secretariat"]
    agreement = new_agreement(seeded, sec)
    doc = attach(seeded, sec, agreement, text=MOU)
    proposals = propose_clauses(session=seeded, document_id=doc.id)
    assert [p.clause.label for p in proposals] == ["Article 1", "Article 2 (a)", "Article 2 (b)", "Article 2 (c)"]
    assert proposals[3].clause.explore and not proposals[1].clause.explore
    picks = [{"start": p.clause.start, "end": p.clause.end, "title_en": p.clause.text[:60],
              "category": p.clause.category} for p in proposals[1:]]
    picks[1]["quote"] = "joint training"  # a boundary edited to a shorter quote
    areas = create_areas_from_clauses(session=seeded, actor=sec, agreement_id=agreement.id, document_id=doc.id,
                                      picks=picks)
    assert [doc.text[a.quote_start:a.quote_end] for a in areas] == [
        "exchange of experts on cybersecurity", "joint training", "explore a joint data centre"]
    assert areas[0].category == "technical_exchange" and areas[2].category == "ai_datasets_infrastructure"
    assert [p.area_id is not None for p in propose_clauses(session=seeded, document_id=doc.id)] == [False, True, True, True]
    coverage = agreement_coverage(session=seeded, agreement_id=agreement.id)
    assert coverage.percent == 0 and [c.label for c in coverage.open_clauses] == ["Article 1"]
    seeded.add(ActionItem(area_id=areas[0].id, title="Hold the first expert exchange"))
    seeded.commit()
    assert agreement_coverage(session=seeded, agreement_id=agreement.id).percent == pytest.approx(100 / 3)


def test_one_bad_clause_saves_none(seeded, users):
    sec = users["secretariat"]
    agreement = new_agreement(seeded, sec)
    doc = attach(seeded, sec, agreement, text=MOU)
    good = {"start": 0, "end": 10, "title_en": "A good title"}
    bad = [{"quote": "text that is not in the document", "title_en": "Bad quote"},
           {"start": 5, "end": 99999, "title_en": "Out of range"}, {"start": 0, "end": 5, "title_en": ""}]
    with pytest.raises(ValidationFailed) as exc:
        create_areas_from_clauses(session=seeded, actor=sec, agreement_id=agreement.id, document_id=doc.id,
                                  picks=[good, *bad])
    assert len(exc.value.problems) == 3 and "Clause 2: the quote is not in the document" in str(exc.value.problems[0])
    assert seeded.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == agreement.id)).all() == []
    with pytest.raises(PermissionDenied):
        create_areas_from_clauses(session=seeded, actor=users["viewer"], agreement_id=agreement.id,
                                  document_id=doc.id, picks=[good])


@pytest.mark.store
def test_original_file_round_trips_on_the_store(store_engine):
    pdf = text_pdf("Article 1 The Parties shall cooperate on digital ID.")
    with Session(store_engine, expire_on_commit=False) as session:
        system = ensure_system_user(session=session)
        session.commit()
        seed_facts(session=session, actor=system)
        sec = make_user(session, "sec9", Role.SECRETARIAT)
        agreement = new_agreement(session, sec, code="MY-XX-9")
        doc = add_document(session=session, actor=sec, agreement_id=agreement.id, language="en", now=NOW,
                           file_name="id.pdf", file_bytes=pdf, limits=LIMITS)
    with Session(store_engine) as session:
        assert get_original(session=session, actor=sec, document_id=doc.id)[2] == pdf
        assert "digital ID" in session.get(SourceDocument, doc.id).text

"""The seed stores the source document's facts, every quote verbatim, idempotently."""
from sqlmodel import func, select

from models import (
    ActionItem, Agreement, AgreementPackage, AuditEvent, CommitmentArea, Meeting, Organisation,
    ProgressUpdate, SourceDocument, User,
)
from services.seeding.sample import has_sample, remove_sample, seed_sample
from services.seeding.facts import AGREEMENT_TRANSLATED, PACKAGE_TRANSLATED, load_facts, read_source_text, seed_facts
from tests.conftest import TODAY


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_facts_counts(seeded):
    assert count(seeded, SourceDocument) == 1
    assert count(seeded, Agreement) == 3
    assert count(seeded, CommitmentArea) == 14
    assert count(seeded, ActionItem) == 0  # the statement names no action items
    acronyms = set(seeded.exec(select(Organisation.acronym)).all())
    assert acronyms == {"KD", "MDEC", "NDRC", "NDA", "ZJU"}
    per_agreement = dict(seeded.exec(
        select(Agreement.code, func.count(CommitmentArea.id))
        .join(CommitmentArea, CommitmentArea.agreement_id == Agreement.id).group_by(Agreement.code)
    ).all())
    assert per_agreement == {"MY-CN-DE-2025": 6, "MY-CN-AI-2025": 5, "MY-CN-LOI-ZJU-2025": 3}
    package = seeded.exec(select(AgreementPackage)).one()
    assert package.stated_total == 31


def test_source_is_stored_verbatim(seeded):
    doc = seeded.exec(select(SourceDocument)).one()
    assert doc.text == read_source_text("press-release-2025-04-17.ms.txt")
    assert doc.text.startswith("SIARAN MEDIA\n")


def test_every_quote_is_a_span_of_the_source(seeded):
    doc = seeded.exec(select(SourceDocument)).one()
    for area in seeded.exec(select(CommitmentArea)).all():
        quote = doc.text[area.quote_start:area.quote_end]
        assert 0 <= area.quote_start < area.quote_end <= len(doc.text)
        assert quote.strip() == quote and quote
    jwg = seeded.exec(select(CommitmentArea).where(CommitmentArea.category == "joint_working_group")).one()
    assert "Kumpulan Kerja Bersama mengenai Ekonomi Digital" in doc.text[jwg.quote_start:jwg.quote_end]


def test_signing_facts(seeded):
    de = seeded.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
    assert de.signed_on.isoformat() == "2025-04-16"
    assert "Gobind Singh Deo" in de.signatories and "Zheng Shanjie" in de.signatories
    assert "Anwar Ibrahim" in de.witnesses and "Xi Jinping" in de.witnesses
    loi = seeded.exec(select(Agreement).where(Agreement.kind == "LOI")).one()
    assert loi.signed_on is None and loi.signatories is None  # the statement does not say
    assert loi.signatories_ms is None and loi.witnesses_zh is None


def test_signing_facts_in_malay_and_chinese(seeded):
    de = seeded.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
    # Malay as the statement words it; Chinese with the standard Chinese names
    assert "Tuan Gobind Singh Deo, Menteri Digital" in de.signatories_ms and "Pengerusi NDRC" in de.signatories_ms
    assert "YAB Dato’ Seri Anwar Ibrahim, Perdana Menteri Malaysia" in de.witnesses_ms
    assert "哥宾德·辛格·迪奥" in de.signatories_zh and "郑栅洁" in de.signatories_zh
    assert "安瓦尔·易卜拉欣" in de.witnesses_zh and "习近平" in de.witnesses_zh
    assert de.signed_date_note_ms == "Pertukaran berlangsung pada 16 April 2025"
    assert de.signed_date_note_zh == "2025年4月16日交换"
    package = seeded.exec(select(AgreementPackage)).one()
    assert package.name_ms.startswith("Perjanjian yang dimeterai antara Malaysia dan China")
    assert package.name_zh == "马来西亚与中国签署的协议（2025年4月）"


def test_reseed_fills_what_an_older_seed_lacked_and_keeps_edits(seeded, system_user):
    """A database seeded before these columns existed has them empty: a re-seed fills them
    from the facts; a value the secretariat entered is left alone."""
    agreements = seeded.exec(select(Agreement).order_by(Agreement.code)).all()
    for a in agreements:
        for column in AGREEMENT_TRANSLATED:
            setattr(a, column, None)
        seeded.add(a)
    de = next(a for a in agreements if a.code == "MY-CN-DE-2025")
    de.witnesses_ms = "Disunting oleh urus setia"
    package = seeded.exec(select(AgreementPackage)).one()
    for column in PACKAGE_TRANSLATED:
        setattr(package, column, None)
    seeded.add(package)
    seeded.commit()

    report = seed_facts(session=seeded, actor=system_user)
    stated = sum(1 for spec in load_facts()["agreements"] for c in AGREEMENT_TRANSLATED if spec.get(c))
    assert report.total == 0 and report.filled == {"AgreementPackage": 2, "Agreement": stated - 1}
    seeded.refresh(de)
    assert "习近平" in de.witnesses_zh and de.witnesses_ms == "Disunting oleh urus setia"
    assert seeded.exec(select(AgreementPackage)).one().name_zh == "马来西亚与中国签署的协议（2025年4月）"
    event = seeded.exec(select(AuditEvent).where(AuditEvent.action == "seed").order_by(AuditEvent.id.desc())).first()
    assert "Agreement filled" in event.detail
    assert not seed_facts(session=seeded, actor=system_user).changed  # and again: nothing to do


def test_seed_twice_changes_nothing(seeded, system_user):
    before = {m.__name__: count(seeded, m) for m in (Agreement, CommitmentArea, Organisation, SourceDocument)}
    report = seed_facts(session=seeded, actor=system_user)
    assert report.total == 0
    after = {m.__name__: count(seeded, m) for m in (Agreement, CommitmentArea, Organisation, SourceDocument)}
    assert before == after


def test_sample_is_flagged_and_removable(seeded, system_user):
    n = seed_sample(session=seeded, actor=system_user, today=TODAY)
    assert n >= 14 and has_sample(seeded)
    assert seed_sample(session=seeded, actor=system_user, today=TODAY) == 0  # idempotent
    items = seeded.exec(select(ActionItem)).all()
    assert all(i.is_sample and i.title.startswith("[Sample] ") for i in items)
    for item in items:  # current state equals the last update
        last = seeded.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item.id)
                           .order_by(ProgressUpdate.ts.desc())).first()
        if last is None:
            assert (item.status, item.progress) == ("not_started", 0)
        else:
            assert (item.status, item.progress) == (last.status_after, last.progress_after)
        assert (item.progress == 100) == (item.status == "completed")
    admin = User(username="boss", display_name="Boss", role="admin")
    seeded.add(admin)
    seeded.commit()
    remove_sample(session=seeded, actor=admin)
    assert not has_sample(seeded)
    assert count(seeded, ActionItem) == 0 and count(seeded, Meeting) == 0
    assert count(seeded, CommitmentArea) == 14 and count(seeded, Agreement) == 3

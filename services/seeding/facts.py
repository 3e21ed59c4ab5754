"""The seed: facts from the source document (idempotent), then optional sample data.

One module feeds the first start, `manage.py seed`, the tests and the benchmarks
(services/seeding/sample.py and services/seeding/synthetic.py build on it)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from sqlmodel import Session, func, select

from core.settings import ROOT
from models import (
    Agreement,
    AgreementCounterpart,
    AgreementPackage,
    BodyAgreement,
    CommitmentArea,
    JointBody,
    Organisation,
    Role,
    SourceDocument,
    User,
)
from services.audit.trail import record_event
from services.errors import ValidationFailed
from services.i18n.translate import N_
from services.permissions import SYSTEM_USERNAME, require_admin_or_system

DATA_DIR = ROOT / "data"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    filled: dict[str, int] = field(default_factory=dict)  # empty columns given the source's value

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def fill(self, kind: str) -> None:
        self.filled[kind] = self.filled.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())

    @property
    def changed(self) -> bool:
        return bool(self.total or self.filled)


# Facts stated per language: the English text in the plain column, Malay and Chinese beside it.
AGREEMENT_TRANSLATED = tuple(f"{name}_{lang}" for name in ("signed_date_note", "signatories", "witnesses")
                             for lang in ("ms", "zh"))
PACKAGE_TRANSLATED = ("name_ms", "name_zh")


def load_facts(path: Path | None = None) -> dict:
    return json.loads((path or DATA_DIR / "facts.json").read_text(encoding="utf-8"))


def read_source_text(filename: str) -> str:
    """The statement exactly as issued: no stripping, no newline normalisation."""
    return (DATA_DIR / filename).read_bytes().decode("utf-8")


def locate_quote(text: str, quote: str, anchor: str = "") -> tuple[int, int]:
    """Character offsets of `quote` in `text`, searching from `anchor`; refuses a miss."""
    start_at = text.find(anchor) if anchor else 0
    if start_at < 0:
        raise ValidationFailed(N_("Anchor not found in the source text: {anchor}"), anchor=repr(anchor)[:200])
    pos = text.find(quote, start_at)
    if pos < 0:
        raise ValidationFailed(N_("Quote not found in the source text: {quote}"), quote=repr(quote)[:200])
    return pos, pos + len(quote)


def ensure_system_user(*, session: Session) -> User:
    """The actor of seeding and start-up work; it cannot sign in (no password, disabled)."""
    user = session.exec(select(User).where(User.username == SYSTEM_USERNAME)).first()
    if user is None:
        user = User(
            username=SYSTEM_USERNAME, display_name="System (seed and start-up)",
            role=Role.ADMIN.value, disabled=True,
        )
        session.add(user)
        session.flush()
    return user


def database_is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Agreement)).one() == 0


def seed_facts(*, session: Session, actor: User, facts: Optional[dict] = None) -> SeedReport:
    """Store what the source document states. Running it again changes nothing."""
    require_admin_or_system(actor, N_("seed the database"))
    facts = facts or load_facts()
    report = SeedReport()
    doc = _seed_document(session, facts["source_document"], report)
    orgs = _seed_organisations(session, facts["organisations"], report)
    package = _get_or_add(
        session, report, AgreementPackage, {"name": facts["package"]["name"]},
        stated_total=facts["package"]["stated_total"], source_document_id=doc.id,
    )
    _fill_empty(session, report, package, facts["package"], PACKAGE_TRANSLATED)
    for spec in facts["agreements"]:
        _seed_agreement(session, spec, doc, orgs, package, report)
    if report.changed:
        record_event(session=session, actor=actor, action="seed",
                     detail=json.dumps({**report.created, **{f"{k} filled": n for k, n in report.filled.items()}}))
    session.commit()
    return report


def _get_or_add(session: Session, report: SeedReport, model, key: dict, **values):  # noqa: ANN001
    stmt = select(model)
    for name, value in key.items():
        stmt = stmt.where(getattr(model, name) == value)
    row = session.exec(stmt).first()
    if row is None:
        row = model(**key, **values)
        session.add(row)
        session.flush()
        report.add(model.__name__)
    return row


def _fill_empty(session: Session, report: SeedReport, row, spec: dict, columns: tuple[str, ...]) -> None:  # noqa: ANN001
    """Give empty columns the source's value: a database seeded before a translation existed
    gets it on the next seed, while anything the secretariat entered stays as it is."""
    for column in columns:
        value = spec.get(column)
        if value and not getattr(row, column):
            setattr(row, column, value)
            session.add(row)
            report.fill(type(row).__name__)


def _seed_document(session: Session, spec: dict, report: SeedReport) -> SourceDocument:
    return _get_or_add(
        session, report, SourceDocument, {"slug": spec["slug"]},
        title=spec["title"], language=spec["language"],
        issued_on=date.fromisoformat(spec["issued_on"]), issuer=spec["issuer"],
        text=read_source_text(spec["file"]),
        translation_en=read_source_text(spec["translation_file"]), original_kind="seed",
    )


def _seed_organisations(session: Session, specs: list[dict], report: SeedReport) -> dict:
    orgs: dict[str, Organisation] = {}
    for spec in specs:
        values = {k: v for k, v in spec.items() if k not in ("acronym", "parent")}
        parent = orgs.get(spec["parent"]) if spec["parent"] else None
        orgs[spec["acronym"]] = _get_or_add(
            session, report, Organisation, {"acronym": spec["acronym"]},
            parent_id=parent.id if parent else None, **values,
        )
    return orgs


def _seed_agreement(session, spec, doc, orgs, package, report) -> None:  # noqa: ANN001
    agreement = _get_or_add(
        session, report, Agreement, {"code": spec["code"]},
        kind=spec["kind"], title_en=spec["title_en"], title_ms=spec["title_ms"],
        title_zh=spec["title_zh"], lead_org_id=orgs[spec["lead"]].id,
        signed_on=date.fromisoformat(spec["signed_on"]) if spec["signed_on"] else None,
        signed_date_note=spec["signed_date_note"], signatories=spec["signatories"],
        witnesses=spec["witnesses"], status=spec["status"],
        package_id=package.id, source_document_id=doc.id,
    )
    _fill_empty(session, report, agreement, spec, AGREEMENT_TRANSLATED)
    for acronym in spec["counterparts"]:
        _get_or_add(
            session, report, AgreementCounterpart,
            {"agreement_id": agreement.id, "organisation_id": orgs[acronym].id},
        )
    for position, area in enumerate(spec["areas"], start=1):
        start, end = locate_quote(doc.text, area["quote"], area["anchor"])
        _get_or_add(
            session, report, CommitmentArea,
            {"agreement_id": agreement.id, "position": position},
            title_en=area["title_en"], title_ms=area["title_ms"], title_zh=area["title_zh"],
            category=area["category"], source_document_id=doc.id,
            quote_start=start, quote_end=end,
        )
        if area["category"] == "joint_working_group":  # the source sets up a body: it is a record
            body = _get_or_add(session, report, JointBody, {"name_en": area["title_en"]},
                               name_ms=area["title_ms"], name_zh=area["title_zh"])
            _get_or_add(session, report, BodyAgreement, {"body_id": body.id, "agreement_id": agreement.id})

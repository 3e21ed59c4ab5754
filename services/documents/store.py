"""An agreement's source documents: attach (pasted text or an uploaded file), list, and
hand back the original file. The first document attached to an agreement that has none
becomes the text its commitment areas quote from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import func
from sqlmodel import Session, select

from models import Agreement, SourceDocument, User
from models.text import clean_text
from services.audit.trail import record_event
from services.documents.extract import MIME, Extracted, Limits, extract_text, normalise_text
from services.errors import NotFound, ValidationFailed
from services.i18n.translate import N_
from services.permissions import is_system, require_signed_in, require_structure

LANGUAGES = ("ms", "en", "zh")


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    language: str
    issued_on: Optional[date]
    kind: str  # paste, txt, pdf, docx, seed
    file_name: Optional[str]
    translation_of_id: Optional[int]
    chars: int
    is_primary: bool


def _text_of(*, text: Optional[str], file_name: Optional[str], file_bytes: Optional[bytes],
             limits: Limits) -> Extracted:
    if (text is None or not text.strip()) == (file_bytes is None):
        raise ValidationFailed(N_("Paste the text or attach a file (one of the two)."))
    if file_bytes is not None:
        return extract_text(name=file_name or "", data=file_bytes, limits=limits)
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise ValidationFailed(N_("The pasted text is longer than {limit} MB."), limit=limits.max_bytes // 1048576)
    return Extracted(text=normalise_text(text), kind="paste", pages=None)


def _check_translation(session: Session, agreement_id: int, language: str,
                       translation_of_id: Optional[int]) -> Optional[SourceDocument]:
    if translation_of_id is None:
        return None
    original = session.get(SourceDocument, translation_of_id)
    if original is None or original.agreement_id != agreement_id:
        raise ValidationFailed(N_("A translation must be of a document of the same agreement."))
    if original.language == language:
        raise ValidationFailed(N_("A translation must be in another language than its original."))
    return original


def _slug(session: Session, code: str) -> str:
    n = session.exec(select(func.count()).select_from(SourceDocument)).one() + 1
    while session.exec(select(SourceDocument.id).where(SourceDocument.slug == f"{code}-{n}")).first():
        n += 1
    return f"{code}-{n}"


def add_document(*, session: Session, actor: User, agreement_id: int, language: str, now: datetime,
                 text: Optional[str] = None, file_name: Optional[str] = None, file_bytes: Optional[bytes] = None,
                 title: Optional[str] = None, issued_on: Optional[date] = None, issuer: Optional[str] = None,
                 translation_of_id: Optional[int] = None, limits: Optional[Limits] = None) -> SourceDocument:
    """Attach pasted `text` or a file (`file_name`, `file_bytes`: PDF, .docx or .txt) to an
    agreement, in `language` (ms, en, zh), optionally as the translation of another of its
    documents. The file is kept as received beside its extracted text. Raises
    PermissionDenied, NotFound, ValidationFailed (see extract_text); writes nothing then."""
    if not is_system(actor):  # the operator at the command line acts as the system user
        require_structure(actor, N_("attach source documents"))
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("No agreement with id {id}."), id=agreement_id)
    if language not in LANGUAGES:
        raise ValidationFailed(N_("Choose the document's language: ms, en or zh."))
    extracted = _text_of(text=text, file_name=file_name, file_bytes=file_bytes, limits=limits or Limits.from_settings())
    original = _check_translation(session, agreement_id, language, translation_of_id)
    title = clean_text(title) or clean_text(file_name) or f"{agreement.code} ({language})"
    issuer = clean_text(issuer)
    if len(title) > 500 or len(issuer or "") > 300:
        raise ValidationFailed(N_("The title may have 500 characters and the issuer 300."))
    doc = SourceDocument(
        slug=_slug(session, agreement.code), title=title, language=language, issued_on=issued_on,
        issuer=issuer or "", text=extracted.text, agreement_id=agreement.id,
        translation_of_id=translation_of_id, original=file_bytes if extracted.kind != "paste" else None,
        original_name=file_name if extracted.kind != "paste" else None, original_kind=extracted.kind, added_at=now,
    )
    session.add(doc)
    session.flush()
    if agreement.source_document_id is None and original is None:
        agreement.source_document_id = doc.id
        session.add(agreement)
    if original is not None and language == "en" and not original.translation_en:
        original.translation_en = doc.text  # shown beside the original on the agreement page
        session.add(original)
    record_event(session=session, actor=actor, action="add_document", object_type="document", object_id=doc.id,
                 after={"agreement": agreement.code, "title": title, "language": language, "kind": extracted.kind,
                        "pages": extracted.pages, "chars": len(extracted.text), "translation_of": translation_of_id})
    session.commit()
    return doc


def list_documents(*, session: Session, agreement_id: int) -> list[DocumentInfo]:
    """The agreement's own documents, and the shared one it quotes when that belongs to none
    (the seed's press statement), primary first. The file itself is not loaded."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        return []
    cols = (SourceDocument.id, SourceDocument.title, SourceDocument.language, SourceDocument.issued_on,
            SourceDocument.original_kind, SourceDocument.original_name, SourceDocument.translation_of_id,
            func.length(SourceDocument.text))
    rows = session.exec(select(*cols).where(
        (SourceDocument.agreement_id == agreement_id) | (SourceDocument.id == agreement.source_document_id))
        .order_by(SourceDocument.id)).all()
    docs = [DocumentInfo(*row, is_primary=row[0] == agreement.source_document_id) for row in rows]
    return sorted(docs, key=lambda d: (not d.is_primary, d.id))


def get_original(*, session: Session, actor: Optional[User], document_id: int) -> tuple[str, str, bytes]:
    """(file name, MIME type, bytes) of an uploaded document, for signed-in users; pasted
    and seeded texts come back as UTF-8 text. Raises PermissionDenied, NotFound."""
    require_signed_in(actor)
    doc = session.get(SourceDocument, document_id)
    if doc is None:
        raise NotFound(N_("No source document with id {id}."), id=document_id)
    if doc.original is not None:
        return doc.original_name or f"{doc.slug}.{doc.original_kind}", MIME.get(doc.original_kind, "application/octet-stream"), doc.original
    return f"{doc.slug}.txt", MIME["txt"], doc.text.encode("utf-8")


def document_text(*, session: Session, document_id: int) -> str:
    doc = session.get(SourceDocument, document_id)
    if doc is None:
        raise NotFound(N_("No source document with id {id}."), id=document_id)
    return doc.text

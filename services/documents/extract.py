"""The text of an uploaded file: recognise its real kind (never trust the name), apply the
size and page limits, and extract the text with pypdf (PDF) or python-docx (Word).

`extract_text` returns an Extracted or raises ValidationFailed with a message saying what to
do; it never writes anything."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Optional

from models.text import clean_text
from services.errors import ValidationFailed
from services.i18n.translate import N_

KINDS = {"pdf": "PDF", "docx": "Word (.docx)", "txt": N_("text (.txt)")}
MIME = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# A .docx is a zip: its entries may not unpack to more than this many times the limit.
ZIP_RATIO = 20


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pages: int

    @classmethod
    def from_settings(cls) -> "Limits":
        from core.settings import get_settings

        s = get_settings()
        return cls(max_bytes=s.document_max_mb * 1024 * 1024, max_pages=s.document_max_pages)


@dataclass(frozen=True)
class Extracted:
    text: str
    kind: str  # pdf, docx, txt
    pages: Optional[int]  # PDF pages; None for other kinds


def normalise_text(text: str) -> str:
    """The text gate's cleaning (models/text.py: NFC; Windows and old Mac line ends, form
    feeds, Word's manual line breaks and the Unicode line and paragraph separators become LF;
    other control characters go; trimmed). Quote offsets count characters of this text."""
    return clean_text(text) or ""


def declared_kind(name: str) -> Optional[str]:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in KINDS else None


def real_kind(data: bytes) -> str:
    """'pdf', 'docx', 'txt', or a short name of what the bytes are instead."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else ("xlsx" if "xl/workbook.xml" in names else "zip")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"  # Word 97-2003 and other OLE files
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "txt"


def _decode_text(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise ValidationFailed(N_("{name} is not UTF-8 text. Save it again as UTF-8 (in Notepad: Save as, "
                              "Encoding UTF-8), or paste the text."), name=name)


def _pdf_text(name: str, data: bytes, limits: Limits) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationFailed(N_("{name} is protected by a password or encrypted. Attach an unprotected "
                                      "copy, or paste the text."), name=name)
        pages = len(reader.pages)
        if pages > limits.max_pages:
            raise ValidationFailed(N_("{name} has {pages} pages; the limit is {limit}. Attach the agreement "
                                      "without long annexes, or paste the text."),
                                   name=name, pages=pages, limit=limits.max_pages)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise ValidationFailed(N_("{name} could not be read as a PDF (the file is damaged or incomplete). "
                                  "Save it again as PDF, or paste the text."), name=name) from None
    if not normalise_text(text):
        raise ValidationFailed(N_("This PDF is an image: paste the text, or attach the text version."))
    return text, pages


def _docx_text(name: str, data: bytes, limits: Limits) -> str:
    from docx import Document

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        unpacked = sum(info.file_size for info in z.infolist())
    if unpacked > limits.max_bytes * ZIP_RATIO:
        raise ValidationFailed(N_("{name} unpacks to far more than its size; it is refused as unsafe."), name=name)
    try:
        doc = Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise ValidationFailed(N_("{name} could not be read as a Word document. Save it again as .docx, "
                                  "or paste the text."), name=name) from None
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def extract_text(*, name: str, data: bytes, limits: Limits) -> Extracted:
    """The normalised text of a PDF, .docx or .txt file named `name`. Raises ValidationFailed:
    empty, over `limits.max_bytes`, a kind other than its name says, encrypted, over
    `limits.max_pages`, a PDF without a text layer, no text at all."""
    declared = declared_kind(name)
    if declared is None:
        raise ValidationFailed(N_("Attach a PDF, Word (.docx) or text (.txt) file; {name} is none of these."),
                               name=name)
    if not data:
        raise ValidationFailed(N_("{name} is empty."), name=name)
    if len(data) > limits.max_bytes:
        raise ValidationFailed(N_("{name} is {size} MB; the limit is {limit} MB."), name=name,
                               size=round(len(data) / 1048576, 1), limit=limits.max_bytes // 1048576)
    actual = real_kind(data)
    if actual != declared:
        raise ValidationFailed(N_("{name} is named as a {declared} file but its content is {actual}. Save it "
                                  "again in the right format, or paste the text."), name=name, declared=declared,
                               actual=actual)
    pages = None
    if actual == "pdf":
        raw, pages = _pdf_text(name, data, limits)
    elif actual == "docx":
        raw = _docx_text(name, data, limits)
    else:
        raw = _decode_text(name, data)
    text = normalise_text(raw)
    if not text:
        raise ValidationFailed(N_("{name} holds no text."), name=name)
    return Extracted(text=text, kind=actual, pages=pages)

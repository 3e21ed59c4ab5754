"""Text from uploaded files (issue 16): real kinds, limits, scanned and encrypted PDFs."""
import pytest

from services.documents.extract import Limits, extract_text, normalise_text, real_kind
from services.errors import ValidationFailed
from tests.unit.doc_fixtures import blank_pdf, docx_file, encrypted_pdf, text_pdf

LIMITS = Limits(max_bytes=1024 * 1024, max_pages=3)


def test_pdf_text_is_extracted_page_by_page():
    got = extract_text(name="mou.pdf", data=text_pdf("Article 1 Both Parties shall cooperate.", "Article 2 Done."),
                       limits=LIMITS)
    assert got.kind == "pdf" and got.pages == 2
    assert "Both Parties shall cooperate." in got.text and got.text.index("Article 1") < got.text.index("Article 2")


def test_docx_paragraphs_are_extracted_in_order():
    got = extract_text(name="MoU.DOCX", data=docx_file("Perkara 1", "Kedua-dua pihak akan bekerjasama."), limits=LIMITS)
    assert got.kind == "docx" and got.text == "Perkara 1\nKedua-dua pihak akan bekerjasama."


def test_text_file_crlf_and_bom_are_normalised():
    got = extract_text(name="a.txt", data="\ufeffLine one\r\nLine two\r\n".encode("utf-8"), limits=LIMITS)
    assert got.text == "Line one\nLine two"


@pytest.mark.parametrize("name, data, words", [
    ("scan.pdf", blank_pdf(), "This PDF is an image"),
    ("locked.pdf", encrypted_pdf(), "protected by a password"),
    ("long.pdf", blank_pdf(4), "has 4 pages; the limit is 3"),
    ("empty.pdf", b"", "is empty"),
    ("fake.pdf", docx_file("hello there"), "named as a pdf file but its content is docx"),
    ("fake.docx", text_pdf("Hello"), "named as a docx file but its content is pdf"),
    ("old.docx", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "its content is doc"),
    ("notes.txt", b"\x00\x01binary\x00", "its content is binary"),
    ("latin.txt", "Perjanjian d\xe9j\xe0".encode("latin-1"), "not UTF-8 text"),
    ("sheet.xlsx", b"PK\x03\x04", "none of these"),
    ("blank.txt", b"  \n\n ", "holds no text"),
    ("broken.pdf", b"%PDF-1.4\nnot really", "could not be read as a PDF"),
])
def test_bad_files_are_refused_with_what_to_do(name, data, words):
    with pytest.raises(ValidationFailed) as exc:
        extract_text(name=name, data=data, limits=LIMITS)
    assert words in str(exc.value)


def test_size_limit_is_checked_before_reading():
    with pytest.raises(ValidationFailed, match="the limit is 1 MB"):
        extract_text(name="big.txt", data=b"a" * (1024 * 1024 + 1), limits=LIMITS)


def test_refusals_are_translated():
    with pytest.raises(ValidationFailed) as exc:
        extract_text(name="scan.pdf", data=blank_pdf(), limits=LIMITS)
    assert exc.value.text("ms") != exc.value.text("en")


def test_real_kind_ignores_the_name():
    assert real_kind(text_pdf("x")) == "pdf" and real_kind(docx_file("x")) == "docx" and real_kind(b"plain") == "txt"


def test_normalise_text_line_breaks_and_controls():
    assert normalise_text(" a\u2028b\x0bc\fd\x07e\r\n") == "a\nb\nc\nde"

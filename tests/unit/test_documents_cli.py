"""manage.py clauses and add-document (issue 16)."""
from __future__ import annotations

import pytest
from sqlmodel import Session, select

import manage
from core.db import make_engine
from core.settings import get_settings
from models import Agreement, SourceDocument
from services.seeding.facts import DATA_DIR
from services.seeding.startup import prepare_database
from tests.unit.doc_fixtures import docx_file, text_pdf


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    prepare_database(engine)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_clauses_prints_one_clause_a_line_with_offsets(capsys):
    path = DATA_DIR / "press-release-2025-04-17.ms.txt"
    assert manage.main(["clauses", str(path), "--lang", "ms"]) == 0
    lines = capsys.readouterr().out.splitlines()
    text = path.read_text(encoding="utf-8")
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 5 for r in rows)
    quoted = {r[4]: (int(r[0]), int(r[1])) for r in rows}
    start, end = quoted["meneroka pendekatan untuk menangani risiko keselamatan AI"]
    assert text[start:end] == "meneroka pendekatan untuk menangani risiko keselamatan AI"
    assert any(r[3] == "ethics_safety explore" for r in rows)


def test_clauses_reads_word_files_and_refuses_bad_ones(tmp_path, capsys):
    path = tmp_path / "mou.docx"
    path.write_bytes(docx_file("Article 1", "(a) exchange of experts;", "(b) joint training."))
    assert manage.main(["clauses", str(path), "--lang", "en"]) == 0
    assert [line.split("\t")[2] for line in capsys.readouterr().out.splitlines()] == ["Article 1 (a)", "Article 1 (b)"]
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    assert manage.main(["clauses", str(fake)]) == 2
    assert "its content is txt" in capsys.readouterr().err


def test_add_document_attaches_and_refuses_unknown_codes(cli_db, tmp_path, capsys):
    path = tmp_path / "loi.pdf"
    path.write_bytes(text_pdf("The Parties intend to cooperate on smart cities."))
    assert manage.main(["add-document", "--agreement", "MY-CN-LOI-ZJU-2025", str(path), "--lang", "en"]) == 0
    assert "Attached 'loi.pdf' to MY-CN-LOI-ZJU-2025" in capsys.readouterr().out
    with Session(cli_db) as s:
        agreement = s.exec(select(Agreement).where(Agreement.code == "MY-CN-LOI-ZJU-2025")).one()
        doc = s.exec(select(SourceDocument).where(SourceDocument.agreement_id == agreement.id)).one()
        assert doc.original == path.read_bytes() and "smart cities" in doc.text
    assert manage.main(["add-document", "--agreement", "NOPE", str(path), "--lang", "ms"]) == 2
    assert "No agreement with the reference NOPE" in capsys.readouterr().err

"""The catalogs hold a translation of every interface string in every language, and nothing
the code no longer asks for. Extraction is Babel's, with the keywords of services/i18n/translate.py."""
import ast
from pathlib import Path

import pytest

from services.i18n import catalogs
from services.i18n.catalogs import check_catalogs, extract_messages, placeholders
from services.i18n.translate import KEYWORDS, LANGUAGES, catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "views").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py")),
           *sorted((ROOT / "services").rglob("*.py"))]


@pytest.fixture(scope="module")
def report():
    return check_catalogs()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_has_a_translation(report, lang):
    assert report.missing[lang] == [], f"untranslated in {lang}: run `python manage.py i18n extract`, then translate"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalog_key_the_code_no_longer_uses(report, lang):
    assert report.unused[lang] == [], f"unused keys in {lang}: run `python manage.py i18n extract`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(report, lang):
    assert report.placeholders[lang] == []


def test_extraction_sees_every_kind_of_marker():
    keys = extract_messages()
    assert "Signed in as {who}" in keys  # t() in app.py
    assert "Overview" in keys  # N_() in ui/nav.py, translated where shown
    assert "On hold" in keys  # N_() in services/labels.py
    assert any(f.startswith("views/") for f, _ in keys["Source document"])


def test_check_reports_a_new_string_and_a_dropped_one(monkeypatch):
    real = extract_messages()
    dropped = "Witnesses"
    fake = {k: v for k, v in real.items() if k != dropped} | {"A string nobody translated": [("views/x.py", 1)]}
    monkeypatch.setattr(catalogs, "extract_messages", lambda: fake)
    report = check_catalogs()
    for lang in ("ms", "zh"):
        assert report.missing[lang] == ["A string nobody translated"]
        assert report.unused[lang] == [dropped]


@pytest.mark.parametrize("text,names", [("Due {d}", {"d"}), ("{a} · {b}", {"a", "b"}), ("plain", set())])
def test_placeholders(text, names):
    assert placeholders(text) == names


def _dynamic_text_calls(path: Path) -> list[int]:
    """Lines where t(f"..."), t("a" + x), t("...".format()) or t("%s" % x) escape extraction."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS):
            continue
        position = (KEYWORDS[node.func.id] or (1,))[0] - 1
        if len(node.args) <= position:
            continue
        arg = node.args[position]
        if isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
            isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format"
        ):
            out.append(node.lineno)
    return out


def test_translated_text_is_literal_so_it_can_be_extracted():
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in SOURCES for line in _dynamic_text_calls(path)]
    assert offenders == [], "pass values as t('Due {d}', d=x), not inside the string"


def test_the_literal_check_catches_an_f_string(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('x = 1\nt(f"Due {x}")\nt("ok {x}", x=x)\ngettext("ms", "a" + "b")\n')
    assert _dynamic_text_calls(bad) == [2, 4]


def test_english_catalog_is_the_identity():
    assert all(k == v for k, v in catalog("en").items())

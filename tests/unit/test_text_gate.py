"""The one text gate (models/text.py): what it keeps, turns into a line break, removes, and
refuses, with the refusal's message in each language."""
import pytest

from models.tables import ActionItem, Decision, JointBody, Organisation, SourceDocument, User
from models.text import REQUIRED, TOO_LONG, TextRefused, check_text, clean_text, text_limit
from services.errors import ValidationFailed, refusal, render


@pytest.mark.parametrize("raw,clean", [
    (None, None),
    ("", None),
    ("   \t\n ", None),
    ("plain", "plain"),
    ("  padded  ", "padded"),
    ("line one\r\nline two", "line one\nline two"),
    ("old mac\rbreak", "old mac\nbreak"),
    ("Word\x0bmanual break", "Word\nmanual break"),  # Shift+Enter in Word arrives as VT
    ("page\x0cfeed", "page\nfeed"),
    ("line\u2028sep\u2029para", "line\nsep\npara"),
    ("tab\tkept", "tab\tkept"),
    ("nul\x00bel\x07esc\x1bgone", "nulbelescgone"),
    ("unit\x1fsep\x0e", "unitsep"),
    ("non\ufffechar\uffff", "nonchar"),
    ("lone\ud800surrogate\udfff", "lonesurrogate"),
    ("e\u0301", "\u00e9"),  # NFC: e + combining acute -> é
    ("emoji \U0001F600 and 漢字", "emoji \U0001F600 and 漢字"),  # non-BMP kept
    ("=SUM(A1)", "=SUM(A1)"),  # formula-like text stays text: outputs write it as a string
    ("\x0b\x0b", None),
    ("\u00a0nbsp\u00a0", "nbsp"),
    ("del\x7fkept", "del\x7fkept"),  # DEL and C1 controls are legal in XML 1.0
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_is_idempotent():
    once = clean_text(" a\r\n\x0bb\x00 e\u0301 ")
    assert clean_text(once) == once == "a\n\nb é"


@pytest.mark.parametrize("value", [12, 1.5, b"bytes", ["x"]])
def test_clean_text_refuses_non_text(value):
    with pytest.raises(TypeError):
        clean_text(value)


@pytest.mark.parametrize("table,field,limit", [
    (ActionItem, "owner_name", 200),
    (ActionItem, "title", 500),
    (ActionItem, "description", 10000),  # TEXT column, limit declared on the field
    (Organisation, "acronym", 40),
    (User, "display_name", 200),
    (JointBody, "name_en", 300),
    (Decision, "text", 5000),
    (SourceDocument, "text", None),
])
def test_text_limit_reads_the_field(table, field, limit):
    assert text_limit(table, field) == limit


def test_text_limit_unknown_field():
    with pytest.raises(KeyError):
        text_limit(ActionItem, "no_such_field")


@pytest.mark.parametrize("value,expected", [
    ("x" * 200, "x" * 200),
    ("  " + "x" * 200 + "  ", "x" * 200),  # trimmed before measuring
    ("x" * 199 + "\r\n", "x" * 199),
    ("e\u0301" * 200, "\u00e9" * 200),  # 400 code points in, 200 after NFC
    (None, None),
    ("", None),
])
def test_check_text_within_limit(value, expected):
    assert check_text(ActionItem, "owner_name", value) == expected


@pytest.mark.parametrize("length", [201, 274])
def test_check_text_too_long(length):
    with pytest.raises(TextRefused) as caught:
        check_text(ActionItem, "owner_name", "y" * length)
    exc = caught.value
    assert (exc.field, exc.limit, exc.length, exc.missing) == ("owner_name", 200, length, False)
    assert exc.key == TOO_LONG
    assert str(exc) == f"Owner name is {length} characters long; the limit is 200."
    assert isinstance(exc, ValueError)


@pytest.mark.parametrize("value", [None, "", " \x00\x0b "])
def test_check_text_required(value):
    with pytest.raises(TextRefused) as caught:
        check_text(ActionItem, "title", value, required=True, label="Title")
    assert caught.value.missing and caught.value.key == REQUIRED
    assert str(caught.value) == "Title is required."


def test_unlimited_text_is_never_too_long():
    assert check_text(SourceDocument, "text", "z" * 100_000) == "z" * 100_000


@pytest.mark.parametrize("lang,expected", [
    ("en", "Owner name is 274 characters long; the limit is 200."),
    ("ms", "Nama pegawai bertanggungjawab mempunyai 274 aksara; hadnya ialah 200."),
    ("zh", "负责人姓名长 274 个字符，上限为 200 个字符。"),
])
def test_refusal_reads_in_the_users_language(lang, expected):
    exc = TextRefused("owner_name", 200, 274)
    assert ValidationFailed(exc).text(lang) == expected
    assert refusal(exc).text(lang) == render(exc, lang) == expected


@pytest.mark.parametrize("lang,expected", [("ms", "Nama wajib diisi."), ("zh", "姓名为必填项。")])
def test_required_reads_in_the_users_language(lang, expected):
    with pytest.raises(TextRefused) as caught:
        check_text(JointBody, "name_en", "  ", required=True, label="Name")
    assert ValidationFailed(caught.value).text(lang) == expected

"""Service messages carry a catalog key and values, so pages show them translated."""
from __future__ import annotations

import pytest

from services.errors import Message, ServiceError, ValidationFailed, render
from services.i18n.translate import catalog


def _translated_key() -> str:
    """A key with a Malay translation and no placeholders, taken from the catalog itself."""
    return next(k for k, v in catalog("ms").items() if "{" not in k and v != k)


def test_plain_message_is_english_and_translates():
    key = _translated_key()
    exc = ValidationFailed(key)
    assert str(exc) == key
    assert exc.text("ms") == catalog("ms")[key]
    assert exc.problems == [exc.message]


def test_placeholders_filled_in_every_language():
    exc = ServiceError("Row {row}: {reason}", row=7, reason=Message(_translated_key()))
    assert str(exc) == f"Row 7: {_translated_key()}"
    assert exc.text("ms").endswith(catalog("ms")[_translated_key()])  # nested message translated too


def test_unknown_key_shows_as_given():
    assert ServiceError("Nothing {like} this").text("zh") == "Nothing {like} this"


def test_message_compares_with_its_english_text():
    m = Message("Progress must be {low} to {high}.", low=0, high=100)
    assert m == "Progress must be 0 to 100."
    assert "0 to 100" in m
    assert render(m, "en") == "Progress must be 0 to 100."
    assert render(5, "ms") == 5


@pytest.mark.parametrize("problems", [None, ["a", Message("b")]])
def test_validation_failed_keeps_problems(problems):
    exc = ValidationFailed("Please correct", problems)
    assert [str(p) for p in exc.problems] == (["Please correct"] if problems is None else ["a", "b"])


@pytest.mark.parametrize("lang,expected", [("en", "Date: Field required."), ("ms", "Tarikh: Ruangan ini wajib diisi."),
                                           ("zh", "日期：此项为必填项。")])
def test_an_empty_required_box_reads_as_required_not_as_mistyped(lang, expected):
    """A date (or number) box left empty hands None to the form's model: the problem is that
    the field is required, not that a date was mistyped as 'YYYY-MM-DD'; and the field is named
    as the form labels it ("Date"), not by its name ("Held on")."""
    from datetime import date

    from pydantic import BaseModel, ValidationError

    from services.forms import validation_failed

    class Meeting(BaseModel):
        held_on: date

    with pytest.raises(ValidationError) as empty:
        Meeting(held_on=None)
    text = render(validation_failed(empty.value).problems[0], lang)
    assert text == expected
    with pytest.raises(ValidationError) as mistyped:
        Meeting(held_on="31/13/2026")
    assert "YYYY-MM-DD" in render(validation_failed(mistyped.value).problems[0], lang)

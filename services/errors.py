"""Errors services raise; each message tells the user what to fix.

A message is a catalog key (English text with {placeholders}) plus its values, so the page
shows it in the user's language: `raise ValidationFailed(N_("Progress is {low} to {high}."),
low=0, high=100)`. `str(exc)` is the English text (logs, the command line in English);
`exc.text(lang)` / `Message.text(lang)` is the translated one. A value that is itself a
Message (a status label, a reason) is translated too."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Union

from models.text import TextRefused, check_text


class Message:
    """A catalog key and the values of its placeholders; English when turned into a str."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: Any):
        self.key = key
        self.values = values

    def text(self, lang: str = "en") -> str:
        from services.i18n.translate import gettext  # services.i18n reads the catalogs; import when needed

        values = {k: render(v, lang) for k, v in self.values.items()}
        try:
            return gettext(lang, self.key, **values)
        except (KeyError, IndexError, ValueError):  # a translation whose placeholders drifted
            return self.key.format(**values) if values else self.key

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.key, self.values) == (other.key, other.values)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, part: str) -> bool:  # `"archived" in problem` keeps working
        return part in str(self)


class Count(int):
    """A count shown with its thousands grouped ("568,993": the separator of en, ms and zh) in
    any message; as a number, a plain int (Plural chooses its form from it)."""

    def __format__(self, spec: str) -> str:
        return format(int(self), spec or ",")


class Plural(Message):
    """A count in words with the language's plural form (Babel's CLDR rules: English has one
    and other, Malay and Chinese only other): `one` or `other` is the catalog key (both N_),
    {n} the count: Plural(N_("{n} row"), N_("{n} rows"), n=3). Every message that puts a count
    before a noun goes through it (ui.i18n.tn on pages); a test walks the code for the rest."""

    __slots__ = ("one", "other")

    def __init__(self, one: str, other: str, /, **values: Any):
        super().__init__(other, **values)
        self.one, self.other = one, other

    def text(self, lang: str = "en") -> str:
        from babel import Locale

        from services.i18n.translate import BABEL_LOCALES

        form = Locale.parse(BABEL_LOCALES.get(lang, "en_GB")).plural_form(self.values["n"])
        return Message(self.one if form == "one" else self.other, **self.values).text(lang)


class Joined(Message):
    """Several messages run together ('The update was not saved: {problems}'), each in the
    reader's language."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: "list[Text]", sep: str = " "):
        self.parts, self.sep = list(parts), sep
        super().__init__(sep.join(str(p) for p in self.parts))

    def text(self, lang: str = "en") -> str:
        return self.sep.join(str(render(p, lang)) for p in self.parts)


Text = Union[str, Message]


def render(value: Any, lang: str) -> Any:
    """`value` in `lang` when it is a Message (or an error carrying one) or a date ('6 Ogo
    2025', '2025年8月6日'; a datetime adds its local time and names the zone, see TIMEZONE);
    unchanged otherwise."""
    if isinstance(value, (Message, ServiceError)):
        return value.text(lang)
    if isinstance(value, TextRefused):
        return refusal(value).text(lang)
    if isinstance(value, datetime):
        from services.i18n.translate import format_datetime

        return format_datetime(value, lang, zone=True)
    if isinstance(value, date):
        from services.i18n.translate import format_date

        return format_date(value, lang, "medium")
    return value


def refusal(exc: TextRefused) -> Message:
    """The text gate's refusal (models/text.py) as a message; the field's label is translated."""
    return Message(exc.key, **{**exc.values, "field": Message(exc.label)})


def checked_text(table: type, field: str, value: "str | None", *, required: bool = False,
                 label: "str | None" = None) -> "str | None":
    """models.text.check_text for a service: a refusal is a ValidationFailed whose message
    names the field (`label`, a catalog key, or the field's name) and its limit."""
    try:
        return check_text(table, field, value, required=required, label=label)
    except TextRefused as exc:
        raise ValidationFailed(exc) from None


class ServiceError(Exception):
    """Base class: a refusal with a message fit to show to the user. `message` may be the
    text gate's TextRefused: `raise ValidationFailed(exc) from exc`."""

    def __init__(self, message: "Text | TextRefused" = "", /, **values: Any):
        if isinstance(message, TextRefused):
            message = refusal(message)
        self.message = message if isinstance(message, Message) else Message(str(message), **values)
        super().__init__(str(self.message))

    def text(self, lang: str = "en") -> str:
        return self.message.text(lang)


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class ValidationFailed(ServiceError):
    def __init__(self, message: Text, /, problems: list[Text] | None = None, **values: Any):
        super().__init__(message, **values)
        self.problems: list[Text] = list(problems) if problems else [self.message]


class ConfirmationNeeded(ValidationFailed):
    """The change is allowed once the user confirms it (e.g. completing with open milestones)."""


class StaleVersion(ServiceError):
    """Someone else saved the object after the user loaded it."""

    def __init__(self, message: Text, *, current: dict, changed_by: str | None, changed_at=None, **values: Any):  # noqa: ANN001
        super().__init__(message, **values)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at

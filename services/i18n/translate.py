"""Translations and locale formatting for every layer: the pages (through ui/i18n.t), the
charts, the Excel report, the PowerPoint pack and the command line.

The catalogs are gettext .po files under locales/<lang>/LC_MESSAGES/messages.po, read with
Babel's own parser once per process. We load the .po files directly rather than compiling
.mo files: the catalogs are small (parsing takes milliseconds), there is no build step that
a fresh clone, `make run`, `make test` or a deployment could forget, and no generated binary
can drift from its source. `python manage.py i18n extract` keeps them in step with the code.

The English text is the key. A key with no translation in a language shows in English."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo
from typing import Callable, Optional

from babel import Locale
from babel.dates import format_date as _babel_date, get_timezone_name
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent as _babel_percent

from core.settings import ROOT, get_settings

LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
LANGUAGES: tuple[str, ...] = ("ms", "en", "zh")
LANGUAGE_NAMES: dict[str, str] = {"ms": "Bahasa Melayu", "en": "English", "zh": "中文"}
# The Babel locale of each interface language: Malaysian Malay, British-style English as used
# in Malaysian government documents, Simplified Chinese as read by the counterpart.
BABEL_LOCALES: dict[str, str] = {"ms": "ms_MY", "en": "en_GB", "zh": "zh_Hans_CN"}
# The functions whose first string argument is a catalog key (argument positions as Babel
# counts them). `gettext(lang, "text")` carries its key second.
KEYWORDS: dict[str, Optional[tuple[int, ...]]] = {"t": None, "_": None, "N_": None, "gettext": (2,)}


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a string for the catalog where it is defined; it is translated where shown."""
    return text


def catalog_path(lang: str):  # noqa: ANN201
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """English key -> translation, for the non-empty, non-fuzzy entries of one language."""
    path = catalog_path(lang)
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        po = read_po(fh, locale=BABEL_LOCALES.get(lang, lang))
    return {m.id: m.string for m in po if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def normalize_language(value: Optional[str]) -> Optional[str]:
    """One of LANGUAGES from a code such as 'ms', 'ms-MY', 'en_US', 'zh-Hans-CN'; else None."""
    if not value:
        return None
    primary = str(value).strip().replace("_", "-").split("-")[0].lower()
    aliases = {"may": "ms", "msa": "ms", "zho": "zh", "chi": "zh", "eng": "en"}
    primary = aliases.get(primary, primary)
    return primary if primary in LANGUAGES else None


def choose_language(
    *, query: Optional[str] = None, chosen: Optional[str] = None, user: Optional[str] = None,
    browser: Optional[str] = None, default: Optional[str] = None,
) -> str:
    """The interface language: the URL (?lang=), then the choice made in this browser session,
    then the signed-in user's saved choice, then the browser's locale, then the setting."""
    for candidate in (query, chosen, user, browser, default):
        lang = normalize_language(candidate)
        if lang:
            return lang
    return "en"


def gettext(lang: str, text: str, **values: object) -> str:
    """`text` in `lang`, with {placeholders} filled in; English when no translation exists."""
    translated = catalog(lang).get(text, text) if lang != "en" else catalog("en").get(text, text)
    return translated.format(**values) if values else translated


def translator(lang: str) -> Callable[..., str]:
    """A `_` for services that build whole documents in one language: `_ = translator(lang)`."""

    def _(text: str, **values: object) -> str:
        return gettext(lang, text, **values)

    return _


@lru_cache(maxsize=8)
def babel_locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, BABEL_LOCALES["en"]))


def format_date(value: Optional[date | datetime], lang: str, fmt: str = "long", empty: str = "–") -> str:
    """'16 Ogos 2025' (ms), '16 August 2025' (en), '2025年8月16日' (zh)."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = to_local(value).date()  # a stored moment falls on its local day
    return _formatted_date(value, lang, fmt)


@lru_cache(maxsize=20_000)
def _formatted_date(value: date, lang: str, fmt: str) -> str:
    # A register of 500 agreements formats 500 dates per rerun; the words for a date never change.
    return _babel_date(value, format=fmt, locale=babel_locale(lang))


def format_percent(value: Optional[float], lang: str, *, scale: float = 100.0, empty: str = "–") -> str:
    """A percentage given on a 0-100 scale (as the roll-ups are), whole numbers: '46%'."""
    if value is None:
        return empty
    return _babel_percent(value / scale, format="#,##0%", locale=babel_locale(lang))


def format_number(value: Optional[float], lang: str, empty: str = "–") -> str:
    if value is None:
        return empty
    return format_decimal(value, locale=babel_locale(lang))


def local_zone() -> ZoneInfo:
    """The zone times are shown in (the TIMEZONE setting); they are stored in UTC."""
    return ZoneInfo(get_settings().timezone)


def to_local(value: datetime) -> datetime:
    """A stored time in the display zone; a naive value is UTC (SQLite returns naive)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(local_zone())


def local_today(now: Optional[datetime] = None) -> date:
    """Today's date in the display zone (TIMEZONE), not the server's: at 17:00 UTC it is
    already tomorrow in Kuala Lumpur. `now`: an aware moment to read instead of the clock."""
    return (now or datetime.now(timezone.utc)).astimezone(local_zone()).date()


def start_of_day(day: date) -> datetime:
    """The first moment of `day` in the display zone (TIMEZONE), in UTC: with Asia/Kuala_Lumpur,
    start_of_day(date(2026, 4, 1)) is 2026-03-31 16:00 UTC. "Since <day>" counts from it."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(timezone.utc)


def zone_name(lang: str) -> str:
    """The display zone in words: 'Malaysia (Kuala Lumpur) Time', 'Waktu Malaysia (Kuala Lumpur)'."""
    return get_timezone_name(local_zone(), width="long", locale=babel_locale(lang))


def format_datetime(value: Optional[datetime], lang: str, *, zone: bool = False, empty: str = "–") -> str:
    """A stored (UTC) time in local time, the day in the language's one date format:
    '30 Nov 2026 20:33'; with zone=True the zone is named: '... (Malaysia (Kuala Lumpur) Time)'.
    Name the zone once per screen or message (a column header, the message), not per value."""
    if value is None:
        return empty
    local = to_local(value)
    text = f"{format_date(local, lang, 'medium')} {local:%H:%M}"
    return f"{text} ({zone_name(lang)})" if zone else text


def date_input_format(lang: str) -> str:
    """The language's one numeric date format (Babel's short date pattern: day, month and
    year order and separator) in the spelling Streamlit's date pickers and date columns accept:
    'DD/MM/YYYY' (en_GB, ms_MY), 'YYYY/MM/DD' (zh)."""
    pattern = babel_locale(lang).date_formats["short"].pattern
    order = sorted("dMy", key=lambda c: pattern.find(c) if c in pattern else 99)
    sep = next((c for c in pattern if c in "/-."), "/")
    return sep.join({"d": "DD", "M": "MM", "y": "YYYY"}[c] for c in order)

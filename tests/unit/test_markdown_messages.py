"""User and file text never becomes Markdown in a message. Streamlit renders st.error, st.info,
st.success, st.write, captions and labels as Markdown, so a value put into a catalog message
(a name, a title, a part inside an uploaded file) must be escaped:

- every catalog key with placeholders, filled with hostile values through ui.i18n.error_md
  (how a service's message reaches the page) and rendered by a CommonMark parser, has the same
  structure as with a plain value, and shows the hostile text literally;
- every t(..., value=...) call in the pages passes user text through md_escape (a scan of the
  code: a new call interpolating a title unescaped fails here)."""
import ast
import html
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from services.errors import Message, ValidationFailed
from services.i18n.catalogs import placeholders
from services.i18n.translate import LANGUAGES, catalog
from ui import i18n
from ui.i18n import error_md, md_escape

ROOT = Path(__file__).resolve().parents[2]
MD = MarkdownIt("commonmark")
PAYLOADS = [
    "[click me](https://evil.example/x)", "**bold** _it_", "![img](https://evil.example/i.png)",
    "<a href='https://evil.example'>QQ</a>", "`code`", "# heading", "line\n\n- list", ":red[colour] :material/home:",
    "<https://evil.example/auto>", "&lt;b&gt; &amp;",
]
# plotly's hover templates (%{x}) are chart keys, not messages
KEYS = sorted(k for k in catalog("en") if placeholders(k) and "%{" not in k
              and all(not spec for _t, name, spec, _c in string.Formatter().parse(k) if name))


def _tags(rendered: str) -> Counter:
    return Counter(re.findall(r"<([a-z0-9]+)", rendered))


@pytest.fixture(params=LANGUAGES)
def lang(request, monkeypatch):
    monkeypatch.setattr(i18n, "current_language", lambda: request.param)
    return request.param


def test_there_are_keys_to_check():
    assert len(KEYS) > 50


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_catalog_message_shows_values_literally(lang, payload):
    wrong = []
    for key in KEYS:
        names = placeholders(key)
        plain = MD.render(error_md(Message(key, **{p: "QQ" for p in names})))
        # a placeholder inside a code span takes only restricted values (EXEMPT below)
        hostile = MD.render(error_md(Message(key, **{p: "QQ" if f"`{{{p}}}`" in key else payload for p in names})))
        if _tags(hostile) != _tags(plain) or html.escape(payload.replace("\n", " ")).split()[0] not in hostile:
            wrong.append(key)
    assert wrong == []


def test_a_refusal_naming_a_part_inside_a_file_stays_text(lang):
    exc = ValidationFailed(Message("The file contains {part}, which is not allowed.", part="[x](https://e.x)"))
    rendered = MD.render(error_md(exc))
    assert "<a " not in rendered and "[x](https://e.x)" in rendered


def test_md_escape_round_trips_through_markdown():
    for payload in PAYLOADS:
        flat = payload.replace("\n", " ")
        assert MD.renderInline(md_escape(flat)) == html.escape(flat, quote=True).replace("&#x27;", "'")


# --- the code: every value a page puts into t() is escaped or cannot hold markup ---------

# t: catalog text (its own values are checked where it is called); zone_label: the configured time
# zone's name; term_text, days_text: catalog text around a number; meeting_number: an int
SAFE_CALLS = {"md_escape", "error_md", "fmt_date", "role_label", "len", "t", "zone_label", "term_text", "days_text",
              "meeting_number"}
NUMERIC = re.compile(r"^(n|i|v|pages|more|last|held_on|version|item_id|minutes|seconds|done|recorded|stated|completed|number"
                     r"|\w*total|\w*days|\w*_areas)$")
# (file, placeholder): why it is safe without md_escape
EXEMPT = {
    ("views/account.py", "username"): "inside a code span; usernames are [a-z0-9._@-] only",
    ("views/agreements.py", "name"): "the whole fact is md_escape'd where it is shown",
    ("ui/reports.py", "rows"): "row numbers: ints joined by commas",
}


def _last_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return ""


def _safe(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, str)
    if isinstance(node, ast.Call):
        name = _last_name(node.func)
        return name in SAFE_CALLS
    if isinstance(node, ast.IfExp):
        return _safe(node.body) and _safe(node.orelse)
    if isinstance(node, ast.BoolOp):
        return _safe(node.values[0]) and all(isinstance(v, ast.Constant) or _safe(v) for v in node.values[1:])
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue) and v.format_spec)
                   for v in node.values)
    return bool(NUMERIC.match(_last_name(node)))


def test_page_messages_escape_the_values_they_interpolate():
    files = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
    wrong = []
    for path in files:
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t":
                wrong += [f"{rel}:{node.lineno} {kw.arg}={ast.unparse(kw.value)}" for kw in node.keywords
                          if (rel, kw.arg) not in EXEMPT and not _safe(kw.value)]
    assert wrong == [], "wrap user text in md_escape() (or use error_md for a service's message)"


def test_plural_forms_survive_escaping(lang):
    """A count in words keeps its language's plural form on the page (English: '1 sheet',
    '2 sheets'; Malay and Chinese have one form), alone or inside another message, and the
    values beside it are still escaped."""
    from services.excel.imports.plan import Plural
    from services.i18n.translate import gettext

    one, other = "{name}: {n} sheet found.", "{name}: {n} sheets found."
    for n in (1, 2):
        shown = error_md(Plural(one, other, name="[x](https://e.x)", n=n))
        key = one if (lang == "en" and n == 1) else other
        assert shown == gettext(lang, key, name=md_escape("[x](https://e.x)"), n=n)
    inner = Message("{first}; {then}", first=Plural(one, other, name="a", n=1), then="b")
    assert error_md(inner).startswith(gettext(lang, one if lang == "en" else other, name="a", n=1))


def test_typed_line_breaks_stay_line_breaks():
    """Attendees typed one per line show one per line (Markdown joins two lines into one)."""
    typed = "KD: Aisyah\nMOSTI: Lim [x](https://e.x)"
    rendered = MD.render("**Attendees**  \n" + md_escape(typed))
    assert "KD: Aisyah<br />\nMOSTI: Lim [x](https://e.x)" in rendered and "<a " not in rendered

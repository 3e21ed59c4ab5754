"""A count before a noun ("{n} rows", "{n} items", "{n} conflicts") is written with the
language's plural forms (services.errors.Plural, ui.i18n.tn), never as one fixed form that
reads "1 rows" in English: the code is walked for messages that still use a single form."""
import ast
import re
from pathlib import Path

import pytest

from services.errors import Plural
from services.i18n.translate import N_

ROOT = Path(__file__).resolve().parents[2]
NOUN = r"(rows|items|action items|conflicts|problems|events|records|days|milestones|changes|clauses|areas|sheets|agreements)"
COUNTED = re.compile(r"\{n\} (?:(?:more|open|overdue|new|proposed|commitment|action) )*" + NOUN + r"\b"
                     r"|\{n\} of your items|\(s\)")
KEYWORDS = {"t", "N_", "gettext", "_"}
# Counts that are never 1, said why.
ALWAYS_MANY = {
    "{n} items have this title: add an Item ID column to tell them apart",  # a clash needs two
}


def _string_arg(call: ast.Call) -> str | None:
    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
    if name not in KEYWORDS:
        return None
    args = call.args[1:] if name == "gettext" else call.args
    return args[0].value if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str) else None


def _paired(tree: ast.AST) -> set[str]:
    """Strings given as a pair: the two keys of Plural(...)/tn(...), two N_ in one tuple (a
    table of counts that feeds Plural), or the two sides of `"in 1 day" if n == 1 else ...`."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in ("Plural", "tn"):
            group = node.args[:2]
        elif isinstance(node, ast.Tuple):
            group = node.elts
        elif isinstance(node, ast.IfExp):
            group = [node.body, node.orelse]
        else:
            continue
        keys = [s for a in group if isinstance(a, ast.Call) and (s := _string_arg(a))]
        if len(keys) >= 2:
            out.update(keys)
    return out


def single_form_counts() -> list[str]:
    found = []
    for folder in ("app.py", "views", "ui", "services"):
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else [ROOT / folder]:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            paired = _paired(tree)
            for node in ast.walk(tree):
                text = _string_arg(node) if isinstance(node, ast.Call) else None
                if text and COUNTED.search(text) and text not in paired and text not in ALWAYS_MANY:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text}")
    return found


def test_every_count_before_a_noun_has_plural_forms():
    assert single_form_counts() == []


@pytest.mark.parametrize("lang,n,expected", [
    ("en", 1, "1 item updated."), ("en", 2, "2 items updated."), ("en", 0, "0 items updated."),
    ("ms", 1, "1 item telah dikemas kini."), ("ms", 3, "3 item telah dikemas kini."),
    ("zh", 1, "已更新 1 个行动项。"), ("zh", 3, "已更新 3 个行动项。"),
])
def test_plural_picks_the_form_of_the_language(lang, n, expected):
    assert Plural(N_("{n} item updated."), N_("{n} items updated."), n=n).text(lang) == expected


@pytest.mark.parametrize("lang,expected", [
    ("en", "1 item updated (1 progress update, 2 field edits), 0 items created, 1 conflict and 3 new rows left out."),
    ("ms", "1 item dikemas kini (1 kemas kini kemajuan, 2 suntingan medan), 0 item diwujudkan, 1 konflik dan "
           "3 baris baharu tidak disertakan."),
    ("zh", "已更新 1 个行动项（1 次进度更新，2 处字段修改），新建 0 个行动项，1 个冲突和3 个新行未纳入。"),
])
def test_the_import_result_counts_in_plural_forms(lang, expected):
    """A tester's import said '1 items updated (1 progress updates, 2 field edits)'."""
    from services.excel.imports.apply import ApplyResult

    result = ApplyResult(updated=1, progress_updates=1, edits=2, created=0, skipped_conflicts=1, skipped_new=3)
    assert result.message.text(lang) == expected

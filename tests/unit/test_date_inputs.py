"""One date format per language in every date box: each st.date_input on the pages takes its
format from ui.i18n.date_format() (a box with a format of its own, 'YYYY-MM-DD' or
'DD/MM/YYYY', read differently from every other box on a Chinese page)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_date_box_uses_the_languages_format():
    wrong, seen = [], 0
    for path in [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "date_input":
                seen += 1
                fmt = next((k.value for k in node.keywords if k.arg == "format"), None)
                if not (isinstance(fmt, ast.Call) and getattr(fmt.func, "id", "") == "date_format"):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert seen > 10 and wrong == []

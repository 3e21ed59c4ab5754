"""Audit action codes in words: every code a service writes has a label, in every language,
on the page and in the export."""
import ast
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from core.settings import ROOT
from services.audit.trail import AuditFilter, record_event
from services.audit.export import export_events_xlsx
from services.audit.labels import ACTION_LABELS, OBJECT_TYPE_LABELS, action_label, object_type_label
from services.i18n.translate import catalog
from services.agreements.setup import ARCHIVABLE
from services.accounts.users import create_user

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def _codes(node: ast.expr, where: str) -> set[str]:
    """The codes an `action=` argument can take; anything else fails, so a new way of
    building a code is looked at rather than missed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body, where) | _codes(node.orelse, where)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Name):
        # structure.set_archived: ("archive_" if archived else "restore_") + kind
        return {prefix + kind for prefix in _codes(node.left, where) for kind in ARCHIVABLE}
    raise AssertionError(f"{where}: cannot tell which audit codes {ast.unparse(node)} writes")


def written_codes() -> dict[str, str]:
    """code -> where, for every record_event(..., action=...) or event_values(...) call under
    services/, and every dict(action=..., object_type=...) handed to one of them later."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "services").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            names = {kw.arg for kw in node.keywords}
            if name in ("record_event", "event_values") or (name == "dict" and {"action", "object_type"} <= names):
                for kw in node.keywords:
                    if path.relative_to(ROOT / "services").as_posix() == "audit/trail.py" and isinstance(kw.value, ast.Name):
                        continue  # record_event handing its own argument on to event_values
                    if kw.arg == "action":
                        where = f"{path.name}:{node.lineno}"
                        found.update({code: where for code in _codes(kw.value, where)})
    return found


def test_the_scan_finds_the_codes_services_write():
    codes = written_codes()
    # a few from different modules and shapes (constant, conditional, built from a prefix)
    assert {"sign_in", "update_progress", "disable_user", "enable_user", "archive_item", "restore_area",
            "export", "seed"} <= set(codes)


def test_every_code_the_services_write_has_a_label():
    missing = {code: where for code, where in written_codes().items() if code not in ACTION_LABELS}
    assert missing == {}


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_every_label_is_translated(lang):
    for english in [*ACTION_LABELS.values(), *OBJECT_TYPE_LABELS.values()]:
        assert catalog(lang).get(english, english) != english, english


def test_labels_in_each_language_and_unknown_codes_show_as_themselves():
    assert action_label("update_progress", "en") == "Progress updated"
    assert action_label("update_progress", "ms") == "Kemajuan dikemas kini"
    assert action_label("update_progress", "zh") == "进度已更新"
    assert object_type_label("area", "zh") == "承诺领域"
    assert action_label("some_future_code", "zh") == "some_future_code"
    assert action_label(None) == ""


def test_export_in_chinese_labels_actions_and_keeps_the_code(seeded, system_user, fast_hasher):
    admin = create_user(session=seeded, actor=system_user, username="root.admin", role="admin",
                        password="admin password 1")
    record_event(session=seeded, actor=admin, action="update_progress", object_type="item", object_id=3)
    seeded.commit()
    data = export_events_xlsx(session=seeded, actor=admin, filters=AuditFilter(), now=NOW, lang="zh")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "审计记录"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间（UTC）", "用户", "操作", "操作代码", "对象类型")
    update = next(r for r in rows if r[3] == "update_progress")
    assert update[2] == "进度已更新" and update[4] == "行动项" and update[5] == 3
    created = next(r for r in rows if r[3] == "create_user")
    assert created[2] == "已创建用户账户"

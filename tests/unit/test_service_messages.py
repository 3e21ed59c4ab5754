"""Every message a service raises for a page is a catalog key with a Malay and a Chinese
translation, so no refusal reaches a Malay or Chinese page in English."""
from __future__ import annotations

import ast
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from services.i18n.catalogs import placeholders
from services.errors import Message, ServiceError
from services.i18n.translate import catalog

ROOT = Path(__file__).resolve().parents[2]
# The Excel services have their own helper's conversion; these run only at the command line
# (benchmark data, the pack's --lang, catalog upkeep) and stay English there.
COMMAND_LINE = {"seeding/synthetic.py", "i18n/catalogs.py", "meetings/pack.py"}
SERVICES = [p for p in sorted((ROOT / "services").rglob("*.py"))
            if p.relative_to(ROOT / "services").parts[0] != "excel"
            and p.relative_to(ROOT / "services").as_posix() not in COMMAND_LINE]
RAISED = {"ServiceError", "ValidationFailed", "PermissionDenied", "NotFound", "StaleVersion",
          "ConfirmationNeeded", "SignInFailed", "AccountLocked", "RuleError"}
# Arguments that name a thing inside a message ("Only an administrator may {what}").
NAMING = {"require_structure": 1, "require_admin": 1, "require_admin_or_system": 1,
          "_check_text": 1, "parse_date": 1}


def _name(node: ast.AST) -> str | None:
    return getattr(node, "id", None) or getattr(node, "attr", None)


def _message_args(tree: ast.AST):
    """(line, node) for the message argument of each raise, Message(...) and naming call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _name(node.exc.func) in RAISED:
            if node.exc.args:
                yield node.lineno, node.exc.args[0]
        elif isinstance(node, ast.Call) and _name(node.func) == "Message" and node.args:
            yield node.lineno, node.args[0]
        elif isinstance(node, ast.Call) and _name(node.func) in NAMING and len(node.args) > NAMING[_name(node.func)]:
            yield node.lineno, node.args[NAMING[_name(node.func)]]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _name(node.exc.func) == "ValueError":
            if node.exc.args:  # the form validators' reasons, shown as a field's problem
                yield node.lineno, node.exc.args[0]


def _keys(arg: ast.AST):
    """The catalog keys an argument can be; None for text built at run time."""
    if isinstance(arg, ast.IfExp):
        yield from _keys(arg.body)
        yield from _keys(arg.orelse)
    elif isinstance(arg, ast.Call) and _name(arg.func) == "N_" and arg.args:
        yield from _keys(arg.args[0])
    elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        yield arg.value
    elif isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
            isinstance(arg, ast.Call) and _name(arg.func) == "format"):
        yield None
    # a name (WRONG, a parameter) or another call: its own definition is checked where it is made


def _found() -> list[tuple[str, str | None]]:
    out = []
    for path in SERVICES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, arg in _message_args(tree):
            out += [(f"{path.relative_to(ROOT)}:{line}", key) for key in _keys(arg)]
    return out


def test_the_scan_sees_the_services_messages():
    keys = {k for _, k in _found()}
    assert "The current password is not correct." in keys  # a plain raise
    assert "The milestone is already open." in keys  # one side of a conditional
    assert "create accounts" in keys  # what a permission refusal names
    assert "Progress must be between 0 and 100 (got {progress})." in keys  # a RuleError


def test_service_messages_are_not_built_at_run_time():
    built = [where for where, key in _found() if key is None]
    assert built == [], "raise X(N_('... {value}'), value=v), not an f-string"


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_every_service_message_is_translated(lang):
    held = catalog(lang)
    missing = sorted({f"{where}: {key}" for where, key in _found() if key and key not in held})
    assert missing == [], f"run `python manage.py i18n extract` and translate into {lang}"
    drifted = sorted(key for _, key in _found() if key and placeholders(key) != placeholders(held[key]))
    assert drifted == []


def _refusals(session, users):
    """A few real refusals of different services, raised and caught."""
    from services.accounts.auth import change_own_password, check_username
    from services.items.input_rules import parse_date
    from services.items.progress import update_progress
    from services.rules import check_status_progress
    from services.agreements.setup import create_item
    from services.accounts.users import create_user

    now = datetime(2026, 5, 1, tzinfo=timezone.utc)
    calls = [
        lambda: check_username("ab"),
        lambda: check_status_progress("completed", 50),
        lambda: parse_date("2026-02-30", "due date"),
        lambda: create_user(session=session, actor=users["viewer"], username="x.y", role="viewer"),
        lambda: create_item(session=session, actor=users["secretariat"], data={"area_id": 1, "title": "ab"}),
        lambda: update_progress(session=session, actor=users["admin"], item_id=999999, expected_version=1,
                                status="in_progress", progress=5, now=now),
        lambda: change_own_password(session=session, actor=users["admin"], current_password="wrong",
                                    new_password="whatever123", now=now),
    ]
    for call in calls:
        with pytest.raises(ServiceError) as info:
            call()
        yield info.value


@pytest.mark.parametrize("lang", ["ms", "zh"])
def test_raised_refusals_read_in_the_language(seeded, users, lang):
    for exc in _refusals(seeded, users):
        parts = [exc.message, *getattr(exc, "problems", [])]
        for message in parts:
            assert isinstance(message, Message)
            assert message.key in catalog(lang), message.key
        assert exc.text(lang) != str(exc), str(exc)  # really in another language


def test_dates_in_a_message_follow_the_language():
    m = Message("The due date {due} is before the start date {start}.", due=date(2026, 8, 6), start=date(2026, 9, 1))
    assert str(m) == "The due date 6 Aug 2026 is before the start date 1 Sept 2026."
    assert "2026年8月6日" in m.text("zh") and "Ogo" in m.text("ms")

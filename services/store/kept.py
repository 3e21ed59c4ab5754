"""Figures kept per engine between reruns, and the counter that says when they are stale.

memo() keeps a computed value under a key that must name everything the value depends on;
structure_version() is such a name for what only changes with agreements, commitment areas,
organisations and counterparts (core/change_counters.py: triggers move it in the same
transaction as every write to those tables, never on a progress update)."""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.change_counters import STRUCTURE
from models import ChangeCounter

MEMO_MAX = 32  # values kept per engine, the least recently used dropped first

_LOCK = threading.Lock()
_KEPT: "weakref.WeakKeyDictionary[Engine, OrderedDict]" = weakref.WeakKeyDictionary()


def structure_version(*, session: Session) -> int:
    """The 'structure' counter: it moves with every change to agreements, commitment areas,
    organisations and counterparts. One primary-key read. Raises nothing of its own."""
    return session.exec(select(ChangeCounter.value).where(ChangeCounter.name == STRUCTURE)).first() or 0


def memo(session: Session, key: tuple, compute: Callable[[], Any]) -> Any:
    """compute(), kept for the session's engine under `key` (hashable). The value is shared
    between callers: they must not change it."""
    engine = session.get_bind()
    with _LOCK:
        kept = _KEPT.setdefault(engine, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    value = compute()
    with _LOCK:
        kept[key] = value
        while len(kept) > MEMO_MAX:
            kept.popitem(last=False)
    return value


def forget(engine: Engine) -> None:
    """Drop what is kept for `engine` (tests; a restore under a running process)."""
    with _LOCK:
        _KEPT.pop(engine, None)

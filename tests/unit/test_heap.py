"""The heap is frozen once per process, after the first page, and never again."""
import ui.heap as heap


def test_the_heap_is_frozen_once_and_later_calls_do_nothing(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(heap, "_FROZEN", False)
    monkeypatch.setattr(heap.gc, "collect", lambda: calls.append("collect") or 0)
    monkeypatch.setattr(heap.gc, "freeze", lambda: calls.append("freeze"))
    assert heap.freeze_startup_heap() is True
    assert heap.freeze_startup_heap() is False
    assert heap.freeze_startup_heap() is False
    assert calls == ["collect", "freeze"]  # collected first: no startup garbage is frozen

"""The process's heap after its first page: frozen once, so later full collections skip it.

A Streamlit process holds a few hundred thousand long-lived objects after its first page
(Streamlit, plotly, pandas, SQLAlchemy, the catalogs). Python's full garbage collection walks
all of them whenever enough new objects have been made, and a rerun that builds the
Overview's figures from 10,000 items makes that many: measured at M on this machine, one
rerun in two after a save paid a ~300 ms full collection. gc.freeze() moves what exists
now out of the collector's sight; what the reruns create is collected as before."""
from __future__ import annotations

import gc
import threading

_LOCK = threading.Lock()
_FROZEN = False


def freeze_startup_heap() -> bool:
    """Collect, then freeze the heap, the first time it is called in this process; True
    when this call froze it. Later calls do nothing (their garbage must stay collectable)."""
    global _FROZEN
    with _LOCK:
        if _FROZEN:
            return False
        gc.collect()
        gc.freeze()
        _FROZEN = True
        return True

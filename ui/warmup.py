"""Once per process, after its first page: the imports an official's first view of a page
would otherwise wait for.

Streamlit imports pandas (pyarrow with it) at the first st.dataframe of a process, and each
page's helpers here import their libraries (python-docx, python-pptx, openpyxl, pypdf, ...)
the first time the page runs: measured on this machine's 2 cores, pandas ~0.3 s when it is
quiet and ~1 s when it is busy, the ui modules ~0.5 s and ~1.6 s. The first page of a process
is almost always the sign-in form, which needs none of them; importing them at the end of its
run, once the form is drawn, moves that cost into the seconds the visitor spends typing.

Not earlier: Streamlit runs app.py only when a browser connects, never at start-up. Not in a
thread: imports racing a page's own imports; and the heap freeze that follows (ui/heap.py)
should see everything imported here."""
from __future__ import annotations

import importlib
import pkgutil
import threading

import ui

_LOCK = threading.Lock()
_DONE = False


def import_page_libraries() -> bool:
    """Import pandas and every ui module the first time it is called in this process; True
    when this call imported them. Later calls do nothing."""
    global _DONE
    with _LOCK:
        if _DONE:
            return False
        importlib.import_module("pandas")  # for Streamlit's first st.dataframe: not used here
        for module in pkgutil.iter_modules(ui.__path__, f"{ui.__name__}."):
            importlib.import_module(module.name)
        _DONE = True
        return True

"""Once per process, after the first page: pandas and every ui module are imported, so no
page's first view waits for them; later calls do nothing."""
import pkgutil
import sys

import ui
import ui.warmup as warmup


def test_the_first_call_imports_pandas_and_every_ui_module_and_later_calls_do_nothing(monkeypatch):
    monkeypatch.setattr(warmup, "_DONE", False)
    assert warmup.import_page_libraries() is True
    assert "pandas" in sys.modules
    modules = [m.name for m in pkgutil.iter_modules(ui.__path__, "ui.")]
    assert "ui.charts" in modules and all(name in sys.modules for name in modules)
    imported: list[str] = []
    monkeypatch.setattr(warmup.importlib, "import_module", imported.append)
    assert warmup.import_page_libraries() is False
    assert imported == []

"""Pages run against a migrated, seeded SQLite file of their own (with sample data)."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.db import make_engine
from core.settings import get_settings
from services.setup import prepare_database
from tests.conftest import TODAY

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    prepare_database(engine, sample=True, today=TODAY)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    engine.dispose()
    st.cache_resource.clear()
    get_settings.cache_clear()


def run_page(page: str | None = None, *, query: dict | None = None, timeout: float = 30) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at

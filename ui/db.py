"""The one engine of this Streamlit process, and a short Session per rerun."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.db import make_engine, new_session
from core.settings import get_settings
from services.seeding.startup import prepare_database


@st.cache_resource(show_spinner="Preparing the database…")
def get_engine() -> Engine:
    settings = get_settings()
    engine = make_engine()
    prepare_database(engine, migrate=settings.auto_migrate, seed_if_empty=settings.auto_seed)
    return engine


@contextmanager
def session_scope() -> Iterator[Session]:
    with new_session(get_engine()) as session:
        yield session

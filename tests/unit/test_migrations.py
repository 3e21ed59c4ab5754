"""Alembic's head equals the models, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models  # noqa: F401 (registers every table on SQLModel.metadata)



@pytest.mark.store
def test_upgrade_head_matches_models(store_engine):
    with store_engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []

"""Apply Alembic migrations from code (manage.py migrate, start-up, tests)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from core.settings import ROOT


def alembic_config() -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def migrate_to(engine: Engine, revision: str = "head", *, direction: str = "upgrade") -> None:
    """Upgrade (or downgrade) to `revision` in one transaction. On SQLite, foreign keys are
    switched off around it, as SQLite's own procedure for altering a table requires (batch mode
    copies a table and drops the old one, which other tables point at), then checked and
    switched back on; a dangling reference left behind fails the migration."""
    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # a no-op inside a transaction: set before it begins
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                getattr(command, direction)(cfg, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("The migration left a reference to a missing row; nothing was changed.")
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade_head(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest); see migrate_to."""
    migrate_to(engine, revision)

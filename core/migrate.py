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


def upgrade_head(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest), in one transaction.

    On SQLite, batch migrations rebuild a table (create, copy, drop, rename): with foreign keys
    enforced, dropping a table that other rows point to fails. SQLite's own procedure for
    altering a table is followed: foreign keys off outside the transaction, the change, then
    `PRAGMA foreign_key_check`, which must find nothing before the transaction commits.
    Raises RuntimeError naming the rows when a migration left a broken reference."""
    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"a migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()

"""One typed Settings object, read from the environment (and a .env file).

Every field carries a description; tests/unit/test_docs.py checks that each one is
documented in README.md, so the README stays the operator's single reference.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'data' / 'tracker.db'}",
        description="SQLAlchemy URL of the store. SQLite file by default; "
        "postgresql+psycopg://user:pass@host/db switches to PostgreSQL.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000, description="How long a SQLite writer waits for a lock, in milliseconds."
    )
    auto_migrate: bool = Field(
        default=True, description="Apply database migrations when the dashboard starts."
    )
    auto_seed: bool = Field(
        default=True,
        description="Seed the facts from the source document on first start (empty database).",
    )
    session_idle_minutes: int = Field(
        default=30, description="Minutes of inactivity after which a signed-in session ends."
    )
    login_max_failures: int = Field(
        default=5, description="Failed sign-ins after which an account is locked."
    )
    login_lockout_minutes: int = Field(
        default=15, description="How long a locked account stays locked, in minutes."
    )
    upload_max_mb: int = Field(
        default=20, description="Largest Excel file accepted for import, in megabytes."
    )
    import_max_rows: int = Field(
        default=20000, description="Most data rows an imported sheet may hold."
    )
    stale_days: int = Field(
        default=30, description="Days without an update after which an item needs attention."
    )
    timezone: str = Field(
        default="Asia/Kuala_Lumpur",
        description="IANA time zone in which times are shown (history, conflicts, audit, Excel); "
        "times are stored in UTC.",
    )
    default_language: str = Field(
        default="en", description="Interface language when neither the URL nor the browser says (en, ms, zh)."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"TIMEZONE {value!r} is not a known IANA time zone (e.g. Asia/Kuala_Lumpur)") from None
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

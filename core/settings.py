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
    login_address_free_failures: int = Field(
        default=10, description="Failed sign-ins from one network address (within LOGIN_LOCKOUT_MINUTES) "
                                "before each further attempt from it must wait."
    )
    login_address_max_delay_seconds: int = Field(
        default=300, description="Longest wait imposed on an address after repeated failed sign-ins, in seconds "
                                 "(the wait doubles with each failure: 2, 4, 8, ... seconds)."
    )
    trust_x_forwarded_for: bool = Field(
        default=False, description="Take the client's address from the last entry of X-Forwarded-For (set it "
                                   "only behind a reverse proxy that writes that header)."
    )
    upload_max_mb: int = Field(
        default=20, description="Largest Excel file accepted for import, in megabytes."
    )
    import_max_rows: int = Field(
        default=20000, description="Most data rows an imported sheet may hold."
    )
    document_max_mb: int = Field(
        default=20, description="Largest source document (PDF, Word, text, or pasted text) accepted, in megabytes."
    )
    document_max_pages: int = Field(
        default=200, description="Most pages an uploaded PDF source document may have."
    )
    stale_days: int = Field(
        default=30, description="Days without an update after which an item needs attention."
    )
    update_window_days: int = Field(
        default=3, ge=0, le=60,
        description="Days before a joint body's next meeting when the update window closes: focal points "
        "see the update due on My items, and items not updated since the last meeting are flagged on the agenda.",
    )
    dormant_days: int = Field(
        default=90, ge=1, le=3650,
        description="Days with no update and no meeting after which an agreement is flagged dormant.",
    )
    timezone: str = Field(
        default="Asia/Kuala_Lumpur",
        description="IANA time zone in which times are shown (history, conflicts, audit, Excel); "
        "times are stored in UTC.",
    )
    default_language: str = Field(
        default="en", description="Interface language when neither the URL nor the browser says (en, ms, zh)."
    )
    smtp_host: str = Field(
        default="", description="SMTP relay that send-reminders uses (empty: no mail is sent; --dry-run still works)."
    )
    smtp_port: int = Field(default=587, description="Port of the SMTP relay.")
    smtp_starttls: bool = Field(
        default=True, description="Switch the SMTP connection to TLS with STARTTLS before signing in or sending."
    )
    smtp_user: str = Field(default="", description="SMTP user name (empty: the relay takes mail without signing in).")
    smtp_password: str = Field(default="", description="SMTP password of SMTP_USER.")
    mail_from: str = Field(
        default="MoU Tracker <no-reply@localhost>", description="Sender (From) of reminder mails."
    )
    public_url: str = Field(
        default="http://localhost:8501",
        description="The dashboard's address as users reach it; links in mails start with it.",
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

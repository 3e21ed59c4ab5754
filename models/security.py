"""Failed sign-ins per network address, kept in the database so that every process of the
dashboard (and every server behind a load balancer) slows the same address down."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class SignInThrottle(SQLModel, table=True):
    """One row per address with recent failed sign-ins (services/accounts/throttle.py)."""

    address: str = Field(max_length=64, primary_key=True)  # IPv4 / IPv6 text, or "unknown"
    failures: int = 0  # failures since first_failure_at (older ones are forgotten)
    first_failure_at: datetime = Field(sa_type=UTCDateTime)
    last_failure_at: datetime = Field(sa_type=UTCDateTime)
    blocked_until: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)

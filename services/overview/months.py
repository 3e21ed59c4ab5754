"""Months and instants the Overview's history is cut at, in each dialect's own words."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class year_month(FunctionElement):  # noqa: N801 - reads like the SQL function it renders
    """'YYYY-MM' of a UTC timestamp, in each dialect's own words."""

    type = String()
    inherit_cache = True


@compiles(year_month)
def _ym_sqlite(element, compiler, **kw):  # noqa: ANN001
    # SQLite stores UTCDateTime as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC: cutting the text is
    # several times cheaper than strftime parsing it, over 200,000 updates.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(year_month, "postgresql")
def _ym_pg(element, compiler, **kw):  # noqa: ANN001
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM')"


def end_of(day: date) -> datetime:
    """The first instant after `day` (UTC): "as of D" includes all of D."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=timezone.utc)


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


class utc_day(FunctionElement):  # noqa: N801 - reads like the SQL function it renders
    """'YYYY-MM-DD' of a UTC timestamp: the date as rules.as_date gives it, read as text so
    10,000 rows need no timestamp conversion on the way out (date.fromisoformat it)."""

    type = String()
    inherit_cache = True


@compiles(utc_day)
def _day_sqlite(element, compiler, **kw):  # noqa: ANN001
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(utc_day, "postgresql")
def _day_pg(element, compiler, **kw):  # noqa: ANN001
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"

"""Shared fixtures: a fresh in-memory SQLite per test, the seeded facts, one user per role,
and the PostgreSQL store when TEST_DATABASE_URL is set (required, not optional, in CI)."""
from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, select

from core.db import make_engine
from core.migrate import upgrade_head
from models import Organisation, Role, User
from services.seeding.facts import ensure_system_user, seed_facts

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TODAY = date(2026, 11, 26)


def require_or_skip(reason: str) -> None:
    """Missing tooling is a visible skip on a laptop and a failure in CI."""
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture
def engine():
    eng = make_engine("sqlite://")
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def system_user(session) -> User:
    user = ensure_system_user(session=session)
    session.commit()
    return user


@pytest.fixture
def seeded(session, system_user) -> Session:
    seed_facts(session=session, actor=system_user)
    return session


def make_user(session: Session, username: str, role: Role, org_acronym: str | None = "KD") -> User:
    org = session.exec(select(Organisation).where(Organisation.acronym == org_acronym)).first()
    user = User(
        username=username, display_name=username.title(), role=role.value,
        organisation_id=org.id if org else None,
    )
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def users(seeded) -> dict[str, User]:
    """One user per role; the focal point belongs to MDEC."""
    return {
        "viewer": make_user(seeded, "viewer1", Role.VIEWER),
        "focal_point": make_user(seeded, "focal1", Role.FOCAL_POINT, "MDEC"),
        "secretariat": make_user(seeded, "sec1", Role.SECRETARIAT),
        "admin": make_user(seeded, "admin1", Role.ADMIN),
    }


@pytest.fixture
def sampled(seeded, system_user, users) -> Session:
    """The seeded store with the sample data (items, history, meetings) on top."""
    from services.seeding.sample import seed_sample
    seed_sample(session=seeded, actor=system_user, today=TODAY)
    return seeded


def _pg_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL")


def _store(request, tmp_path, *, migrated: bool):
    """A store on SQLite (a file, WAL) or PostgreSQL (a schema of its own, dropped after),
    as request.param says; at the newest migration when `migrated`, else empty. Either way
    the engine's URL alone reaches it, so a child process can open the same store."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        if migrated:
            upgrade_head(eng)
        yield eng
        eng.dispose()
        return
    url = _pg_url()
    if not url:
        require_or_skip("TEST_DATABASE_URL is not set: PostgreSQL store tests not run")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        require_or_skip(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc}")
    # The schema travels in the URL (not connect_args): another process handed
    # eng.url.render_as_string(hide_password=False) opens the same store.
    eng = create_engine(make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}))
    if migrated:
        upgrade_head(eng)
    yield eng
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_engine(request, tmp_path):
    """A migrated, empty store on SQLite (a file, WAL) and on PostgreSQL (own schema)."""
    yield from _store(request, tmp_path, migrated=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_store_engine(request, tmp_path):
    """A store with no tables yet, on SQLite and PostgreSQL: migration tests start it at an
    earlier revision themselves."""
    yield from _store(request, tmp_path, migrated=False)


FAST_HASHER_PARAMS = dict(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def fast_hasher(monkeypatch):
    """Cheap argon2 parameters so tests that hash many passwords stay fast."""
    from argon2 import PasswordHasher

    import services.accounts.auth

    monkeypatch.setattr(services.accounts.auth, "HASHER", PasswordHasher(**FAST_HASHER_PARAMS))


def set_password(session: Session, user: User, password: str) -> User:
    from services.accounts.auth import hash_password

    user.password_hash = hash_password(password)
    session.add(user)
    session.commit()
    return user


# The Excel tests share `sampled` (a database with the sample items) from here.
pytest_plugins = ["tests.unit.excel_fixtures"]

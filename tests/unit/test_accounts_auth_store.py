"""Sign-in, tokens and the audit guard on the real stores (SQLite file and PostgreSQL):
odd input (NUL bytes, long and non-Latin text) must give a message there too, never a
driver error."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from models import AuditEvent, AuthSession
from services.accounts.auth import create_session_token, sign_in, validate_session_token
from services.errors import ServiceError
from services.seeding.facts import ensure_system_user, seed_facts
from services.accounts.users import create_user

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
ODD = ["\x00", "a\x00b" * 10, "名字" * 40, "x" * 300, "<script>alert(1)</script>", "' OR '1'='1"]


@pytest.fixture
def store(store_engine, fast_hasher):
    with Session(store_engine, expire_on_commit=False) as s:
        system = ensure_system_user(session=s)
        s.commit()
        seed_facts(session=s, actor=system)
        create_user(session=s, actor=system, username="alice", role="viewer", organisation="KD",
                    password="alice password")
        yield s


@pytest.mark.store
@pytest.mark.parametrize("odd", ODD)
def test_odd_sign_in_input_is_refused_cleanly(store, odd):
    for username, password in ((odd, "alice password"), ("alice", odd), (odd, odd)):
        with pytest.raises(ServiceError):
            sign_in(session=store, username=username, password=password, now=NOW)
    failed = store.exec(select(AuditEvent).where(AuditEvent.action == "failed_sign_in")).all()
    assert failed and all("\x00" not in (e.username or "") and len(e.username) <= 64 for e in failed)


@pytest.mark.store
def test_token_round_trip_and_expiry(store):
    user = sign_in(session=store, username="alice", password="alice password", now=NOW)
    token = create_session_token(session=store, user=user, now=NOW)
    assert validate_session_token(session=store, token=token, now=NOW + timedelta(minutes=10)).id == user.id
    assert validate_session_token(session=store, token=token, now=NOW + timedelta(minutes=41),
                                  idle_minutes=30) is None
    assert store.exec(select(AuthSession)).one().revoked_at is not None
    for odd in ODD:
        assert validate_session_token(session=store, token=odd, now=NOW) is None


@pytest.mark.store
def test_audit_rows_refuse_changes(store):
    event = store.exec(select(AuditEvent)).first()
    event.detail = "changed"
    store.add(event)
    with pytest.raises(ServiceError):
        store.commit()
    store.rollback()

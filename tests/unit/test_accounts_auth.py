"""Sign-in, lockout, rehash and session tokens, with time injected."""
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from core.settings import Settings
from models import AuditEvent, AuthSession, Role
from services.accounts import auth
from services.accounts.auth import (
    AccountLocked, SignInFailed, change_own_password, create_session_token, hash_token,
    revoke_session_token, sign_in, validate_session_token,
)
from services.errors import ServiceError, ValidationFailed
from tests.conftest import FAST_HASHER_PARAMS, make_user, set_password

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
PW = "correct horse battery"


@pytest.fixture
def alice(seeded, fast_hasher):
    return set_password(seeded, make_user(seeded, "alice", Role.FOCAL_POINT, "MDEC"), PW)


def actions(session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_sign_in_records_event_and_clears_failures(seeded, alice):
    alice.failed_logins = 2
    seeded.add(alice)
    seeded.commit()
    user = sign_in(session=seeded, username="  Alice ", password=PW, now=NOW)
    assert user.id == alice.id and user.failed_logins == 0
    assert actions(seeded)[-1] == "sign_in"


def test_wrong_password_counts_and_is_audited(seeded, alice):
    with pytest.raises(SignInFailed, match="Wrong username or password"):
        sign_in(session=seeded, username="alice", password="not the password", now=NOW)
    seeded.refresh(alice)
    assert alice.failed_logins == 1
    event = seeded.exec(select(AuditEvent).where(AuditEvent.action == "failed_sign_in")).one()
    assert event.user_id == alice.id and "wrong password" in event.detail


def test_unknown_user_gives_the_same_message_and_is_audited(seeded, alice):
    with pytest.raises(SignInFailed, match="Wrong username or password"):
        sign_in(session=seeded, username="mallory", password=PW, now=NOW)
    event = seeded.exec(select(AuditEvent).where(AuditEvent.action == "failed_sign_in")).one()
    assert event.username == "mallory" and event.user_id is None


@pytest.mark.parametrize("max_failures,lock_minutes", [(5, 15), (3, 1)])
def test_lockout_after_max_failures_then_unlock(seeded, alice, max_failures, lock_minutes):
    settings = Settings(login_max_failures=max_failures, login_lockout_minutes=lock_minutes)
    for i in range(max_failures - 1):  # noqa: B007
        with pytest.raises(SignInFailed) as exc:
            sign_in(session=seeded, username="alice", password="wrong-password", now=NOW, settings=settings)
        assert not isinstance(exc.value, AccountLocked)
    # the same answer as an unknown username (tests/unit/test_signin_throttle.py)
    with pytest.raises(AccountLocked, match="Wrong username or password"):
        sign_in(session=seeded, username="alice", password="wrong-password", now=NOW, settings=settings)
    assert "lockout" in actions(seeded)
    # Locked: even the right password is refused until the time is up.
    just_before = NOW + timedelta(minutes=lock_minutes) - timedelta(seconds=1)
    with pytest.raises(AccountLocked):
        sign_in(session=seeded, username="alice", password=PW, now=just_before, settings=settings)
    user = sign_in(session=seeded, username="alice", password=PW,
                   now=NOW + timedelta(minutes=lock_minutes), settings=settings)
    assert user.locked_until is None and user.failed_logins == 0


def test_disabled_account_is_refused_with_a_clear_message(seeded, alice):
    alice.disabled = True
    seeded.add(alice)
    seeded.commit()
    with pytest.raises(SignInFailed, match="disabled"):
        sign_in(session=seeded, username="alice", password=PW, now=NOW)


def test_rehash_when_parameters_change(seeded, alice, monkeypatch):
    old = alice.password_hash
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(**{**FAST_HASHER_PARAMS, "time_cost": 2}))
    assert auth.HASHER.check_needs_rehash(old)
    sign_in(session=seeded, username="alice", password=PW, now=NOW)
    seeded.refresh(alice)
    assert alice.password_hash != old and not auth.HASHER.check_needs_rehash(alice.password_hash)
    assert auth.verify_password(alice.password_hash, PW)


def test_default_hasher_is_argon2id():
    assert PasswordHasher().hash("x" * 8).startswith("$argon2id$")


@pytest.mark.parametrize("username", ["", "a", "a" * 10_000, "名字", "\x00admin", "a b", "<script>", None])
@pytest.mark.parametrize("password", ["", "x" * 5000, "\ud800abcdefgh", "pässwörd🙂", "\x00" * 9])
def test_any_input_gives_a_message_never_a_crash(seeded, alice, username, password):
    with pytest.raises(ServiceError) as exc:
        sign_in(session=seeded, username=username, password=password, now=NOW)
    assert str(exc.value)


@pytest.mark.parametrize("password,ok", [
    ("short", False), ("x" * 8, True), ("x" * 1024, True), ("x" * 1025, False),
    ("pässwörd🙂 中文", True), ("\ud800" * 8, False), ("alice", False),
])
def test_password_rules(password, ok):
    if ok:
        assert auth.check_password(password, username="alice") == password
    else:
        with pytest.raises(ValidationFailed):
            auth.check_password(password, username="alice")


# Tokens ---------------------------------------------------------------------------------

def test_token_is_random_and_stored_hashed(seeded, alice):
    token = create_session_token(session=seeded, user=alice, now=NOW)
    other = create_session_token(session=seeded, user=alice, now=NOW)
    assert token != other and len(token) >= 40
    rows = seeded.exec(select(AuthSession)).all()
    assert {r.token_hash for r in rows} == {hash_token(token), hash_token(other)}
    assert all(token not in r.token_hash for r in rows)


@pytest.mark.parametrize("idle,alive", [(timedelta(minutes=29), True), (timedelta(minutes=30), True),
                                        (timedelta(minutes=30, seconds=1), False)])
def test_token_idle_timeout(seeded, alice, idle, alive):
    token = create_session_token(session=seeded, user=alice, now=NOW)
    user = validate_session_token(session=seeded, token=token, now=NOW + idle, idle_minutes=30)
    assert (user is not None) == alive
    if not alive:
        assert "session_expired" in actions(seeded)
        # Expired for good: coming back sooner does not revive it.
        assert validate_session_token(session=seeded, token=token, now=NOW, idle_minutes=30) is None


def test_activity_keeps_the_token_alive(seeded, alice):
    token = create_session_token(session=seeded, user=alice, now=NOW)
    for minutes in (20, 40, 60, 80):
        assert validate_session_token(session=seeded, token=token, now=NOW + timedelta(minutes=minutes),
                                      idle_minutes=30) is not None


def test_revoked_disabled_and_garbage_tokens_fail(seeded, alice):
    token = create_session_token(session=seeded, user=alice, now=NOW)
    revoke_session_token(session=seeded, token=token, now=NOW)
    assert validate_session_token(session=seeded, token=token, now=NOW) is None
    assert "sign_out" in actions(seeded)
    token2 = create_session_token(session=seeded, user=alice, now=NOW)
    alice.disabled = True
    seeded.add(alice)
    seeded.commit()
    assert validate_session_token(session=seeded, token=token2, now=NOW) is None
    for garbage in (None, "", "x", "' OR 1=1 --", "a" * 5000, "é" * 40):
        assert validate_session_token(session=seeded, token=garbage, now=NOW) is None


def test_change_own_password_signs_out_other_browsers(seeded, alice):
    here = create_session_token(session=seeded, user=alice, now=NOW)
    elsewhere = create_session_token(session=seeded, user=alice, now=NOW)
    with pytest.raises(ValidationFailed, match="current password"):
        change_own_password(session=seeded, actor=alice, current_password="nope-nope",
                            new_password="a new password", now=NOW, keep_token=here)
    change_own_password(session=seeded, actor=alice, current_password=PW,
                        new_password="a new password", now=NOW, keep_token=here)
    assert validate_session_token(session=seeded, token=here, now=NOW) is not None
    assert validate_session_token(session=seeded, token=elsewhere, now=NOW) is None
    assert sign_in(session=seeded, username="alice", password="a new password", now=NOW).id == alice.id

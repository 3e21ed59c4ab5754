"""Sign-in hardening: a locked account and an unknown username get the same answer after the
same work; failed sign-ins slow an address down (counted in the database, so every process
sees it); an administrator sees and lifts account locks and address waits."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from core.settings import Settings
from models import AuditEvent, Role, SignInThrottle
from services.accounts import auth
from services.accounts.auth import SignInFailed, sign_in
from services.accounts.throttle import lift_address_wait, list_locks, unlock_account
from services.errors import NotFound, PermissionDenied
from tests.conftest import make_user, set_password

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
PW = "correct horse battery"
SETTINGS = Settings(login_max_failures=3, login_lockout_minutes=15, login_address_free_failures=4,
                    login_address_max_delay_seconds=20)


@pytest.fixture
def alice(seeded, fast_hasher):
    return set_password(seeded, make_user(seeded, "alice", Role.FOCAL_POINT, "MDEC"), PW)


@pytest.fixture
def verifications(monkeypatch):
    """How many argon2 verifications each attempt costs."""
    calls = []
    real = auth.verify_password

    def counting(password_hash, password):
        calls.append(password_hash)
        return real(password_hash, password)
    monkeypatch.setattr(auth, "verify_password", counting)
    return calls


def _attempt(session, username, password, now, address="10.0.0.7"):
    with pytest.raises(SignInFailed) as exc:
        sign_in(session=session, username=username, password=password, now=now, settings=SETTINGS, address=address)
    return str(exc.value)


def test_locked_and_unknown_usernames_get_the_same_answer_after_the_same_work(seeded, alice, verifications):
    for n in range(SETTINGS.login_max_failures):  # lock alice (from several addresses: no wait)
        _attempt(seeded, "alice", "wrong password", NOW, address=f"10.1.0.{n}")
    seeded.refresh(alice)
    assert alice.locked_until is not None
    answers = {}
    for case, username, password in (("locked, right password", "alice", PW), ("locked, wrong", "alice", "nope nope"),
                                     ("unknown", "mallory", PW), ("malformed", "<b>x</b>", PW)):
        verifications.clear()
        answers[case] = _attempt(seeded, username, password, NOW + timedelta(minutes=1), address=case)
        assert len(verifications) == 1, case  # one argon2 verification, like a wrong password
    assert set(answers.values()) == {"Wrong username or password."}


def test_failed_sign_ins_slow_an_address_down_and_every_process_sees_it(engine, seeded, alice, verifications):
    t = NOW
    for _ in range(SETTINGS.login_address_free_failures):
        _attempt(seeded, "mallory", "guess", t)
        t += timedelta(seconds=1)
    _attempt(seeded, "mallory", "guess", t)  # the first failure past the free ones: wait 2 s
    verifications.clear()
    with Session(engine) as other_process:
        message = _attempt(other_process, "alice", PW, t + timedelta(seconds=1))  # even the right password
    assert "Wait 1 seconds" in message and verifications == []  # refused before any hashing
    assert sign_in(session=seeded, username="alice", password=PW, now=t + timedelta(seconds=1), settings=SETTINGS,
                   address="10.9.9.9").id == alice.id  # another address is not slowed
    _attempt(seeded, "mallory", "guess", t + timedelta(seconds=2))  # after the wait: one more failure, 4 s
    assert "Wait 4 seconds" in _attempt(seeded, "alice", PW, t + timedelta(seconds=2))
    waits = []
    now = t + timedelta(seconds=2)
    for _ in range(6):  # the wait doubles up to the maximum
        now = seeded.get(SignInThrottle, "10.0.0.7").blocked_until
        _attempt(seeded, "mallory", "guess", now)
        waits.append((seeded.get(SignInThrottle, "10.0.0.7").blocked_until - now).total_seconds())
    assert waits == [8, 16, 20, 20, 20, 20]
    events = seeded.exec(select(AuditEvent).where(AuditEvent.action == "address_slowed")).all()
    assert len(events) == 1 and "10.0.0.7" in events[0].detail


def test_failures_are_forgotten_after_the_window(seeded, alice):
    for _ in range(SETTINGS.login_address_free_failures + 1):
        _attempt(seeded, "mallory", "guess", NOW)
    later = NOW + timedelta(minutes=SETTINGS.login_lockout_minutes, seconds=1)
    _attempt(seeded, "mallory", "guess", later)
    row = seeded.get(SignInThrottle, "10.0.0.7")
    assert row.failures == 1 and row.blocked_until is None


def test_an_administrator_sees_and_lifts_locks(seeded, alice, users):
    for n in range(SETTINGS.login_max_failures):
        _attempt(seeded, "alice", "wrong password", NOW, address=f"10.1.0.{n}")
    for _ in range(SETTINGS.login_address_free_failures + 1):
        _attempt(seeded, "mallory", "guess", NOW)
    admin = users["admin"]
    locks = {(lock.kind, lock.key) for lock in list_locks(session=seeded, actor=admin, now=NOW)}
    assert locks == {("account", "alice"), ("address", "10.0.0.7")}
    unlock_account(session=seeded, actor=admin, username="alice", now=NOW)
    lift_address_wait(session=seeded, actor=admin, address="10.0.0.7", now=NOW)
    assert list_locks(session=seeded, actor=admin, now=NOW) == []
    assert sign_in(session=seeded, username="alice", password=PW, now=NOW, settings=SETTINGS,
                   address="10.0.0.7").id == alice.id
    actions = [e.action for e in seeded.exec(select(AuditEvent)).all()]
    assert "unlock_account" in actions and "lift_address_wait" in actions
    with pytest.raises(NotFound):
        lift_address_wait(session=seeded, actor=admin, address="10.0.0.7", now=NOW)
    with pytest.raises(PermissionDenied):
        list_locks(session=seeded, actor=users["secretariat"], now=NOW)

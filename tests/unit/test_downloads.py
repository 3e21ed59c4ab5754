"""Every download is built only after the session and the role are checked at that moment
(ui/downloads.py): sign-out, idle timeout, a disabled account, another account's tab or a
role that may not have the file get nothing, and nothing is built."""
from datetime import datetime, timedelta, timezone

import pytest

from services.accounts.auth import create_session_token, revoke_session_token
from services.permissions import can_read_audit
from ui.downloads import DownloadRefused, Guard, any_account, file_stamp, run_guarded

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def built():
    calls = []

    def build(session, user, now):
        calls.append((user.username, now))
        return b"PK-" + user.username.encode()
    return build, calls


def _guard(session, user, may=any_account):
    token = create_session_token(session=session, user=user, now=NOW)
    return token, Guard(token=token, user_id=user.id, may=may)


def test_a_live_session_gets_its_file_built_at_the_click(engine, seeded, users, built):
    build, calls = built
    _, guard = _guard(seeded, users["viewer"])
    later = NOW + timedelta(minutes=5)
    assert run_guarded(engine=engine, guard=guard, build=build, now=later) == b"PK-viewer1"
    assert calls == [("viewer1", later)]


@pytest.mark.parametrize("case", ["signed_out", "idle", "disabled", "other_user", "role", "no_token"])
def test_refused_and_nothing_built(engine, seeded, users, built, case):
    build, calls = built
    viewer = users["viewer"]
    token, guard = _guard(seeded, viewer, may=can_read_audit if case == "role" else any_account)
    now = NOW + timedelta(minutes=1)
    if case == "signed_out":
        revoke_session_token(session=seeded, token=token, now=now)
    elif case == "idle":
        now = NOW + timedelta(hours=3)  # past SESSION_IDLE_MINUTES (30 by default)
    elif case == "disabled":
        viewer.disabled = True
        seeded.add(viewer)
        seeded.commit()
    elif case == "other_user":
        guard = Guard(token=token, user_id=users["admin"].id, may=any_account)
    elif case == "no_token":
        guard = Guard(token=None, user_id=viewer.id, may=any_account)
    with pytest.raises(DownloadRefused):
        run_guarded(engine=engine, guard=guard, build=build, now=now)
    assert calls == []


def test_the_role_is_read_when_the_file_is_asked_for(engine, seeded, users, built):
    """A secretariat member demoted to viewer after the page was drawn gets no audit export."""
    build, calls = built
    sec = users["secretariat"]
    _, guard = _guard(seeded, sec, may=can_read_audit)
    assert run_guarded(engine=engine, guard=guard, build=build, now=NOW) == b"PK-sec1"
    sec.role = "viewer"
    seeded.add(sec)
    seeded.commit()
    with pytest.raises(DownloadRefused):
        run_guarded(engine=engine, guard=guard, build=build, now=NOW)
    assert len(calls) == 1


def test_file_names_carry_the_time_to_the_minute():
    assert file_stamp(datetime(2026, 11, 30, 14, 7, 59, tzinfo=timezone.utc)) == "2026-11-30-1407Z"

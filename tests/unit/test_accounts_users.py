"""manage.py create-user and seed --sample, as an operator runs them."""
import io
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

import manage
from core.db import make_engine
from core.settings import get_settings
from models import User
from services.accounts.auth import sign_in


@pytest.fixture
def db_url(tmp_path, monkeypatch, fast_hasher):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def run(argv, monkeypatch, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return manage.main(argv)


def test_create_user_from_stdin_then_sign_in(db_url, monkeypatch, capsys):
    assert run(["seed"], monkeypatch) == 0
    code = run(["create-user", "Aisyah", "--role", "admin", "--org", "KD", "--display-name", "Aisyah R",
                "--password-stdin"], monkeypatch, stdin="a long enough password\n")
    assert code == 0 and "Created admin account 'aisyah'" in capsys.readouterr().out
    with Session(make_engine(db_url)) as s:
        user = sign_in(session=s, username="aisyah", password="a long enough password",
                       now=datetime.now(timezone.utc))
        assert user.role == "admin" and user.display_name == "Aisyah R"


@pytest.mark.parametrize("argv,stdin,message", [
    (["create-user", "x", "--role", "admin", "--org", "KD", "--password-stdin"], "a long enough password\n", "username"),
    (["create-user", "bob", "--role", "admin", "--org", "NOPE", "--password-stdin"], "a long enough password\n", "organisation"),
    (["create-user", "bob", "--role", "admin", "--org", "KD", "--password-stdin"], "short\n", "password"),
    (["create-user", "bob", "--role", "admin", "--org", "KD", "--password-stdin"], "", "password"),
])
def test_create_user_refusals_are_one_line(db_url, monkeypatch, capsys, argv, stdin, message):
    run(["seed"], monkeypatch)
    assert run(argv, monkeypatch, stdin=stdin) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_seed_sample_prints_fresh_demo_passwords(db_url, monkeypatch, capsys):
    run(["seed", "--sample"], monkeypatch)
    first = capsys.readouterr().out
    run(["seed", "--sample"], monkeypatch)
    second = capsys.readouterr().out
    lines = [line.split() for line in first.splitlines() if line.strip().startswith("demo.")]
    assert [u for u, _ in lines] == ["demo.viewer", "demo.focal", "demo.secretariat", "demo.admin"]
    assert all(password not in second for _, password in lines)
    latest = [line.split() for line in second.splitlines() if line.strip().startswith("demo.")]
    with Session(make_engine(db_url)) as s:
        username, password = latest[-1]
        assert sign_in(session=s, username=username, password=password,
                       now=datetime.now(timezone.utc)).role == "admin"


def test_plain_seed_prints_no_accounts(db_url, monkeypatch, capsys):
    run(["seed"], monkeypatch)
    assert "Demo accounts" not in capsys.readouterr().out
    with Session(make_engine(db_url)) as s:
        assert s.exec(select(User).where(User.password_hash.is_not(None))).all() == []

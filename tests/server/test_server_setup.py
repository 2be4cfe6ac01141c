"""Choosing the database: URLs and their masking, the order of choices, `selfcheck db use` with a password
(keyring or refused), .pgpass, TLS options, and every kind of bad input answered with one line, exit 2
and nothing changed: a wrong URL, a server that is down, a wrong or missing password, an unknown
database, a database that is not selfcheck's, a newer schema, a non-UTF-8 database, PostgreSQL < 13."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import engines
import pytest

from selfcheck import dbadmin, dbconfig
from selfcheck.errors import DatabaseError
from selfcheck.models import pg
from selfcheck.models.target import parse_url

SECRET = "Pa55:w/rd@é"


def _cli(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "SELFCHECK_DB_URL"}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "selfcheck", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=full,
    )


def _one_line_refusal(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


# --- no server needed ---------------------------------------------------------------------------------


def test_urls_are_parsed_and_the_password_is_always_masked() -> None:
    from urllib.parse import quote

    t = parse_url(
        f"postgresql://somu:{quote(SECRET, safe='')}@db.example.lg.jp:6543/selfcheck"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/root.crt"
    )
    assert (t.user, t.host, t.port, t.dbname, t.password) == (
        "somu",
        "db.example.lg.jp",
        6543,
        "selfcheck",
        SECRET,
    )
    assert dict(t.query) == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/ssl/root.crt",
    }  # TLS passes through
    assert SECRET not in t.display and quote(SECRET, safe="") not in t.display and ":***@" in t.display
    assert "***" not in t.url and SECRET not in t.url  # what would be stored: no password at all
    q = parse_url(f"postgres://somu@h/db?password={quote(SECRET, safe='')}&sslmode=require")
    assert q.password == SECRET and "password" not in t.url and SECRET not in q.display
    assert q.mask(f"FATAL: error for {SECRET}") == "FATAL: error for ***"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root:hunter2@localhost/selfcheck",
        "postgresql+psycopg2://u:hunter2@h/db",
        "postgresql://u:hunter2@h",
        "postgresql://:hunter2@h/db",
        "postgresql://u:hunter2@h:99999/db",
        "selfcheck.sqlite3",
    ],
)
def test_a_wrong_url_is_one_line_without_the_password(url: str, tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as err:
        dbconfig.target_from(url, tmp_path)
    assert "hunter2" not in err.value.one_line()
    line = _one_line_refusal(_cli(tmp_path / "home", "--db", url, "inspection", "list"))
    assert "hunter2" not in line and "URL" in line
    assert not (tmp_path / "home").exists()  # nothing was created


def test_the_order_of_choices_and_paths_masks_the_password(tmp_path: Path) -> None:
    home = tmp_path / "home"
    dbconfig.write_config(
        home, {"url": "postgresql+psycopg://cfg@h/db", "evidence_dir": str(tmp_path / "ev")}
    )
    r = _cli(home, "paths", "--json")
    assert json.loads(r.stdout)["database_from"] == "config"
    r = _cli(home, "paths", "--json", env={"SELFCHECK_DB_URL": "postgresql://env@h/db"})
    data = json.loads(r.stdout)
    assert data["database_from"] == "environment" and "env@" in data["database"]
    assert data["evidence"] == str(tmp_path / "ev")
    from urllib.parse import quote

    given = f"postgresql://opt:{quote(SECRET, safe='')}@h/db"
    r = _cli(home, "--db", given, "paths", env={"SELFCHECK_DB_URL": "postgresql://env@h/db"})
    assert r.returncode == 0 and "opt:***@h" in r.stdout and quote(SECRET, safe="") not in r.stdout + r.stderr
    # a password with symbols not written as %xx: refused, and no piece of it in the message
    line = _one_line_refusal(_cli(home, "--db", f"postgresql://opt:{SECRET}@h/db", "paths"))
    assert "Pa55" not in line and "w/rd" not in line
    r = _cli(home, "--db", "sqlite", "paths", "--json")
    assert json.loads(r.stdout)["database"] == str(home / "selfcheck.sqlite3")


def test_a_server_that_is_down_is_one_line(tmp_path: Path) -> None:
    from urllib.parse import quote

    url = f"postgresql://somu:{quote(SECRET, safe='')}@127.0.0.1:{_closed_port()}/selfcheck?connect_timeout=3"
    line = _one_line_refusal(_cli(tmp_path / "home", "db", "use", url))
    assert "接続できません" in line and SECRET not in line and quote(SECRET, safe="") not in line
    assert not dbconfig.config_path(tmp_path / "home").exists()


def test_postgresql_older_than_13_is_refused() -> None:
    t = parse_url("postgresql://u@h/db")
    with pytest.raises(DatabaseError) as err:
        pg.check_server(120011, "UTF8", "public", t)
    assert "PostgreSQL 12.11" in err.value.message_en and "13" in err.value.message_ja
    pg.check_server(130000, "UTF8", "public", t)  # 13 itself is fine


# --- with the test server -----------------------------------------------------------------------------


@pytest.fixture
def empty_db() -> object:
    target = engines.fresh_database(migrated=False)
    yield target
    engines.drop_database(target)


def _url(target: object, password: str | None = None, **query: str) -> str:
    """The URL a user would type for `target` (with a password, TLS options)."""
    from dataclasses import replace

    return _render(replace(target, password=password, query=tuple(query.items())))  # type: ignore[type-var]


def _render(t: object) -> str:
    from urllib.parse import quote, urlencode

    auth = t.user + (f":{quote(t.password, safe='')}" if t.password else "")  # type: ignore[attr-defined]
    q = "?" + urlencode(t.query) if t.query else ""  # type: ignore[attr-defined]
    return f"postgresql://{auth}@{t.host}:{t.port}/{t.dbname}{q}"  # type: ignore[attr-defined]


def test_db_use_creates_the_schema_and_stores_no_password(empty_db: object, tmp_path: Path) -> None:
    home = tmp_path / "home"
    r = _cli(home, "db", "use", _url(empty_db), "--evidence-dir", str(tmp_path / "share"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["password"] == "pgpass"  # libpq read PGPASSFILE
    saved = json.loads(dbconfig.config_path(home).read_text(encoding="utf-8"))
    assert saved == {"url": empty_db.url, "evidence_dir": str(tmp_path / "share")}  # type: ignore[attr-defined]
    assert pg.identify(empty_db).kind == "selfcheck"  # type: ignore[arg-type]
    status = json.loads(_cli(home, "db", "status", "--json").stdout)
    assert (
        status["engine"] == "postgresql" and status["revision"] and status["data_checksums"] in (True, False)
    )


def test_a_password_goes_to_the_keyring_or_the_command_is_refused(
    empty_db: object, tmp_path: Path, mem_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    pw = engines.server_password()
    home = tmp_path / "home"
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))  # only the keyring knows it now
    res = dbadmin.use(home, _url(empty_db, pw))
    assert res.password == "keyring" and pw not in res.database
    text = dbconfig.config_path(home).read_text(encoding="utf-8")
    assert pw not in text and json.loads(text)["password"] == "keyring"
    assert mem_keyring.store == {(dbconfig.KEYRING_SERVICE, empty_db.key): pw}  # type: ignore[attr-defined]
    place = dbconfig.resolve(home)
    assert place.db.password == pw
    from selfcheck.workspace import open_workspace

    open_workspace(home, place=place).close()
    # without a credential store: refused before anything is written
    import keyring
    from keyring.backends.fail import Keyring as Fail

    keyring.set_keyring(Fail())
    home2 = tmp_path / "home2"
    with pytest.raises(DatabaseError) as err:
        dbadmin.use(home2, _url(empty_db, pw))
    assert ".pgpass" in err.value.message_ja and pw not in err.value.one_line()
    assert not dbconfig.config_path(home2).exists()


def test_wrong_or_missing_password_and_unknown_database(empty_db: object, tmp_path: Path) -> None:
    home = tmp_path / "home"
    line = _one_line_refusal(_cli(home, "db", "use", _url(empty_db, SECRET)))
    assert "パスワードが違います" in line and SECRET not in line
    line = _one_line_refusal(
        _cli(home, "db", "use", _url(empty_db), env={"PGPASSFILE": str(tmp_path / "none")})
    )
    assert ".pgpass" in line
    from dataclasses import replace

    line = _one_line_refusal(_cli(home, "db", "use", _render(replace(empty_db, dbname="no_such_db"))))
    assert "ありません" in line
    assert not dbconfig.config_path(home).exists()
    assert pg.identify(empty_db).kind == "empty"  # type: ignore[arg-type]


def test_tls_options_pass_through_to_libpq(empty_db: object, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _cli(home, "--db", _url(empty_db, sslmode="disable"), "inspection", "list").returncode == 0
    line = _one_line_refusal(_cli(tmp_path / "h2", "db", "use", _url(empty_db, sslmode="require")))
    assert "TLS" in line  # this test server has no TLS: libpq itself refused, as asked
    line = _one_line_refusal(
        _cli(
            tmp_path / "h3",
            "db",
            "use",
            _url(empty_db, sslmode="verify-full", sslrootcert=str(tmp_path / "no.crt")),
        )
    )
    assert "TLS" in line


def test_a_database_that_is_not_selfchecks_is_left_alone(empty_db: object, tmp_path: Path) -> None:
    import psycopg

    with psycopg.connect(**engines.conninfo(empty_db), autocommit=True) as con:  # type: ignore[arg-type]
        con.execute("CREATE TABLE invoices (id int primary key, amount int)")
        con.execute("INSERT INTO invoices VALUES (1, 100)")
    line = _one_line_refusal(_cli(tmp_path / "home", "db", "use", _url(empty_db)))
    assert "selfcheck のデータベースではありません" in line
    with psycopg.connect(**engines.conninfo(empty_db)) as con:  # type: ignore[arg-type]
        tables = {r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"invoices"}  # no alembic_version, nothing of ours


def test_a_newer_schema_and_a_non_utf8_database_are_refused(empty_db: object, tmp_path: Path) -> None:
    pg.migrate(empty_db)  # type: ignore[arg-type]
    import psycopg

    with psycopg.connect(**engines.conninfo(empty_db), autocommit=True) as con:  # type: ignore[arg-type]
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    line = _one_line_refusal(_cli(tmp_path / "home", "db", "use", _url(empty_db)))
    assert "新しい版" in line and "9999" in line
    latin = engines.database(f"{empty_db.dbname}_latin")  # type: ignore[attr-defined]
    with engines.admin() as con:
        con.execute(
            f"CREATE DATABASE {latin.dbname} TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    try:
        line = _one_line_refusal(_cli(tmp_path / "home", "db", "use", _render(latin)))
        assert "UTF8" in line
        assert pg.query(latin, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
    finally:
        engines.drop_database(latin)

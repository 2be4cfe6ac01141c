"""What an administrator does with a server database: move the embedded data onto it (`db migrate --to`,
checked), give each 課 its own login with the README's SQL (append-only enforced by grants as well as
triggers; restore and schema changes need the owner), and move archives between the engines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import engines
import psycopg
import pytest
from engines import Raw

from selfcheck import dbconfig, evidence, inspection
from selfcheck.errors import DatabaseError
from selfcheck.models import pg
from selfcheck.trust.audit_verify import verify_chain
from selfcheck.trust.backup import create_backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import open_workspace

README = Path(__file__).resolve().parents[2] / "README.md"


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SELFCHECK_DB_URL"}
    return subprocess.run(
        [sys.executable, "-m", "selfcheck", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=env,
    )


@pytest.fixture
def empty_db() -> object:
    target = engines.fresh_database(migrated=False)
    yield target
    engines.drop_database(target)


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    """A real embedded data set: the demo inspections with evidence, an incident, the audit trail."""
    home = tmp_path / "lite"
    r = _cli(home, "demo")
    assert r.returncode == 0, r.stderr
    return home


def _url(t: object) -> str:
    return f"postgresql://{t.user}@{t.host}:{t.port}/{t.dbname}"  # type: ignore[attr-defined]


def test_db_migrate_copies_and_checks_then_the_pcs_use_it(
    demo_home: Path, empty_db: object, tmp_path: Path
) -> None:
    before_list = _cli(demo_home, "inspection", "list").stdout
    with Raw(open_workspace(demo_home)) as db:
        source_counts = {
            t: db.scalar(f"SELECT count(*) FROM {t}") for t in ("answer", "auditrecord", "evidence")
        }
    shared = tmp_path / "share" / "evidence"
    r = _cli(
        demo_home, "db", "migrate", "--to", _url(empty_db), "--evidence-dir", str(shared), "--use", "--json"
    )
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert {t: res["rows"][t] for t in source_counts} == source_counts
    assert res["audit_records"] == source_counts["auditrecord"] and res["now_used"]
    assert res["evidence_files"] > 0 and len(list(shared.rglob("*/*"))) == res["evidence_files"]
    # this PC now works on the server: same data, intact trail, every evidence file where it should be
    assert _cli(demo_home, "inspection", "list").stdout == before_list
    assert _cli(demo_home, "audit", "verify").returncode == 0
    assert _cli(demo_home, "verify", "--evidence", "2").returncode == 0
    assert json.loads(_cli(demo_home, "paths", "--json").stdout)["database"] == empty_db.display  # type: ignore[attr-defined]
    # a second PC with its own data directory pointing at the same server and share
    pc2 = tmp_path / "pc2"
    assert _cli(pc2, "db", "use", _url(empty_db), "--evidence-dir", str(shared)).returncode == 0
    assert _cli(pc2, "inspection", "list").stdout == before_list
    # the target is no longer empty: a second migration is refused and changes nothing
    again = _cli(demo_home, "db", "migrate", "--to", _url(empty_db))
    assert again.returncode == 2 and "空ではありません" in again.stderr and "Traceback" not in again.stderr
    with Raw(open_workspace(pc2)) as db:
        assert db.scalar("SELECT count(*) FROM auditrecord") == source_counts["auditrecord"]


def test_db_migrate_refuses_a_source_whose_trail_is_broken(demo_home: Path, empty_db: object) -> None:
    import sqlite3

    con = sqlite3.connect(demo_home / "selfcheck.sqlite3")
    con.execute("DROP TRIGGER auditrecord_no_delete")
    con.execute("DELETE FROM auditrecord WHERE id = 5")
    con.commit()
    con.close()
    r = _cli(demo_home, "db", "migrate", "--to", _url(empty_db))
    assert r.returncode == 2 and "監査記録" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert pg.identify(empty_db).kind in ("empty", "selfcheck")  # type: ignore[arg-type]
    assert pg.query(empty_db, "SELECT count(*) FROM pg_tables WHERE tablename = 'answer'") in ([(0,)], [(1,)])  # type: ignore[arg-type]
    if pg.identify(empty_db).kind == "selfcheck":  # type: ignore[arg-type]
        assert pg.query(empty_db, "SELECT count(*) FROM auditrecord") == [(0,)]  # type: ignore[arg-type]


def _readme_sql() -> str:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- roles-sql", 1)[1]
    return re.search(r"```sql\n(.*?)```", block, re.S).group(1)  # type: ignore[union-attr]


def test_each_ka_login_from_the_readme(tmp_path: Path) -> None:
    """The README's grants, run as written (names made unique): a 課's login records answers and evidence;
    it cannot rewrite the trail, the identity or the version, and cannot restore."""
    target = engines.fresh_database()  # the owner (the test server's admin) created the tables
    tag = uuid.uuid4().hex[:8]
    names = {"selfcheck_staff": f"staff_{tag}", "somu": f"somu_{tag}", "kikaku": f"kikaku_{tag}"}
    sql = _readme_sql().replace("DATABASE selfcheck ", f"DATABASE {target.dbname} ")
    for old, new in names.items():
        sql = re.sub(rf"\b{old}\b", new, sql)
    try:
        with psycopg.connect(**engines.conninfo(target), autocommit=True) as con:
            con.execute(sql)
        ka = replace(target, user=names["somu"], password=f"{names['somu']}-no-pasuwado")  # renamed too
        home = tmp_path / "somu"
        place = dbconfig.Place(home=home, db=ka, evidence=tmp_path / "share", source="option")
        ws = open_workspace(home, actor="総務課 佐藤", place=place)
        iid = inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
        item = inspection.detail(ws, iid).items[0].item_id
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value="partial", comment="総務課")
        f = tmp_path / "記録.txt"
        f.write_text("研修記録", encoding="utf-8")
        evidence.attach_file(ws, f, inspection_id=iid, item_id=item)
        assert verify_chain(ws).ok
        archive = create_backup(home, tmp_path / "b.zip", place=place).path  # reading all is allowed
        ws.close()
        with psycopg.connect(**engines.conninfo(ka), autocommit=True) as con:
            for stmt in (
                "UPDATE auditrecord SET app_user = 'x'",
                "DELETE FROM timelineentry",
                "TRUNCATE auditrecord CASCADE",
                "UPDATE selfcheck_meta SET value = 'x'",
                "UPDATE alembic_version SET version_num = '9999'",
                "DROP TABLE answer",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    con.execute(stmt)
        with pytest.raises(DatabaseError) as err:
            restore(home, archive, place=place)
        assert "所有者" in err.value.message_ja or "権限" in err.value.message_ja
        ws = open_workspace(home, place=place)
        assert inspection.detail(ws, iid).items[0].comment == "総務課" and verify_chain(ws).ok  # unchanged
        ws.close()
    finally:
        engines.drop_database(target)
        with engines.admin() as con:
            for role in (names["somu"], names["kikaku"], names["selfcheck_staff"]):
                con.execute(f"DROP ROLE IF EXISTS {role}")


def test_archives_restore_across_engines(demo_home: Path, empty_db: object, tmp_path: Path) -> None:
    lite_archive = _cli(demo_home, "backup", "-o", str(tmp_path / "lite.zip"), "--json")
    assert lite_archive.returncode == 0, lite_archive.stderr
    listing = _cli(demo_home, "inspection", "list").stdout
    server_home = tmp_path / "server"
    dbconfig.write_config(server_home, {"url": empty_db.url, "evidence_dir": str(tmp_path / "share")})  # type: ignore[attr-defined]
    # SQLite archive onto the (empty) server database
    r = _cli(server_home, "restore", str(tmp_path / "lite.zip"))
    assert r.returncode == 0, r.stderr
    assert _cli(server_home, "inspection", "list").stdout == listing
    assert _cli(server_home, "audit", "verify").returncode == 0
    # the server's archive into a fresh embedded data directory
    r = _cli(server_home, "backup", "-o", str(tmp_path / "server.zip"))
    assert r.returncode == 0, r.stderr
    back = tmp_path / "back"
    r = _cli(back, "restore", str(tmp_path / "server.zip"))
    assert r.returncode == 0, r.stderr
    assert _cli(back, "inspection", "list").stdout == listing
    v = _cli(back, "audit", "verify", "--json")
    assert v.returncode == 0 and json.loads(v.stdout)["checked"] >= 1000
    assert _cli(back, "verify", "--evidence", "2").returncode == 0

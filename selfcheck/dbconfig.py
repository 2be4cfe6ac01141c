"""Where one workspace's data lives: the data directory (keys, backups, logs, this PC's settings), the
database (the embedded SQLite file, or a PostgreSQL server) and the evidence store.

The database is chosen, first match wins, by `--db URL`, `$SELFCHECK_DB_URL`, or the setting written by
`selfcheck db use URL` into `database.json` in the data directory (outside the database: it says which
database to open). Without any of them it is the SQLite file in the data directory, as always. The word
`sqlite` (or `default`) instead of a URL chooses the embedded file explicitly.

The evidence store is `$SELFCHECK_EVIDENCE_DIR`, or the folder saved by `db use --evidence-dir`, or
`evidence/` in the data directory. With a server database it should be a folder every PC reaches (a
shared folder); `selfcheck paths` and `db status` say which one is used.

Passwords: never in the config file. A password given in a URL is used for that run only; `db use` puts
it into the OS credential store (keyring) and notes "keyring" in the config, or refuses when there is
no credential store. Without either, libpq reads the user's `.pgpass` (or `$PGPASSFILE`) itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from selfcheck import paths
from selfcheck.errors import DatabaseError
from selfcheck.models.target import SQLITE_WORDS, DbTarget, parse_url, sqlite_target

CONFIG_NAME = "database.json"
ENV_URL = "SELFCHECK_DB_URL"
ENV_EVIDENCE = "SELFCHECK_EVIDENCE_DIR"
KEYRING_SERVICE = "selfcheck-db"


@dataclass(frozen=True)
class Place:
    """The three locations of one workspace, and where the database choice came from
    (option | environment | config | default)."""

    home: Path
    db: DbTarget
    evidence: Path
    source: str = "default"

    @property
    def shared_evidence(self) -> bool:
        """True when the store is not the data directory's own `evidence/` (a shared folder): it is
        then left readable by the others who reach it, not made owner-only."""
        return self.evidence != paths.evidence_dir(self.home)


def config_path(home: Path) -> Path:
    return Path(home) / CONFIG_NAME


def read_config(home: Path) -> dict[str, Any]:
    path = config_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # no setting (or no data directory yet): the defaults
        return {}
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DatabaseError(
            f"データベースの設定ファイルを読めません（{exc}）。selfcheck db use でもう一度設定してください",
            f"cannot read the database setting ({exc}); set it again with selfcheck db use",
            where=str(path),
        ) from None
    if not isinstance(data, dict):
        raise DatabaseError(
            "データベースの設定ファイルの形式が違います。selfcheck db use でもう一度設定してください",
            "the database setting file is malformed; set it again with selfcheck db use",
            where=str(path),
        )
    return data


def write_config(home: Path, data: dict[str, Any]) -> Path:
    """Write the setting atomically (temporary name, fsync, rename), owner-only; {} removes it."""
    path = config_path(home)
    paths.ensure_private_dir(path.parent)
    if not data:
        path.unlink(missing_ok=True)
        return path
    tmp = path.with_name(f".{CONFIG_NAME}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def target_from(text: str, home: Path) -> DbTarget:
    """A URL, or `sqlite`/`default` for the embedded file in `home`."""
    if text.strip().lower() in SQLITE_WORDS:
        return sqlite_target(paths.db_path(home))
    return parse_url(text)


def resolve(home: Path, db: str | None = None) -> Place:
    """The place of the data directory `home` (see the module docstring for the order)."""
    config = read_config(home)
    env = os.environ.get(ENV_URL, "").strip()
    if db:
        target, source = target_from(db, home), "option"
    elif env:
        target, source = target_from(env, home), "environment"
    elif config.get("url"):
        target, source = target_from(str(config["url"]), home), "config"
    else:
        target, source = sqlite_target(paths.db_path(home)), "default"
    if target.is_postgres and target.password is None and _keyring_holds(config, target):
        target = target.with_password(keyring_password(target))
    evidence = os.environ.get(ENV_EVIDENCE, "").strip() or str(config.get("evidence_dir") or "")
    store = Path(evidence).expanduser() if evidence else paths.evidence_dir(home)
    return Place(home=home, db=target, evidence=store, source=source)


def _keyring_holds(config: dict[str, Any], target: DbTarget) -> bool:
    return config.get("password") == "keyring" and config.get("login") == target.key


def keyring_password(target: DbTarget, *, strict: bool = False) -> str | None:
    """The password saved by `db use` for this login, or None (then libpq tries .pgpass). `strict`:
    no credential store at all is an error (`db use` must not go on with a password it cannot keep)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, target.key)
    except (KeyringError, RuntimeError, OSError) as exc:
        if strict:
            raise no_keyring(target, exc) from None
        return None


def no_keyring(target: DbTarget, exc: BaseException) -> DatabaseError:
    return DatabaseError(
        "パスワードを安全に保存できる資格情報ストアがありません。URL からパスワードを外し、"
        ".pgpass（または PGPASSFILE が指すファイル）に書いてから、もう一度 selfcheck db use を実行してください。"
        "何も変更していません",
        "there is no secure credential store to keep the password; remove it from the URL, put it in "
        f"your .pgpass (or $PGPASSFILE) and run selfcheck db use again. Nothing was changed ({type(exc).__name__})",
        where=target.display,
    )


def store_password(target: DbTarget) -> None:
    """Put the URL's password into the OS credential store; refuse (one line, nothing written) where
    there is none: a password is never written anywhere in plain text."""
    import keyring
    from keyring.errors import KeyringError

    assert target.password is not None
    try:
        keyring.set_password(KEYRING_SERVICE, target.key, target.password)
    except (KeyringError, RuntimeError, OSError, EOFError) as exc:
        raise no_keyring(target, exc) from None


def config_for(place: Place, *, password_in_keyring: bool, evidence: Path | None) -> dict[str, Any]:
    """What `db use` writes: the URL without its password, and where the evidence store is."""
    data: dict[str, Any] = {"url": place.db.url}
    if password_in_keyring:
        data["password"] = "keyring"
        data["login"] = place.db.key
    if evidence is not None:
        data["evidence_dir"] = str(evidence)
    return data


def with_evidence(place: Place, evidence: Path | None) -> Place:
    return place if evidence is None else replace(place, evidence=evidence)

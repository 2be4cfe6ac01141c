"""PostgreSQL errors as the one line a user reads: a connection that fails (server down, wrong password,
unknown database or login, TLS), and errors met while working (lock timeout, permission, lost
connection, full disk, a read-only standby). The password never appears: every driver message goes
through `DbTarget.mask`."""

from __future__ import annotations

from selfcheck.errors import DatabaseError, DataInUseError
from selfcheck.models.target import DbTarget

RETRY_STATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None)
    return state if isinstance(state, str) else None


_CONNECT_MESSAGES = (
    (
        ("password authentication failed",),
        "パスワードが違います（ログイン {user}）",
        "wrong password for login {user}",
    ),
    (
        ("no password supplied",),
        "パスワードがありません。.pgpass（または PGPASSFILE）に書くか、selfcheck db use でキーリングに保存してください",
        "no password: put it in .pgpass (or PGPASSFILE), or store it in the keyring with selfcheck db use",
    ),
    (
        ("does not exist",),
        "ログインまたはデータベースがサーバーにありません（{detail}）",
        "the login or the database does not exist on the server ({detail})",
    ),
    (
        ("pg_hba.conf",),
        "サーバーがこの PC・このログインからの接続を許可していません（pg_hba.conf）",
        "the server does not accept this login from this PC (pg_hba.conf)",
    ),
    (
        ("ssl", "certificate"),
        "TLS（SSL）で接続できません（{detail}）。sslmode と sslrootcert を確かめてください",
        "cannot connect with TLS ({detail}); check sslmode and sslrootcert",
    ),
    (
        ("could not translate host name", "failed to resolve host", "name or service not known"),
        "サーバー名 {host} が見つかりません。URL を確かめてください",
        "server name {host} not found; check the URL",
    ),
    (
        ("connection refused", "timeout expired", "timed out", "could not connect", "no route to host"),
        "データベースサーバー {host} に接続できません。サーバーが動いているか、URL とポートを確かめてください",
        "cannot reach the database server {host}; check that it is running, and the URL and port",
    ),
)


def connect_error(exc: BaseException, target: DbTarget) -> DatabaseError:
    """One line for a failed connection (server down, wrong password, unknown database, TLS)."""
    raw = str(getattr(exc, "orig", None) or exc)
    detail = target.mask(" ".join(raw.split()))
    low = detail.lower()
    host = f"{target.host or 'localhost'}:{target.port or 5432}"
    for needles, ja, en in _CONNECT_MESSAGES:
        if any(n in low for n in needles):
            short = detail.split("failed:")[-1].strip()[:160]
            fill = {"user": target.user, "host": host, "detail": short}
            return DatabaseError(
                ja.format(**fill) + "。何も変更していません",
                en.format(**fill) + "; nothing was changed",
                where=target.display,
            )
    return DatabaseError(
        f"データベースサーバーに接続できません（{detail[:200]}）。何も変更していません",
        f"cannot connect to the database server ({detail[:200]}); nothing was changed",
        where=target.display,
    )


def translate(exc: BaseException, target: DbTarget) -> DatabaseError | None:
    """A server error met while working, as the one line the user sees; None when it has no special
    meaning (the caller words it generically)."""
    state = sqlstate(exc) or ""
    where = target.display
    if state == "55P03" or state in RETRY_STATES:
        return DataInUseError(
            "データは別の selfcheck が使用中です。しばらく待ってからやり直してください。",
            "the data is in use by another selfcheck process; wait a moment and try again",
            where=where,
        )
    if state == "42501":
        return DatabaseError(
            f"この操作の権限がありません（ログイン {target.user}）。管理者に権限を確かめてもらってください",
            f"login {target.user} has no permission for this; ask the administrator to check its grants",
            where=where,
        )
    if state == "53100":
        return DatabaseError(
            "データベースサーバーのディスクがいっぱいです。保存していません。管理者に連絡してください",
            "the database server's disk is full; nothing was saved. Contact the administrator",
            where=where,
        )
    if state == "25006":
        return DatabaseError(
            "データベースサーバーが読み取り専用です（待機系など）。変更は保存できません",
            "the database server is read-only (a standby?); changes cannot be saved",
            where=where,
        )
    if state.startswith("08") or state.startswith("57P") or _lost(exc):
        return DatabaseError(
            "データベースサーバーとの接続が切れました。直前の変更が保存されたか確かめて、やり直してください",
            "the connection to the database server was lost; check whether the last change was saved and "
            "try again",
            where=where,
        )
    return None


def _lost(exc: BaseException) -> bool:
    low = str(getattr(exc, "orig", None) or exc).lower()
    return any(
        n in low
        for n in (
            "server closed the connection",
            "connection is closed",
            "consuming input failed",
            "terminating",
        )
    )

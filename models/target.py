"""Which database a workspace uses: the embedded SQLite file (the default) or a PostgreSQL server named
by a URL, and how that URL is shown to people (password masked, always).

Parsed with `urllib.parse`, not SQLAlchemy's `make_url`: `selfcheck paths` and the error messages must
not pay for importing SQLAlchemy. The SQLAlchemy URL object is built only where an engine is made
(`sqlalchemy_url`).

Accepted: `postgresql+psycopg://user[:password]@host[:port]/dbname[?sslmode=…&sslrootcert=…]`, also
written `postgresql://` or `postgres://` (the driver is always psycopg 3). Query parameters are libpq
connection parameters and pass through unchanged (TLS: sslmode, sslrootcert, sslcert, sslkey, sslcrl);
a `password=` parameter is taken out of the query and treated like the password in the URL. Anything
else (another driver, MySQL, a file path, garbage) is refused with one line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from selfcheck.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

SCHEMES = {
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}
SQLITE_WORDS = ("sqlite", "default", "embedded")
_SECRET_PARAMS = ("password", "sslpassword")


@dataclass(frozen=True)
class DbTarget:
    """kind "sqlite" (path) or "postgresql" (host, port, user, dbname, query; password only in memory)."""

    kind: str
    path: Path | None = None
    host: str = ""
    port: int | None = None
    user: str = ""
    dbname: str = ""
    query: tuple[tuple[str, str], ...] = ()
    password: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgresql"

    @property
    def url(self) -> str:
        """The URL without any password: what is stored in the config file."""
        if not self.is_postgres:
            return f"sqlite:///{self.path}"
        return _render(self, None)

    @property
    def display(self) -> str:
        """For people and messages: the password (if any) as ***."""
        if not self.is_postgres:
            return str(self.path)
        return _render(self, "***" if self.password else None)

    @property
    def key(self) -> str:
        """user@host:port/dbname: the keyring entry of this login."""
        return f"{self.user}@{self.host or 'localhost'}:{self.port or 5432}/{self.dbname}"

    def with_password(self, password: str | None) -> DbTarget:
        return replace(self, password=password)

    def mask(self, text: str) -> str:
        """`text` with the password removed wherever it appears (driver messages, URLs)."""
        if self.password:
            for form in {self.password, quote(self.password, safe="")}:
                text = text.replace(form, "***")
        return text


def sqlite_target(path: Path) -> DbTarget:
    return DbTarget("sqlite", path=path)


def bad_url(text: str, why_ja: str, why_en: str) -> DatabaseError:
    return DatabaseError(
        f"データベースの URL が正しくありません（{why_ja}）。例: postgresql+psycopg://利用者@サーバー:5432/selfcheck",
        f"bad database URL ({why_en}); e.g. postgresql+psycopg://user@server:5432/selfcheck",
        where=_mask_raw(text),
    )


def parse_url(text: str) -> DbTarget:
    """A PostgreSQL URL as a DbTarget; DatabaseError (one line, password masked) when it is not one."""
    raw = text.strip()
    if "://" not in raw:
        raise bad_url(
            raw, "「postgresql+psycopg://」で始まっていません", "it does not start with postgresql+psycopg://"
        )
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        # not the parser's message: it quotes the part it could not read, which may be the password
        raise bad_url(
            raw,
            "ポート番号などが読めません。パスワードに使う記号は %xx で書いてください",
            "the port or the address cannot be read; write symbols in a password as %xx",
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise bad_url(
            raw,
            f"「{scheme}」は使えません。PostgreSQL（psycopg）だけです",
            f"'{scheme}' is not supported; only PostgreSQL with psycopg",
        )
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise bad_url(raw, "データベース名がありません", "no database name")
    query = []
    password = unquote(parts.password) if parts.password is not None else None
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k == "password":
            password = v
        else:
            query.append((k, v))
    host = unquote(parts.hostname or "")
    user = unquote(parts.username or "")
    if not user:
        raise bad_url(raw, "利用者名（ログイン名）がありません", "no user name")
    return DbTarget(
        "postgresql",
        host=host,
        port=port,
        user=user,
        dbname=dbname,
        query=tuple(query),
        password=password or None,
    )


def _render(t: DbTarget, password: str | None) -> str:
    auth = quote(t.user, safe="")
    if password is not None:
        auth += ":" + (password if password == "***" else quote(password, safe=""))
    host = t.host if ":" not in t.host else f"[{t.host}]"
    netloc = f"{auth}@{host}" + (f":{t.port}" if t.port else "")
    query = "?" + urlencode([(k, "***" if k in _SECRET_PARAMS else v) for k, v in t.query]) if t.query else ""
    return f"postgresql+psycopg://{netloc}/{quote(t.dbname, safe='')}{query}"


def _mask_raw(text: str) -> str:
    """Masking of a URL that may not parse: everything between the user name and the last "@" is
    taken for the password (a password with an unescaped "@" or "/" must not leak in pieces)."""
    head, sep, rest = text.strip().partition("://")
    if sep and "@" in rest:
        cred, _, host = rest.rpartition("@")
        user, colon, _ = cred.partition(":")
        if colon:
            text = f"{head}://{user}:***@{host}"
    base, sep, query = text.partition("?")
    if sep:
        masked = [
            (k, "***" if k in _SECRET_PARAMS else v) for k, v in parse_qsl(query, keep_blank_values=True)
        ]
        text = base + "?" + urlencode(masked)
    return text


def sqlalchemy_url(t: DbTarget) -> URL:
    """The SQLAlchemy URL (with the password, if one is known) for create_engine."""
    from sqlalchemy.engine import URL

    return URL.create(
        "postgresql+psycopg",
        username=t.user,
        password=t.password,
        host=t.host or None,
        port=t.port,
        database=t.dbname,
        query=dict(t.query),
    )

"""The options every signing command takes, added by one helper so they cannot drift apart.

`add_signing_options(parser)` gives a command `--sign` and `--passphrase-file FILE` with the same words
everywhere; `passphrase_for(args)` turns them into the `Passphrase` the core asks for (the file if given,
else the OS credential store, else a prompt on a terminal). `tests/cli` walks every command that has
`--sign` and checks it got all of them from here.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from selfcheck import inputs
from selfcheck.errors import PassphraseFileError, SigningError
from selfcheck.signing.keystore import Passphrase

SIGN_HELP = "電子署名する（署名用の鍵が必要: selfcheck keys init） / sign with the body's key"
PASSPHRASE_FILE_HELP = (
    "署名用の鍵のパスフレーズを書いたファイル（資格情報ストアがない PC や自動実行で使用） / "
    "file holding the signing key's passphrase (for PCs without a credential store, or scripts)"
)
SIGNING_OPTIONS = ("--sign", "--passphrase-file")


def add_signing_options(parser: argparse.ArgumentParser, *, sign_help: str = SIGN_HELP) -> None:
    """`--sign` (what signing does here may be said in `sign_help`) and `--passphrase-file`."""
    group = parser.add_argument_group("電子署名 / signing")
    group.add_argument("--sign", action="store_true", help=sign_help)
    group.add_argument("--passphrase-file", metavar="FILE", help=PASSPHRASE_FILE_HELP)


def passphrase_for(args: argparse.Namespace) -> Passphrase | None:
    """The passphrase source for a signing command, or None when it does not sign. A passphrase file
    without --sign is a mistake worth saying (the user thinks the report is signed)."""
    if not getattr(args, "sign", False):
        if getattr(args, "passphrase_file", None):
            raise PassphraseFileError(
                "--passphrase-file は --sign と一緒に指定してください（署名しない場合は不要です）",
                "--passphrase-file is only used with --sign",
            )
        return None
    return Passphrase(
        given=read_passphrase_file(args.passphrase_file),
        ask=tty_prompt("署名用の鍵のパスフレーズ", "signing key passphrase"),
    )


def read_passphrase_file(path: str | None) -> str | None:
    """The file's first line (trailing newline removed); None when no file was given. Read through
    `inputs` (a regular file of at most 64 KiB: never a FIFO or a device that would block)."""
    if path is None:
        return None
    try:
        text = inputs.read_text(Path(path), 64 * 1024, error=PassphraseFileError)
    except PassphraseFileError as exc:
        raise PassphraseFileError(
            f"パスフレーズファイルを読めません: {exc.message_ja}",
            f"cannot read the passphrase file: {exc.message_en}",
            where=path,
        ) from exc
    except UnicodeDecodeError:
        raise PassphraseFileError(
            "パスフレーズファイルを読めません（UTF-8 のテキストではありません）",
            "cannot read the passphrase file (not UTF-8 text)",
            where=path,
        ) from None
    secret = text.splitlines()[0] if text.splitlines() else ""
    if not secret:
        raise PassphraseFileError("パスフレーズファイルが空です", "the passphrase file is empty", where=path)
    return secret


def tty_prompt(label_ja: str, label_en: str, *, confirm: bool = False) -> Callable[[], str]:
    """A getpass prompt that refuses when stdin is not a terminal (scripts must use --passphrase-file)."""

    def ask() -> str:
        if not sys.stdin.isatty():
            raise SigningError(
                "この PC には資格情報ストアがなく、端末でもないためパスフレーズを入力できません。"
                "--passphrase-file でパスフレーズを書いたファイルを指定してください",
                "no secure credential store and no terminal to type the passphrase; give --passphrase-file",
                reason="no_store",
            )
        first = getpass.getpass(f"{label_ja} / {label_en}: ")
        if confirm and getpass.getpass("もう一度 / again: ") != first:
            raise SigningError(
                "パスフレーズが一致しません", "the passphrases do not match", reason="passphrase_mismatch"
            )
        return first

    return ask

"""The Windows branches that can be exercised here: the credential store (Windows Credential Locker is
accepted, plaintext and file-based keyrings are refused) and printing/opening through the shell's verbs
(`os.startfile(path, "print")`). The real Windows calls are not available on Linux; the tests give the
code a Windows view of the `os` module and a stand-in with the Credential Locker's class name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from selfcheck.errors import SelfcheckError
from selfcheck.signing import keystore, secret_store


def fake_backend(module: str, qualname: str, priority: float) -> Any:
    """An object that looks like keyring backend `module.qualname` (an in-memory store). Not a
    KeyringBackend subclass: those register themselves with keyring for the whole test session."""

    class Backend:
        def __init__(self) -> None:
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

    Backend.__module__ = module
    Backend.__qualname__ = Backend.__name__ = qualname
    Backend.priority = priority  # type: ignore[attr-defined]
    return Backend()


def win_vault() -> Any:
    return fake_backend("keyring.backends.Windows", "WinVaultKeyring", 5)


@pytest.fixture
def use_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import keyring

    def install(backend: Any) -> Any:
        monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
        return backend

    yield install


def test_the_real_credential_locker_class_is_not_considered_insecure() -> None:
    from keyring.backends.Windows import WinVaultKeyring  # importable on Linux; only usable on Windows

    assert not secret_store._insecure(WinVaultKeyring.__new__(WinVaultKeyring))


def test_windows_credential_locker_is_used(use_backend: Any) -> None:
    backend = use_backend(win_vault())
    assert secret_store.secure_backend() is backend


@pytest.mark.parametrize(
    ("module", "qualname"),
    [
        ("keyrings.alt.file", "PlaintextKeyring"),
        ("keyrings.alt.file", "EncryptedKeyring"),
        ("keyrings.cryptfile.cryptfile", "CryptFileKeyring"),
        ("keyring.backends.null", "Keyring"),
        ("keyring.backends.fail", "Keyring"),
        ("somevendor.backend", "PlainTextStore"),
    ],
)
def test_plaintext_and_file_keyrings_are_refused(use_backend: Any, module: str, qualname: str) -> None:
    use_backend(fake_backend(module, qualname, 10))
    assert secret_store.secure_backend() is None


def test_chainer_uses_the_credential_locker_directly(
    use_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends.chainer import ChainerBackend

    vault, plain = win_vault(), fake_backend("keyrings.alt.file", "PlaintextKeyring", 0.5)
    monkeypatch.setattr(ChainerBackend, "backends", [plain, vault])
    use_backend(ChainerBackend.__new__(ChainerBackend))
    assert secret_store.secure_backend() is vault


def test_chainer_topped_by_a_file_keyring_is_refused(
    use_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No silent fall-through: when the best backend is insecure, nothing is stored anywhere."""
    from keyring.backends.chainer import ChainerBackend

    crypt = fake_backend("keyrings.cryptfile.cryptfile", "CryptFileKeyring", 2.5)
    monkeypatch.setattr(ChainerBackend, "backends", [crypt, fake_backend("x.y", "Other", 1)])
    use_backend(ChainerBackend.__new__(ChainerBackend))
    assert secret_store.secure_backend() is None


def test_key_passphrase_round_trip_through_the_credential_locker(use_backend: Any, tmp_path: Path) -> None:
    """keys init stores the passphrase in the Credential Locker; signing later needs no prompt."""
    from selfcheck.workspace import open_workspace

    vault = use_backend(win_vault())
    ws = open_workspace(tmp_path / "home", actor="山田 花子")
    info, remembered = keystore.init_key(
        ws, org_id="shunan-eisei", name="山田 花子", role="総務課長", passphrase=keystore.Passphrase()
    )
    assert remembered and info.organization == "周南地区衛生施設組合"
    assert ("selfcheck", "signing-key:shunan-eisei") in vault.store
    assert keystore.can_unlock_without_asking(ws)
    key = keystore.unlock(ws, keystore.Passphrase())  # no given passphrase, no prompt
    assert key.cert.common_name == "山田 花子"
    secret = vault.store[("selfcheck", "signing-key:shunan-eisei")].encode()
    assert not [p for p in (tmp_path / "home").rglob("*") if p.is_file() and secret in p.read_bytes()]
    ws.close()


class Shell:
    """Records os.startfile calls (Windows' shell verbs)."""

    def __init__(self, fail: OSError | None = None) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.fail = fail

    def startfile(self, *args: str) -> None:
        self.calls.append(args)
        if self.fail:
            raise self.fail


def windows_os(monkeypatch: pytest.MonkeyPatch, shell: Shell) -> None:
    from selfcheck.report import output

    # os.name and sys.platform themselves cannot be patched (pathlib would start building WindowsPath
    # objects): give the module a Windows view of both
    monkeypatch.setattr(output, "os", SimpleNamespace(name="nt", startfile=shell.startfile))
    monkeypatch.setattr(output, "sys", SimpleNamespace(platform="win32"))


def test_print_on_windows_uses_the_print_verb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.report import output

    pdf = tmp_path / "報告 書.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    shell = Shell()
    windows_os(monkeypatch, shell)
    assert output.print_pdf(pdf) == "印刷を開始しました"
    assert output.open_in_viewer(pdf) == "PDF を開きました"
    assert shell.calls == [(str(pdf), "print"), (str(pdf),)]


def test_print_on_windows_without_a_pdf_app_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfcheck.report import output

    pdf = tmp_path / "報告書.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    windows_os(monkeypatch, Shell(fail=OSError(1155, "No application is associated")))
    with pytest.raises(SelfcheckError) as err:
        output.print_pdf(pdf)
    assert "印刷できません" in err.value.message_ja
    assert err.value.exit_code == 2

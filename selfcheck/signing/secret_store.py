"""The signing passphrase in the operating system's credential store, through `keyring`.

This is the only module that imports `keyring`. Windows Credential Manager (WinVaultKeyring), the macOS
Keychain and Secret Service are accepted; plaintext or file-based stores (keyrings.alt, cryptfile) and the
null/fail backends are refused, and the chosen backend is called directly so a chainer can never fall
through to a weaker one. Entries: service "selfcheck", user "signing-key:<body id>".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "selfcheck"
INSECURE_PREFIXES = ("keyrings.alt", "keyrings.cryptfile", "keyring.backends.null", "keyring.backends.fail")


def username(org_id: str) -> str:
    return f"signing-key:{org_id}"


def _insecure(backend: Any) -> bool:
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    return name.startswith(INSECURE_PREFIXES) or "plaintext" in name.lower()


def secure_backend() -> KeyringBackend | None:
    """The credential store to use, or None when only insecure or no backends exist. For a chainer we
    take its highest-priority backend and use it directly (no silent fall-through to a plaintext one)."""
    try:
        import keyring  # deferred: importing keyring probes backends (slow, and only needed for signing)
        from keyring.backends.chainer import ChainerBackend

        kr: KeyringBackend | None = keyring.get_keyring()
        if isinstance(kr, ChainerBackend):
            backends = sorted(kr.backends, key=lambda b: b.priority, reverse=True)
            kr = backends[0] if backends else None
    except Exception:  # a broken backend module must not stop the program: treat as "no store"
        return None
    if kr is None or _insecure(kr):
        return None
    return kr


def stored_secret(org_id: str) -> str | None:
    """The passphrase from the credential store, or None (no store, no entry, or the store failed)."""
    backend = secure_backend()
    if backend is None:
        return None
    try:
        secret = backend.get_password(SERVICE, username(org_id))
    except Exception:  # KeyringError, locked store, D-Bus gone: we will ask instead
        return None
    return str(secret) if secret is not None else None


def store_secret(org_id: str, secret: str) -> bool:
    backend = secure_backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, username(org_id), secret)
    except Exception:  # KeyringError etc.: the caller tells the user the passphrase is not remembered
        return False
    return True


def forget_secret(org_id: str) -> bool:
    """Remove the body's passphrase from the credential store (a key made with `remember=False` must not
    be unlocked with an older key's stored passphrase). True when an entry was removed."""
    backend = secure_backend()
    if backend is None:
        return False
    try:
        backend.delete_password(SERVICE, username(org_id))
    except Exception:  # PasswordDeleteError when there is none; a failing store: nothing to remove
        return False
    return True

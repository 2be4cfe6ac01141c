"""`keystore.init_key(remember=...)`: the clerk chooses on the key set-up screen whether the credential
store keeps the passphrase. Without it, signing asks every time, and a replaced key's stored passphrase
is removed so it can never be tried on the new key."""

from __future__ import annotations

import pytest

from selfcheck.errors import SigningError
from selfcheck.signing import keystore
from selfcheck.signing.secret_store import SERVICE, username
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"
SECRET = "合言葉は山と川"


def _init(ws: Workspace, *, remember: bool, given: str | None = SECRET, force: bool = False) -> bool:
    _info, remembered = keystore.init_key(
        ws,
        org_id=ORG,
        name="山田 花子",
        role="総務課長",
        passphrase=keystore.Passphrase(given=given),
        force=force,
        remember=remember,
    )
    return remembered


def test_remember_false_keeps_the_store_empty_and_signing_asks(ws: Workspace, mem_keyring: object) -> None:
    assert _init(ws, remember=False) is False
    assert mem_keyring.store == {}  # type: ignore[attr-defined]
    state = keystore.readiness(ws)
    assert (state.state, state.store) == ("ask", True)
    with pytest.raises(SigningError) as err:  # nothing stored and nobody to ask
        keystore.unlock(ws, keystore.Passphrase())
    assert err.value.reason == "no_store"
    assert keystore.unlock(ws, keystore.Passphrase(given=SECRET)).cert.common_name == "山田 花子"


def test_remember_true_stores_it_and_a_replacement_without_remember_removes_it(
    ws: Workspace, mem_keyring: object
) -> None:
    assert _init(ws, remember=True) is True
    store = mem_keyring.store  # type: ignore[attr-defined]
    assert store[(SERVICE, username(ORG))] == SECRET
    assert keystore.readiness(ws).state == "ready"
    assert _init(ws, remember=False, given="新しい合言葉です", force=True) is False
    assert (SERVICE, username(ORG)) not in store  # the old passphrase cannot be tried on the new key
    assert keystore.readiness(ws).state == "ask"
    keystore.unlock(ws, keystore.Passphrase(given="新しい合言葉です"))


def test_remember_false_needs_a_passphrase_from_the_person(ws: Workspace, mem_keyring: object) -> None:
    """With a store, `remember=True` may make a random passphrase; without remembering it that would
    lock the key for ever, so it is refused and no key is written."""
    with pytest.raises(SigningError) as err:
        _init(ws, remember=False, given=None)
    assert err.value.reason == "empty_passphrase"
    assert keystore.readiness(ws).state == "no_key"

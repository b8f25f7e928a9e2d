"""``panacead keys import-did-keystore`` and the Web3 v3 keystore reader (did-reference §7, §8 TestKeyStore_*)."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from Crypto.Cipher import AES

from panacea.cli.did_keystore import decrypt_keystore, keccak256
from panacea.cli.panacead import main
from panacea.client.keyring import Keyring
from panacea.crypto.did import did_for_key
from panacea.crypto.keys import PrivateKey

WEB3 = Path(__file__).parent / "testdata" / "did" / "web3.json"
# The PBKDF2 test vector of the Web3 Secret Storage Definition (the reference's TestKeyStore_DecryptWeb3 key).
WEB3_KEY = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"
FIXTURE_DID = "did:panacea:27FnaDeQZApXhsRZZDARhWYs2nKFaw3p7evGd9zUSrBZ"


def web3() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(WEB3.read_text())
    return doc


def keystore(secret: bytes, password: str, salt: bytes, iv: bytes, rounds: int = 2) -> dict[str, Any]:
    """A keystore made with pycryptodome's AES (the reader uses cryptography's)."""
    dk = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds, 32)
    ct = AES.new(dk[:16], AES.MODE_CTR, initial_value=iv, nonce=b"").encrypt(secret)
    return {"version": 3, "id": "x", "address": FIXTURE_DID + "#key2", "crypto": {
        "cipher": "aes-128-ctr", "ciphertext": ct.hex(), "cipherparams": {"iv": iv.hex()}, "kdf": "pbkdf2",
        "kdfparams": {"c": rounds, "dklen": 32, "prf": "hmac-sha256", "salt": salt.hex()},
        "mac": keccak256(dk[16:32] + ct).hex()}}


def test_keccak_is_the_legacy_one() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_decrypt_web3_vector() -> None:
    assert decrypt_keystore(web3(), "testpassword").hex() == WEB3_KEY


def test_decrypt_a_keystore_made_independently() -> None:
    secret = hashlib.sha256(b"keystore").digest()
    doc = keystore(secret, "mypassword1", salt=bytes(range(32)), iv=bytes(range(16)))
    assert decrypt_keystore(doc, "mypassword1") == secret
    with pytest.raises(ValueError) as e:
        decrypt_keystore(doc, "mypassword2")
    assert str(e.value) == "mac verification was failed. the password might be wrong."


@pytest.mark.parametrize(("path", "value", "text"), [
    (("version",), 4, "unsupported encryption version: 4"),
    (("crypto", "cipher"), "aes-128-cbc", "unsupported cipher algorithm: aes-128-cbc"),
    (("crypto", "kdf"), "scrypt", "unsupported kdf: scrypt"),
    (("crypto", "kdfparams", "prf"), "hmac-sha512", "unsupported pbkdf2 prf: hmac-sha512"),
    (("crypto", "mac"), "zz", "fail to decode mac: not hex"),
    (("crypto", "cipherparams", "iv"), "0g", "fail to decode iv: not hex"),
    (("crypto", "ciphertext"), 5, "fail to decode cipherText: not hex"),
    (("crypto", "kdfparams", "salt"), "x", "fail to decode salt: not hex"),
    (("crypto", "kdfparams", "c"), 10**9, "unsupported pbkdf2 params: c=1000000000, dklen=32"),
    (("crypto", "kdfparams", "dklen"), 16, "unsupported pbkdf2 params: c=262144, dklen=16"),
])
def test_decrypt_rejects(path: tuple[str, ...], value: object, text: str) -> None:
    doc = copy.deepcopy(web3())
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValueError) as e:
        decrypt_keystore(doc, "testpassword")
    assert str(e.value) == text


def test_import_into_the_keyring(tmp_path: Path) -> None:
    args = ["keys", "import-did-keystore", str(WEB3), "--home", str(tmp_path), "--keyring-backend", "test"]
    r = CliRunner().invoke(main, args, input="testpassword\n")
    assert r.exit_code == 0, r.output
    key = PrivateKey.from_hex(WEB3_KEY)
    out = json.loads(r.output[r.output.index("{"):])
    assert out == {"name": "27FnaDeQZApXhsRZZDARhWYs2nKFaw3p7evGd9zUSrBZ", "address": key.bech32(),
                   "did": did_for_key(key.public_key()), "keystore_address": FIXTURE_DID + "#key1"}
    assert Keyring(tmp_path, "test").private_key(out["name"]) == key
    again = CliRunner().invoke(main, [*args, "--name", "other"], input="testpassword\n")
    assert (again.exit_code, again.output.splitlines()[-1]) == (1, "Error: the same key is already stored as "
                                                                   "'27FnaDeQZApXhsRZZDARhWYs2nKFaw3p7evGd9zUSrBZ'")


def test_import_errors(tmp_path: Path) -> None:
    base = ["--home", str(tmp_path), "--keyring-backend", "test"]
    r = CliRunner().invoke(main, ["keys", "import-did-keystore", str(WEB3), *base], input="wrong\n")
    assert (r.exit_code, r.output.splitlines()[-1]) == (
        1, f"Error: {WEB3}: mac verification was failed. the password might be wrong.")
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({k: v for k, v in web3().items() if k != "address"}))
    r = CliRunner().invoke(main, ["keys", "import-did-keystore", str(plain), *base], input="testpassword\n")
    assert (r.exit_code, r.output.splitlines()[-1]) == (
        1, f"Error: {plain} names no verification method (address); pass --name")
    r = CliRunner().invoke(main, ["keys", "import-did-keystore", str(plain), "--name", "mine", *base],
                           input="testpassword\n")
    assert r.exit_code == 0, r.output
    assert not Keyring(tmp_path, "test").show("mine").hd_path

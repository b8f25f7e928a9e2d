"""``panacead keys import-did-keystore``: move a key of the reference CLI's DID keystore into the keyring
(did-reference §7 "Keystore": Web3 Secret Storage v3, PBKDF2-HMAC-SHA256, AES-128-CTR, legacy Keccak-256 MAC).

The reference saves each DID key as ``<home>/did_keystore/UTC--<time>--<vm-id>.json``; our CLI keeps DID keys in
the keyring instead, so a reference user imports each file once.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import click

from panacea.cli.common import keyring_options, open_keyring, print_json, read_json_file

VERSION = 3
CIPHER = "aes-128-ctr"
KDF = "pbkdf2"
PRF = "hmac-sha256"
MAX_ROUNDS = 10_000_000  # a file cannot make the import spin for hours (the reference writes 262144)


def _hex(value: Any, what: str) -> bytes:
    try:
        if isinstance(value, str):
            return bytes.fromhex(value)
    except ValueError:
        pass
    raise ValueError(f"fail to decode {what}: not hex")


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def keccak256(data: bytes) -> bytes:
    """The legacy Keccak-256 of Ethereum (not SHA3-256)."""
    from Crypto.Hash import keccak

    return keccak.new(data=data, digest_bits=256).digest()


def aes_ctr(key: bytes, iv: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(iv) != 16:
        raise ValueError("fail to decode iv: it must be 16 bytes")
    op = Cipher(algorithms.AES(key), modes.CTR(iv)).decryptor()
    return op.update(data) + op.finalize()


def decrypt_keystore(doc: Any, password: str) -> bytes:
    """The private key in a Web3 v3 keystore document (``decryptKey``: the reference's checks and texts)."""
    if _get(doc, "version") != VERSION:
        raise ValueError(f"unsupported encryption version: {_get(doc, 'version')}")
    crypto = _get(doc, "crypto")
    if _get(crypto, "cipher") != CIPHER:
        raise ValueError(f"unsupported cipher algorithm: {_get(crypto, 'cipher')}")
    if _get(crypto, "kdf") != KDF:
        raise ValueError(f"unsupported kdf: {_get(crypto, 'kdf')}")
    if _get(crypto, "kdfparams", "prf") != PRF:
        raise ValueError(f"unsupported pbkdf2 prf: {_get(crypto, 'kdfparams', 'prf')}")
    mac = _hex(_get(crypto, "mac"), "mac")
    iv = _hex(_get(crypto, "cipherparams", "iv"), "iv")
    ciphertext = _hex(_get(crypto, "ciphertext"), "cipherText")
    salt = _hex(_get(crypto, "kdfparams", "salt"), "salt")
    rounds, dklen = _get(crypto, "kdfparams", "c"), _get(crypto, "kdfparams", "dklen")
    if not (isinstance(rounds, int) and 0 < rounds <= MAX_ROUNDS and isinstance(dklen, int) and 32 <= dklen <= 64):
        raise ValueError(f"unsupported pbkdf2 params: c={rounds}, dklen={dklen}")
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds, dklen)
    if not hmac.compare_digest(keccak256(derived[16:32] + ciphertext), mac):
        raise ValueError("mac verification was failed. the password might be wrong.")
    return aes_ctr(derived[:16], iv, ciphertext)


@click.command("import-did-keystore", short_help="Import a reference DID keystore file.")
@click.argument("keystore_file")
@click.option("--name", help="keyring name [default: the DID of the keystore's address, without did:panacea:]")
@keyring_options
def import_did_keystore(keystore_file: str, name: str | None, home: str, keyring_backend: str) -> None:
    """Import the DID key in KEYSTORE_FILE (a did_keystore/UTC--…json file of the reference CLI) into the keyring,
    asking for the password it was encrypted with. Prints the key's name, address and DID."""
    from panacea.cli.did import parse_did
    from panacea.crypto.did import did_for_key
    from panacea.crypto.keys import PrivateKey

    doc = read_json_file(keystore_file)
    address = _get(doc, "address")
    if name is None:
        if not isinstance(address, str) or "#" not in address:
            raise click.ClickException(f"{keystore_file} names no verification method (address); pass --name")
        name = parse_did(address.split("#", 1)[0]).removeprefix("did:panacea:")
    password: str = click.prompt("Enter a password to decrypt your key for DID on disk", hide_input=True, err=True)
    try:
        secret = decrypt_keystore(doc, password)
    except ValueError as e:
        raise click.ClickException(f"{keystore_file}: {e}") from None
    if len(secret) != 32:
        raise click.ClickException(f"{keystore_file}: the key is {len(secret)} bytes, not 32")
    key = PrivateKey(secret)
    info = open_keyring(home, keyring_backend).import_private_key(name, key.to_hex())
    print_json({"name": info.name, "address": info.address, "did": did_for_key(key.public_key()),
                "keystore_address": address if isinstance(address, str) else ""})

"""Keyring: named secp256k1 keys stored as files in a node home.

Two backends, as in the Cosmos SDK CLI: ``file`` (default) seals each private key with a passphrase
(scrypt + AES-256-GCM), ``test`` stores it in the clear for tests and throwaway devnets.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from panacea.crypto import aes
from panacea.crypto.errors import CryptoError
from panacea.crypto.hd import derive_private_key, generate_mnemonic, validate_mnemonic
from panacea.crypto.keys import PrivateKey, PublicKey

BACKENDS = ("file", "test")
PASSPHRASE_ENV = "PANACEA_KEYRING_PASSPHRASE"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 1 << 15, 8, 1


class KeyringError(Exception):
    """A keyring operation failed; the message is one line for the CLI."""


@dataclass(frozen=True)
class KeyInfo:
    name: str
    address: str
    pubkey: PublicKey
    hd_path: str

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "type": "local",
            "address": self.address,
            "pubkey": json.dumps(
                {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": base64.b64encode(self.pubkey.compressed).decode()},
                separators=(",", ":"),
            ),
        }


@dataclass(frozen=True)
class NewKey:
    info: KeyInfo
    mnemonic: str


def _seal(secret: bytes, passphrase: str) -> dict[str, str]:
    salt = os.urandom(16)
    key = hashlib.scrypt(
        passphrase.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, maxmem=64 << 20, dklen=32
    )
    return {"kdf": "scrypt", "salt": salt.hex(), "sealed": aes.encrypt(key, secret).hex()}


def _unseal(record: dict[str, str], passphrase: str) -> bytes:
    key = hashlib.scrypt(
        passphrase.encode(),
        salt=bytes.fromhex(record["salt"]),
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        maxmem=64 << 20,
        dklen=32,
    )
    try:
        return aes.decrypt(key, bytes.fromhex(record["sealed"]))
    except CryptoError:
        raise KeyringError("incorrect passphrase") from None


class Keyring:
    """Keys of one home directory and backend; ``passphrase`` is asked lazily (file backend only)."""

    def __init__(
        self, home: str | Path, backend: str = "file", passphrase: Callable[[bool], str] | None = None
    ) -> None:
        if backend not in BACKENDS:
            raise KeyringError(f"unknown keyring backend {backend!r} (expected one of: {', '.join(BACKENDS)})")
        self.backend = backend
        self.dir = Path(home) / f"keyring-{backend}"
        self._passphrase = passphrase

    def _ask(self, new: bool) -> str:
        env = os.environ.get(PASSPHRASE_ENV)
        if env is not None:
            return env
        if self._passphrase is None:
            raise KeyringError(f"the file keyring needs a passphrase: set {PASSPHRASE_ENV}")
        return self._passphrase(new)

    def _path(self, name: str) -> Path:
        if not _NAME_RE.match(name):
            raise KeyringError(f"invalid key name {name!r}: use letters, digits, '_', '.', '-' (max 64)")
        return self.dir / f"{name}.json"

    def _write(self, name: str, priv: PrivateKey, hd_path: str) -> KeyInfo:
        path = self._path(name)
        if path.exists():
            raise KeyringError(f"key {name!r} already exists")
        pub = priv.public_key()
        info = KeyInfo(name=name, address=pub.bech32(), pubkey=pub, hd_path=hd_path)
        for other in self.list():
            if other.address == info.address:
                raise KeyringError(f"the same key is already stored as {other.name!r}")
        record: dict[str, object] = {
            "name": name,
            "address": info.address,
            "pubkey": base64.b64encode(pub.compressed).decode(),
            "hd_path": hd_path,
        }
        if self.backend == "test":
            record["privkey_hex"] = priv.to_hex()
        else:
            record["privkey"] = _seal(priv.secret, self._ask(True))
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
        return info

    def _read(self, name: str) -> dict[str, object]:
        path = self._path(name)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise KeyringError(f"key {name!r} not found in the {self.backend} keyring ({self.dir})") from None
        except (OSError, ValueError) as e:
            raise KeyringError(f"key {name!r} is unreadable: {e}") from None
        if not isinstance(data, dict):
            raise KeyringError(f"key {name!r} is unreadable: not a JSON object")
        return data

    def add(self, name: str, *, account: int = 0, index: int = 0, words: int = 24) -> NewKey:
        mnemonic = generate_mnemonic(words)
        return NewKey(info=self.recover(name, mnemonic, account=account, index=index), mnemonic=mnemonic)

    def recover(self, name: str, mnemonic: str, *, account: int = 0, index: int = 0) -> KeyInfo:
        mnemonic = " ".join(mnemonic.split())
        validate_mnemonic(mnemonic)
        priv = derive_private_key(mnemonic, account=account, index=index)
        return self._write(name, priv, f"m/44'/371'/{account}'/0/{index}")

    def import_private_key(self, name: str, private_key_hex: str) -> KeyInfo:
        return self._write(name, PrivateKey.from_hex(private_key_hex.strip()), "")

    def show(self, name: str) -> KeyInfo:
        data = self._read(name)
        return KeyInfo(
            name=name,
            address=str(data["address"]),
            pubkey=PublicKey.from_bytes(base64.b64decode(str(data["pubkey"]))),
            hd_path=str(data.get("hd_path", "")),
        )

    def find(self, name_or_address: str) -> KeyInfo:
        """Accept a key name or one of the stored addresses (as ``--from`` does)."""
        if name_or_address.startswith("panacea1"):
            for info in self.list():
                if info.address == name_or_address:
                    return info
            raise KeyringError(f"no key with address {name_or_address} in the {self.backend} keyring")
        return self.show(name_or_address)

    def private_key(self, name_or_address: str) -> PrivateKey:
        name = self.find(name_or_address).name
        data = self._read(name)
        if "privkey_hex" in data:
            return PrivateKey.from_hex(str(data["privkey_hex"]))
        sealed = data.get("privkey")
        if not isinstance(sealed, dict):
            raise KeyringError(f"key {name!r} holds no private key")
        return PrivateKey(_unseal(sealed, self._ask(False)))

    def list(self) -> list[KeyInfo]:
        if not self.dir.is_dir():
            return []
        return [self.show(p.stem) for p in sorted(self.dir.glob("*.json"))]

    def delete(self, name: str) -> None:
        path = self._path(name)
        if not path.exists():
            raise KeyringError(f"key {name!r} not found in the {self.backend} keyring ({self.dir})")
        path.unlink()

"""secp256k1 key values; parsing follows btcec v1 (chain-reference §2.7)."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from functools import lru_cache

import coincurve

from panacea.crypto.address import ACC_HRP, account_address, bech32_encode
from panacea.crypto.errors import CryptoError

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
SECP256K1_HALF_N = SECP256K1_N // 2


@lru_cache(maxsize=4096)
def cc_public(compressed: bytes) -> coincurve.PublicKey:
    """Cached libsecp256k1 object for a validated compressed key (verification hot path)."""
    return coincurve.PublicKey(compressed)


@lru_cache(maxsize=1024)
def cc_private(secret: bytes) -> coincurve.PrivateKey:
    return coincurve.PrivateKey(secret)


@dataclass(frozen=True)
class PublicKey:
    """A secp256k1 point, kept in its 33-byte compressed form."""

    compressed: bytes

    def __post_init__(self) -> None:
        if len(self.compressed) != 33 or self.compressed[0] not in (2, 3):
            raise CryptoError("invalid secp256k1 public key")

    @classmethod
    def from_bytes(cls, b: bytes) -> PublicKey:
        """Accept compressed (33), uncompressed and hybrid (65) encodings like btcec v1 ParsePubKey."""
        return cls(_normalise_public(bytes(b)))

    @classmethod
    def from_base64(cls, s: str) -> PublicKey:
        try:
            raw = base64.b64decode(s, validate=True)
        except binascii.Error as e:
            raise CryptoError(f"invalid secp256k1 public key: illegal base64 data: {e}") from None
        return cls.from_bytes(raw)

    def uncompressed(self) -> bytes:
        return bytes(cc_public(self.compressed).format(compressed=False))

    def to_base64(self) -> str:
        return base64.b64encode(self.compressed).decode()

    def address(self) -> bytes:
        return account_address(self.compressed)

    def bech32(self, hrp: str = ACC_HRP) -> str:
        return bech32_encode(hrp, self.address())


@lru_cache(maxsize=4096)
def _normalise_public(b: bytes) -> bytes:
    if len(b) == 33 and b[0] in (2, 3):
        candidate = b
    elif len(b) == 65 and (b[0] & 0xFE) in (4, 6):
        # btcec v1 masks the low bit of the format byte: 0x05 parses as uncompressed,
        # 0x06/0x07 are hybrid and the low bit must match the parity of Y.
        if (b[0] & 0xFE) == 6 and (b[0] & 1) != (b[64] & 1):
            raise CryptoError("invalid secp256k1 public key")
        candidate = b"\x04" + b[1:]
    else:
        raise CryptoError("invalid secp256k1 public key")
    try:
        return bytes(coincurve.PublicKey(candidate).format(compressed=True))
    except (ValueError, TypeError):
        raise CryptoError("invalid secp256k1 public key") from None


@dataclass(frozen=True)
class PrivateKey:
    """A 32-byte secp256k1 scalar in [1, N-1]."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != 32:
            raise CryptoError(f"invalid secp256k1 private key: length {len(self.secret)}, need 32 bytes")
        d = int.from_bytes(self.secret, "big")
        if d == 0:
            raise CryptoError("invalid secp256k1 private key: zero scalar")
        if d >= SECP256K1_N:
            raise CryptoError("invalid secp256k1 private key: scalar not below the curve order")

    @classmethod
    def generate(cls) -> PrivateKey:
        while True:
            secret = os.urandom(32)
            if 0 < int.from_bytes(secret, "big") < SECP256K1_N:
                return cls(secret)

    @classmethod
    def from_hex(cls, s: str) -> PrivateKey:
        try:
            raw = bytes.fromhex(s.strip())
        except ValueError:
            raise CryptoError("invalid secp256k1 private key: not hex") from None
        return cls(raw)

    def to_hex(self) -> str:
        return self.secret.hex()

    def public_key(self) -> PublicKey:
        return PublicKey(_public_of(self.secret))

    def address(self) -> bytes:
        return account_address(_public_of(self.secret))

    def bech32(self, hrp: str = ACC_HRP) -> str:
        return bech32_encode(hrp, self.address())

    def __repr__(self) -> str:
        return "PrivateKey(<redacted>)"


@lru_cache(maxsize=1024)
def _public_of(secret: bytes) -> bytes:
    return bytes(cc_private(secret).public_key.format(compressed=True))


def as_private(key: PrivateKey | bytes) -> PrivateKey:
    return key if isinstance(key, PrivateKey) else PrivateKey(bytes(key))


def as_public(key: PublicKey | bytes) -> PublicKey:
    return key if isinstance(key, PublicKey) else PublicKey.from_bytes(bytes(key))

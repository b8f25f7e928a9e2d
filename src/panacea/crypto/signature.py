"""ECDSA signatures: oracle certificates (DER, chain-reference §2.7) and Cosmos tx signatures (64-byte)."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Final

import coincurve
from coincurve._libsecp256k1 import ffi as _ffi
from coincurve._libsecp256k1 import lib as _lib

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import (
    SECP256K1_HALF_N,
    SECP256K1_N,
    PrivateKey,
    PublicKey,
    as_private,
    as_public,
    cc_private,
)
from panacea.types.memo import remember


class SignatureMode(StrEnum):
    """How a certificate message becomes the ECDSA digest."""

    LEGACY = "legacy"  # reference: first 32 bytes of the message, unhashed (REF flaw, §2.7)
    SHA256 = "sha256"


def digest_for(message: bytes, mode: SignatureMode | str) -> bytes:
    """LEGACY mirrors Go hashToInt: keep message[:32]; a shorter message is its big-endian int value."""
    if mode is not SignatureMode.SHA256 and SignatureMode(mode) is SignatureMode.LEGACY:  # no lookup for sha256
        return message[:32].rjust(32, b"\x00")
    return hashlib.sha256(message).digest()


def parse_der_lenient(sig: bytes) -> tuple[int, int]:
    """Parse ``0x30 len 0x02 rlen R 0x02 slen S`` the way btcec v1 ParseSignature (BER mode) does."""
    if len(sig) < 8:
        raise CryptoError("malformed signature: too short")
    if sig[0] != 0x30:
        raise CryptoError("malformed signature: no header magic")
    seq_len = sig[1]
    # Go computes siglen+2 in a byte, so 254 and 255 wrap below the 8-byte minimum.
    if (seq_len + 2) % 256 < 8 or seq_len + 2 > len(sig):
        raise CryptoError("malformed signature: bad length")
    body = sig[2 : 2 + seq_len]  # bytes after the declared SEQUENCE length are ignored
    r, rest = _read_integer(body, "R")
    s, rest = _read_integer(rest, "S")
    if rest:
        raise CryptoError("malformed signature: bad final length")
    for name, value in (("R", r), ("S", s)):
        if value < 1:
            raise CryptoError(f"malformed signature: {name} is zero or negative")
        if value >= SECP256K1_N:
            raise CryptoError(f"malformed signature: {name} is >= curve order")
    return r, s


def _read_integer(buf: bytes, name: str) -> tuple[int, bytes]:
    if len(buf) < 2 or buf[0] != 0x02:
        raise CryptoError(f"malformed signature: no {name} integer marker")
    length = buf[1]
    if length == 0 or length + 2 > len(buf):
        raise CryptoError(f"malformed signature: bogus {name} length")
    # No minimal-encoding check; the sign bit is taken as-is (btcec v1 uses big.Int.SetBytes).
    return int.from_bytes(buf[2 : 2 + length], "big"), buf[2 + length :]


def _der_integer(v: int) -> bytes:
    raw = v.to_bytes((v.bit_length() + 8) // 8, "big")  # one spare bit keeps the sign positive
    raw = raw.lstrip(b"\x00")
    if raw[0] & 0x80:
        raw = b"\x00" + raw
    return b"\x02" + bytes([len(raw)]) + raw


def encode_der(r: int, s: int) -> bytes:
    """Canonical DER for (r, s)."""
    body = _der_integer(r) + _der_integer(s)
    return b"\x30" + bytes([len(body)]) + body


def verify_digest(pub: PublicKey | bytes, digest: bytes, r: int, s: int) -> bool:
    """Verify (r, s) over a 32-byte digest, accepting high-S like Go ecdsa.Verify."""
    if s > SECP256K1_HALF_N:
        s = SECP256K1_N - s  # libsecp256k1 only accepts low-S
    key = _cc_key(pub)
    if 0 < r < SECP256K1_N and 0 < s < SECP256K1_N and len(digest) == 32:
        return _verify_compact(key, r.to_bytes(32, "big") + s.to_bytes(32, "big"), digest)
    return bool(key.verify(encode_der(r, s), digest, hasher=None))


_KEYS_MAX: Final = 1 << 14
_cc_keys: Final[dict[bytes, coincurve.PublicKey]] = {}  # parsed keys (a plain dict: the hot path)


def _cc_key(pub: PublicKey | bytes) -> coincurve.PublicKey:
    compressed = pub if isinstance(pub, bytes) and len(pub) == 33 else as_public(pub).compressed
    key = _cc_keys.get(compressed)
    if key is None:
        try:
            key = coincurve.PublicKey(compressed)  # validated by libsecp256k1
        except ValueError:
            raise CryptoError("invalid secp256k1 public key") from None
        remember(_cc_keys, compressed, key, _KEYS_MAX)
    return key


def _verify_compact(key: coincurve.PublicKey, sig64: bytes, digest: bytes) -> bool:
    """``key.verify(encode_der(r, s), digest, hasher=None)`` for ``sig64 = R‖S`` with R and S in [1, N-1]:
    the same libsecp256k1 signature, parsed from its compact form instead of a DER round trip."""
    sig = _ffi.new("secp256k1_ecdsa_signature *")
    if not _lib.secp256k1_ecdsa_signature_parse_compact(key.context.ctx, sig, sig64):
        return False  # unreachable for R, S < N
    return bool(_lib.secp256k1_ecdsa_verify(key.context.ctx, sig, digest, key.public_key))


def sign_message(priv: PrivateKey | bytes, message: bytes, mode: SignatureMode) -> bytes:
    """DER signature, RFC 6979 deterministic and low-S (btcec ``Sign`` + ``Serialize``)."""
    return bytes(cc_private(as_private(priv).secret).sign(digest_for(message, mode), hasher=None))


def verify_message(pub: PublicKey | bytes, message: bytes, signature_der: bytes, mode: SignatureMode) -> bool:
    """Certificate/approval signature check; malformed signatures and keys give False."""
    try:
        r, s = parse_der_lenient(signature_der)
    except CryptoError:
        return False
    return verify_message_rs(pub, message, r, s, mode)


def verify_message_rs(pub: PublicKey | bytes, message: bytes, r: int, s: int, mode: SignatureMode) -> bool:
    """``verify_message`` for a signature the caller already parsed with ``parse_der_lenient``."""
    try:
        return verify_digest(pub, digest_for(message, mode), r, s)
    except CryptoError:
        return False


def sign_tx_bytes(priv: PrivateKey | bytes, sign_bytes: bytes) -> bytes:
    """Cosmos secp256k1 tx signature: compact R‖S over SHA256(sign_bytes), low-S."""
    der = cc_private(as_private(priv).secret).sign(hashlib.sha256(sign_bytes).digest(), hasher=None)
    r, s = parse_der_lenient(bytes(der))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_tx_bytes(pub: PublicKey | bytes, sign_bytes: bytes, sig64: bytes) -> bool:
    """Cosmos ``VerifySignature``: exactly 64 bytes, high-S rejected, R and S in [1, N-1]."""
    if len(sig64) != 64:
        return False
    r = int.from_bytes(sig64[:32], "big")
    s = int.from_bytes(sig64[32:], "big")
    if not (0 < r < SECP256K1_N and 0 < s <= SECP256K1_HALF_N):
        return False
    try:
        return _verify_compact(_cc_key(pub), sig64, hashlib.sha256(sign_bytes).digest())  # R, S checked above
    except CryptoError:
        return False

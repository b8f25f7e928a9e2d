"""ECDH shared key compatible with btcec v1 GenerateSharedSecret + SHA-256 (chain-reference §4.1)."""

from __future__ import annotations

import hashlib

from panacea.crypto.keys import PrivateKey, PublicKey, as_private, as_public, cc_public


def shared_point_x(priv: PrivateKey | bytes, pub: PublicKey | bytes) -> bytes:
    """The 32-byte big-endian x-coordinate of priv·Pub (not hashed, zero-padded)."""
    point = cc_public(as_public(pub).compressed).multiply(as_private(priv).secret)
    return bytes(point.format(compressed=True)[1:])


def shared_key(priv: PrivateKey | bytes, pub: PublicKey | bytes) -> bytes:
    """SHA256(x) with x's leading zero bytes stripped, as Go's big.Int.Bytes() does.

    Not coincurve's ``ecdh()``, which hashes the compressed point (dependencies.md §2).
    """
    return hashlib.sha256(shared_point_x(priv, pub).lstrip(b"\x00")).digest()

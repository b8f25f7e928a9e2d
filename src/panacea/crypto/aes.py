"""AES-256-GCM container ``nonce(12) ‖ ciphertext ‖ tag(16)`` (chain-reference §4.2)."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from panacea.crypto.errors import CryptoError

NONCE_SIZE = 12
TAG_SIZE = 16
KEY_SIZE = 32


def _cipher(key: bytes) -> AESGCM:
    if len(key) != KEY_SIZE:
        raise CryptoError(f"secret key is not for AES-256: total {len(key) * 8} bits")
    return AESGCM(key)


def encrypt(key: bytes, plaintext: bytes, aad: bytes | None = None, *, nonce: bytes | None = None) -> bytes:
    """Encrypt with a random nonce unless one is given (tests only)."""
    cipher = _cipher(bytes(key))
    if nonce is None:
        nonce = os.urandom(NONCE_SIZE)
    elif len(nonce) != NONCE_SIZE:
        raise CryptoError(f"invalid nonce length: {len(nonce)} bytes (need {NONCE_SIZE})")
    return nonce + cipher.encrypt(nonce, plaintext, aad)


def encrypt_deterministic(key: bytes, plaintext: bytes) -> bytes:
    """Encrypt with a synthetic nonce, HMAC-SHA256(nonce key, plaintext)[:12] (the nonce key is derived from
    ``key``, never ``key`` itself): the same plaintext under the same key gives the same container, so a
    resubmitted datum uploads the very same object (idempotent); different plaintexts get different nonces,
    never a reused one. It reveals only whether two plaintexts under one key are equal."""
    nonce_key = hashlib.sha256(b"panacea/aes-gcm-synthetic-nonce\x00" + bytes(key)).digest()
    nonce = hmac.new(nonce_key, plaintext, hashlib.sha256).digest()[:NONCE_SIZE]
    return encrypt(key, plaintext, nonce=nonce)


def decrypt(key: bytes, container: bytes, aad: bytes | None = None) -> bytes:
    cipher = _cipher(bytes(key))
    if len(container) < NONCE_SIZE + TAG_SIZE:
        raise CryptoError(
            f"ciphertext too short: {len(container)} bytes (need at least {NONCE_SIZE + TAG_SIZE})"
        )
    try:
        return cipher.decrypt(container[:NONCE_SIZE], container[NONCE_SIZE:], aad)
    except InvalidTag:
        raise CryptoError("failed to decrypt: message authentication failed") from None

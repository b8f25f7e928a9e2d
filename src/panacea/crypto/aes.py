"""AES-256-GCM container ``nonce(12) ‖ ciphertext ‖ tag(16)`` (chain-reference §4.2)."""

from __future__ import annotations

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

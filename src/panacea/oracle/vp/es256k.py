"""ES256K signature checks shared by Data Integrity and JWT proofs.

Low-S only: a high-S twin of a valid signature is rejected. The reference accepts it (did-reference §9.5),
but a malleable signature would let one presentation take two data hashes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Final

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import SECP256K1_HALF_N, SECP256K1_N
from panacea.crypto.signature import verify_digest
from panacea.oracle.vp.errors import VPValidationError

_B64URL: Final = re.compile(r"[A-Za-z0-9_-]*")


def b64url_decode(part: str, what: str) -> bytes:
    """Unpadded base64url, strictly (one encoding per value)."""
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise VPValidationError(f"{what}: invalid base64url")
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise VPValidationError(f"{what}: invalid base64url") from None
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != part:
        raise VPValidationError(f"{what}: invalid base64url")
    return raw


def verify_es256k(public_key: bytes, signing_input: bytes, signature: bytes, what: str) -> None:
    """R‖S (64 bytes, low S) over SHA-256 of the signing input, or an error naming the proof."""
    if len(signature) != 64:
        raise VPValidationError(f"{what}: signature must be 64 bytes, got {len(signature)}")
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < SECP256K1_N and 0 < s < SECP256K1_N):
        raise VPValidationError(f"{what}: signature is invalid")
    if s > SECP256K1_HALF_N:
        raise VPValidationError(f"{what}: signature is not in low-S form")
    try:
        ok = verify_digest(public_key, hashlib.sha256(signing_input).digest(), r, s)
    except CryptoError:
        ok = False
    if not ok:
        raise VPValidationError(f"{what}: signature does not verify")

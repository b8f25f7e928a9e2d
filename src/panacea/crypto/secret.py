"""Consumer secret key and ECDH+AES convenience wrappers (chain-reference §4.4, oracle-reference §2.1)."""

from __future__ import annotations

import hashlib

from panacea.crypto import aes
from panacea.crypto.ecdh import shared_key
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PrivateKey, PublicKey, as_private


def consumer_secret_key(oracle_priv: PrivateKey | bytes, deal_id: int, data_hash_hex: str) -> bytes:
    """SHA256(oracle_priv32 ‖ BE64(deal_id) ‖ data_hash raw 32 bytes)."""
    try:
        data_hash = bytes.fromhex(data_hash_hex)
    except ValueError:
        raise CryptoError(f"failed to decode dataHash({data_hash_hex}): not hex") from None
    if len(data_hash) != 32:
        raise CryptoError(f"failed to decode dataHash({data_hash_hex}): {len(data_hash)} bytes, need 32")
    if not 0 <= deal_id < 1 << 64:
        raise CryptoError(f"invalid deal id: {deal_id}")
    priv = as_private(oracle_priv).secret
    return hashlib.sha256(priv + deal_id.to_bytes(8, "big") + data_hash).digest()


def encrypt_for(priv: PrivateKey | bytes, peer_pub: PublicKey | bytes, plaintext: bytes) -> bytes:
    """AES-GCM under SHA256(ECDH(priv, peer_pub)), random nonce, no AAD."""
    return aes.encrypt(shared_key(priv, peer_pub), plaintext)


def decrypt_from(priv: PrivateKey | bytes, peer_pub: PublicKey | bytes, container: bytes) -> bytes:
    return aes.decrypt(shared_key(priv, peer_pub), container)

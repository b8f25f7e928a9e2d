"""Bech32 addresses with Panacea prefixes (chain-reference §0, §1)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Final

from panacea.crypto.errors import CryptoError
from panacea.types.memo import remember

ACC_HRP: Final = "panacea"
ACC_PUB_HRP: Final = "panaceapub"
VALOPER_HRP: Final = "panaceavaloper"
VALOPER_PUB_HRP: Final = "panaceavaloperpub"
VALCONS_HRP: Final = "panaceavalcons"
VALCONS_PUB_HRP: Final = "panaceavalconspub"

MAX_ADDRESS_LENGTH: Final = 255
# Cosmos decodes with a 1023-character limit rather than BIP-173's 90.
_MAX_BECH32_LENGTH: Final = 1023
_CHARSET: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_REV: Final = {c: i for i, c in enumerate(_CHARSET)}
_GEN: Final = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _gen_table() -> tuple[int, ...]:
    table = []
    for top in range(32):
        x = 0
        for i in range(5):
            if (top >> i) & 1:
                x ^= _GEN[i]
        table.append(x)
    return tuple(table)


_GEN_TABLE: Final = _gen_table()  # XOR of the generator words selected by the 5 top bits, precomputed


def _polymod(values: list[int]) -> int:
    chk = 1
    table = _GEN_TABLE
    for v in values:
        chk = ((chk & 0x1FFFFFF) << 5) ^ v ^ table[chk >> 25]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & maxv)
    elif bits >= from_bits or (acc << (to_bits - bits)) & maxv:
        raise CryptoError("decoding bech32 failed: invalid incomplete group")
    return out


_CACHE_MAX: Final = 1 << 16
# Account addresses recur constantly (every tx encodes and decodes the same few): memoised in plain
# dicts (cheaper to consult than an lru_cache, and no GC-tracked entries), emptied when full. Only
# successes are kept; other prefixes are not cached.
_acc_encoded: Final[dict[bytes, str]] = {}
_acc_decoded: Final[dict[str, bytes]] = {}


def bech32_encode(hrp: str, data: bytes) -> str:
    """Encode raw bytes as bech32 (BIP-173 checksum) under ``hrp``."""
    if hrp != ACC_HRP:
        return _encode(hrp, data)
    text = _acc_encoded.get(data)
    if text is None:
        text = remember(_acc_encoded, data, _encode(hrp, data), _CACHE_MAX)
    return text


def _encode(hrp: str, data: bytes) -> str:
    values = _convert_bits(data, 8, 5, True)
    polymod = _polymod([*_hrp_expand(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[v] for v in values + checksum)


def _decode_raw(bech: str) -> tuple[str, list[int]]:
    """Port of btcutil bech32.Decode; messages keep btcutil's wording."""
    if len(bech) < 8 or len(bech) > _MAX_BECH32_LENGTH:
        raise CryptoError(f"decoding bech32 failed: invalid bech32 string length {len(bech)}")
    for ch in bech:
        if ord(ch) < 33 or ord(ch) > 126:
            raise CryptoError(f"decoding bech32 failed: invalid character in string: {ch!r}")
    lower = bech.lower()
    if bech != lower and bech != bech.upper():
        raise CryptoError("decoding bech32 failed: string not all lowercase or all uppercase")
    one = lower.rfind("1")
    if one < 1 or one + 7 > len(lower):
        raise CryptoError(f"decoding bech32 failed: invalid separator index {one}")
    hrp = lower[:one]
    values: list[int] = []
    for ch in lower[one + 1 :]:
        v = _CHARSET_REV.get(ch)
        if v is None:
            raise CryptoError(f"decoding bech32 failed: invalid character not part of charset: {ord(ch)}")
        values.append(v)
    if _polymod([*_hrp_expand(hrp), *values]) != 1:
        raise CryptoError("decoding bech32 failed: invalid checksum")
    return hrp, values[:-6]


def bech32_decode(addr: str, hrp: str = ACC_HRP) -> bytes:
    """Decode like Cosmos ``GetFromBech32`` + ``VerifyAddressFormat`` (length 20 is not enforced)."""
    if hrp != ACC_HRP:
        return _decode(addr, hrp)
    data = _acc_decoded.get(addr)
    if data is None:
        data = remember(_acc_decoded, addr, _decode(addr, hrp), _CACHE_MAX)
    return data


def _decode(addr: str, hrp: str) -> bytes:
    if not addr.strip():
        raise CryptoError("empty address string is not allowed")
    got_hrp, values = _decode_raw(addr)
    data = bytes(_convert_bits(values, 5, 8, False))
    if got_hrp != hrp:
        raise CryptoError(f"invalid Bech32 prefix; expected {hrp}, got {got_hrp}")
    if len(data) == 0 or len(data) > MAX_ADDRESS_LENGTH:
        raise CryptoError("invalid address length")
    return data


def is_valid_address(addr: str, hrp: str = ACC_HRP) -> bool:
    """True when ``addr`` decodes under ``hrp``."""
    try:
        bech32_decode(addr, hrp)
    except CryptoError:
        return False
    return True


def _ripemd160_function() -> Callable[[bytes], bytes]:
    """OpenSSL's RIPEMD-160 when it exposes one (OpenSSL 3 moved it to the legacy provider), else pycryptodome's."""
    try:
        hashlib.new("ripemd160")
    except ValueError:
        from Crypto.Hash import RIPEMD160

        return lambda data: RIPEMD160.new(data).digest()
    return lambda data: hashlib.new("ripemd160", data).digest()


ripemd160: Final = _ripemd160_function()


def account_address(pubkey33: bytes) -> bytes:
    """RIPEMD160(SHA256(compressed pubkey)): the 20-byte Cosmos secp256k1 account address."""
    if len(pubkey33) != 33:
        raise CryptoError(f"invalid compressed public key length: {len(pubkey33)}")
    return ripemd160(hashlib.sha256(pubkey33).digest())


@functools.lru_cache(maxsize=4096)
def module_address(name: str) -> bytes:
    """Module-style address SHA256(name)[:20] (deal escrow accounts)."""
    return hashlib.sha256(name.encode()).digest()[:20]


def account_bech32(pubkey33: bytes) -> str:
    return bech32_encode(ACC_HRP, account_address(pubkey33))


def valoper_bech32(addr20: bytes) -> str:
    return bech32_encode(VALOPER_HRP, addr20)


def valcons_bech32(addr20: bytes) -> str:
    return bech32_encode(VALCONS_HRP, addr20)

import hashlib
import os

import pytest

from panacea.crypto import address
from panacea.crypto.address import (
    ACC_HRP,
    VALOPER_HRP,
    account_address,
    account_bech32,
    bech32_decode,
    bech32_encode,
    is_valid_address,
    module_address,
    valcons_bech32,
    valoper_bech32,
)
from panacea.crypto.errors import CryptoError

# "abandon … about" at m/44'/371'/0'/0/0
PUBKEY = bytes.fromhex("02782abd87192cba6724cbee0d4dc4bacba04bab02afcfe1aca0227039dd49aad5")
ADDR = bytes.fromhex("d0348ae99dd57a252188812c015f61f2182d81ca")
ADDR_BECH32 = "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"
COSMOS_ADDR = "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4"


def test_hrps() -> None:
    assert (address.ACC_HRP, address.ACC_PUB_HRP) == ("panacea", "panaceapub")
    assert (address.VALOPER_HRP, address.VALOPER_PUB_HRP) == ("panaceavaloper", "panaceavaloperpub")
    assert (address.VALCONS_HRP, address.VALCONS_PUB_HRP) == ("panaceavalcons", "panaceavalconspub")


def test_account_address_vector() -> None:
    assert account_address(PUBKEY) == ADDR
    assert account_bech32(PUBKEY) == ADDR_BECH32
    assert bech32_decode(ADDR_BECH32) == ADDR
    assert valoper_bech32(ADDR) == "panaceavaloper16q6g46va64az2gvgsykqzhmp7gvzmqw2qzngvx"
    assert valcons_bech32(ADDR) == "panaceavalcons16q6g46va64az2gvgsykqzhmp7gvzmqw253q5q8"
    assert bech32_decode(valoper_bech32(ADDR), VALOPER_HRP) == ADDR


def test_uppercase_address_decodes() -> None:
    assert bech32_decode(ADDR_BECH32.upper()) == ADDR


def test_module_address() -> None:
    assert module_address("datadeal") == bytes.fromhex("e974b60f8ff3d3723bc0b2308a5ba2fd86f60398")
    assert module_address("datadeal") == hashlib.sha256(b"datadeal").digest()[:20]


@pytest.mark.parametrize(
    ("addr", "message"),
    [
        ("", "empty address string is not allowed"),
        ("   ", "empty address string is not allowed"),
        (COSMOS_ADDR, "invalid Bech32 prefix; expected panacea, got cosmos"),
        (ADDR_BECH32[:-1] + "d", "decoding bech32 failed: invalid checksum"),
        (
            "Panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc",
            "decoding bech32 failed: string not all lowercase or all uppercase",
        ),
        ("pana1qq", "decoding bech32 failed: invalid bech32 string length 7"),
        ("panacea1", "decoding bech32 failed: invalid separator index 7"),
        ("panacea1bqqqqqq", "decoding bech32 failed: invalid character not part of charset: 98"),
        (bech32_encode(ACC_HRP, b""), "invalid address length"),
        (bech32_encode(ACC_HRP, bytes(256)), "invalid address length"),
    ],
)
def test_bech32_decode_errors(addr: str, message: str) -> None:
    with pytest.raises(CryptoError) as e:
        bech32_decode(addr)
    assert str(e.value) == message
    assert not is_valid_address(addr)


def test_length_20_not_enforced() -> None:
    for n in (1, 32, 255):
        data = bytes(range(n))
        assert bech32_decode(bech32_encode(ACC_HRP, data)) == data
    assert is_valid_address(bech32_encode(ACC_HRP, bytes(32)))


def test_account_address_needs_33_bytes() -> None:
    with pytest.raises(CryptoError, match="invalid compressed public key length: 65"):
        account_address(bytes(65))


@pytest.mark.parametrize("data,digest", [
    (b"", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
    (b"abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    (b"a" * 1_000_000, "52783243c1697bdbe16d37f97f68f08325dc1528"),
])
def test_ripemd160_vectors(data: bytes, digest: str) -> None:
    assert address.ripemd160(data).hex() == digest


def test_ripemd160_pycryptodome_fallback_agrees() -> None:
    from Crypto.Hash import RIPEMD160

    for n in (1, 55, 56, 63, 64, 65, 119, 120, 200):
        data = os.urandom(n)
        assert address.ripemd160(data) == RIPEMD160.new(data).digest()


def test_ripemd160_without_openssl_support_uses_pycryptodome(monkeypatch: pytest.MonkeyPatch) -> None:
    real_new = hashlib.new

    def no_ripemd(name: str, *args: bytes) -> object:
        if name == "ripemd160":
            raise ValueError("unsupported hash type ripemd160")
        return real_new(name, *args)

    monkeypatch.setattr(hashlib, "new", no_ripemd)
    fallback = address._ripemd160_function()
    assert fallback(b"abc").hex() == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"

"""JSON-RPC parameter parsing: tx hashes in every form CometBFT clients send them."""

from __future__ import annotations

import base64
import hashlib

import pytest

from panacea.node.rpc.api import RpcError
from panacea.node.rpc.params import Params


def _digest_whose_base64_starts_with_0x() -> bytes:
    i = 0
    while not base64.b64encode(d := hashlib.sha256(str(i).encode()).digest()).startswith(b"0x"):
        i += 1
    return d


def test_get_hash_takes_hex_0x_hex_and_base64() -> None:
    digest = hashlib.sha256(b"tx").digest()
    for form in (digest.hex(), digest.hex().upper(), "0x" + digest.hex(), "0X" + digest.hex(),
                 base64.b64encode(digest).decode(), f'"{digest.hex()}"'):
        assert Params({"hash": form}).get_hash("hash") == digest, form


def test_get_hash_keeps_base64_that_begins_with_0x() -> None:
    digest = _digest_whose_base64_starts_with_0x()
    text = base64.b64encode(digest).decode()
    assert text.startswith("0x")
    assert Params({"hash": text}).get_hash("hash") == digest


@pytest.mark.parametrize(("value", "message"), [("", "hash is required"), (None, "hash is required"),
                                                ("not/valid!", "hash is neither hex nor base64"),
                                                ("0x" + "zz" * 32, "hash is neither hex nor base64")])
def test_get_hash_rejects_bad_input(value: object, message: str) -> None:
    with pytest.raises(RpcError, match=message):
        Params({"hash": value}).get_hash("hash")

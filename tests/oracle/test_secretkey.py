"""GetSecretKey (oracle-reference §3, §8 "key service") against the real embedded node."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from panacea.crypto.jcs import data_hash
from panacea.crypto.secret import consumer_secret_key, decrypt_from
from panacea.oracle.errors import OracleError
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.oracle import chainkit as ck
from tests.oracle.kit import OracleKit


def _key(oracle: OracleKit, node: Node, tmp: Path, deal_id: int, hash_hex: str, caller: str | None) -> bytes:
    async def go() -> bytes:
        async with ck.cores(oracle, node, tmp) as c:
            return await c.secret_keys.encrypted_secret_key(deal_id, hash_hex, caller)

    return asyncio.run(go())


def _error(oracle: OracleKit, node: Node, tmp: Path, deal_id: int, hash_hex: str, caller: str | None) -> OracleError:
    with pytest.raises(OracleError) as info:
        _key(oracle, node, tmp, deal_id, hash_hex, caller)
    return info.value


def test_consumer_gets_the_secret(oracle: OracleKit, node: Node, consented: tuple[int, str], tmp_path: Path) -> None:
    deal_id, hash_hex = consented
    esk = _key(oracle, node, tmp_path, deal_id, hash_hex, ck.CONSUMER.bech32())
    assert len(esk) == 60
    secret = decrypt_from(ck.CONSUMER, oracle.key.public_key, esk)
    # the reference formula, checked through the oracle key's only exit: its encrypted secret
    assert secret == decrypt_from(ck.CONSUMER, oracle.key.public_key,
                                  oracle.key.encrypted_secret_key(deal_id, hash_hex, ck.CONSUMER.public_key()))
    other_key = nodekit.key("carol")
    assert consumer_secret_key(other_key, deal_id, hash_hex) != secret


def test_errors_in_order(oracle: OracleKit, node: Node, consented: tuple[int, str], tmp_path: Path) -> None:
    deal_id, hash_hex = consented
    e = _error(oracle, node, tmp_path, deal_id, hash_hex, None)
    assert (e.message, e.status) == ("failed to get request address. missing authorization header", 401)
    e = _error(oracle, node, tmp_path, 999, hash_hex, ck.CONSUMER.bech32())
    assert (e.message, e.status) == ("failed to get deal(999): deal with ID 999 does not exist: deal is not found", 404)
    e = _error(oracle, node, tmp_path, deal_id, hash_hex, ck.PROVIDER.bech32())
    assert (e.message, e.status) == ("only consumer request secret key", 403)
    other = data_hash(b'{"x": 1}')
    e = _error(oracle, node, tmp_path, deal_id, other, ck.CONSUMER.bech32())
    assert e.message.startswith(f"failed to get consent(dealID: {deal_id}, dataHash {other}). ") and e.status == 404


"""OracleClient (sync and async) against the real oracle app and consumerd on loopback and the real node."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from panacea.client.services import AsyncOracleClient, OracleClient, OracleServiceError, OracleStatus
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import decrypt_from
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceThread, service_config, token
from tests.oracle import chainkit as ck
from tests.oracle.appkit import OracleThread, oracle_config
from tests.oracle.conftest import node, oracle
from tests.oracle.kit import ORACLE_ADDRESS, OracleKit

__all__ = ["node", "oracle"]  # the oracle kit's fixtures: a genesis oracle home and its node


def _jwt(signer: PrivateKey) -> str:
    return token(signer, audience=ORACLE_ADDRESS)


@pytest.fixture(scope="module")
def urls(oracle: OracleKit, node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The oracle API's URL and consumerd's (the deals' endpoint)."""
    ck.register_pubkey(node, ck.PROVIDER)
    with ServiceThread(tmp_path_factory.mktemp("consumerd"), service_config(node.rpc, free_port())) as consumerd, \
            OracleThread(oracle.home.root, oracle_config(oracle, node, free_port())) as api:
        yield api.url, consumerd.url


def test_sync_client(oracle: OracleKit, node: Node, urls: tuple[str, str]) -> None:
    url, endpoint = urls
    deal = ck.create_deal(node, endpoint)
    req = ck.request(oracle, deal)
    with OracleClient(url + "/") as c:
        cert = c.validate_data(deal, req.provider_address, req.encrypted_data, req.data_hash, _jwt(ck.PROVIDER))
        assert (cert.unsigned_certificate.deal_id, cert.unsigned_certificate.data_hash) == (deal, data_hash(ck.DATA))
        assert ck.submit_consent(node, cert).ok
        secret = decrypt_from(ck.CONSUMER, oracle.key.public_key, c.secret_key(deal, req.data_hash, _jwt(ck.CONSUMER)))
        assert len(secret) == 32
        identity = oracle.enclave.identity()
        st = c.status()
        assert st == OracleStatus(ORACLE_ADDRESS, url.removeprefix("http://"), identity.product_id,
                                  identity.unique_id_hex, st.chain, None,
                                  {"registered": True, "active_unique_id": identity.unique_id_hex, "active": True,
                                   "endpoint": "https://oracle.test"})
        assert st.chain is not None and st.chain["verification"] == "light-client"
        with pytest.raises(OracleServiceError) as e:
            c.secret_key(deal, req.data_hash, _jwt(ck.PROVIDER))
        assert (e.value.status, e.value.code, e.value.message) == (403, 7, "only consumer request secret key")
    with OracleClient(f"http://127.0.0.1:{free_port()}") as down, pytest.raises(OracleServiceError) as e:
        down.status()
    assert (e.value.status, e.value.message) == (0, f"cannot reach {down.endpoint}: ConnectError")


def test_async_client(oracle: OracleKit, node: Node, urls: tuple[str, str]) -> None:
    url, endpoint = urls
    deal = ck.create_deal(node, endpoint)
    req = ck.request(oracle, deal, b'{"name": "dora", "age": 3}')

    async def go() -> None:
        async with AsyncOracleClient(url) as c:
            cert = await c.validate_data(deal, req.provider_address, req.encrypted_data, req.data_hash,
                                         _jwt(ck.PROVIDER))
            assert cert.unsigned_certificate.oracle_address == ORACLE_ADDRESS
            assert (await c.status()).oracle_account_address == ORACLE_ADDRESS
            with pytest.raises(OracleServiceError) as e:
                await c.validate_data(999, req.provider_address, req.encrypted_data, req.data_hash, _jwt(ck.PROVIDER))
            assert (e.value.status, e.value.code, e.value.message) == (
                404, 5, "failed to get deal. deal with ID 999 does not exist: deal is not found")
            with pytest.raises(OracleServiceError) as e:
                await c.secret_key(deal, req.data_hash, "garbage")
            assert (e.value.status, e.value.message) == (
                401, "invalid bearer token. token must have 3 dot-separated parts, got 1")

    asyncio.run(go())

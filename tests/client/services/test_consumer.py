"""ConsumerServiceClient (sync and async) against a real consumerd app on loopback and the real node."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.client import ChainClient
from panacea.client.services import (
    AsyncConsumerServiceClient,
    ConsumerServiceClient,
    ConsumerServiceError,
    DataInfo,
    DataPage,
    StoredData,
)
from tests.client.nodekit import Node, free_port, send_msg
from tests.consumer.kit import CONSUMER, OTHER, ServiceThread, create_deal, oracle_token, service_config, token

H1, H2 = "11" * 32, "22" * 32


@pytest.fixture(scope="module")
def service(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceThread]:
    with node.client() as c:
        assert c.wallet(OTHER).send([send_msg(OTHER.bech32(), OTHER.bech32(), 1)]).ok
    with ServiceThread(tmp_path_factory.mktemp("consumerd"), service_config(node.rpc, free_port())) as s:
        yield s


def test_sync_client(service: ServiceThread, client: ChainClient) -> None:
    deal = create_deal(client)
    with ConsumerServiceClient(service.url + "/") as c:
        assert c.upload(deal, H1, b"one", oracle_token()) == StoredData(deal, H1, 3, True)
        assert c.upload(deal, H1, b"one", oracle_token()) == StoredData(deal, H1, 3, False)
        c.upload(deal, H2, b"two!", oracle_token())
        assert c.list(deal, token(CONSUMER), limit=1) == DataPage(deal, (DataInfo(H1, 3),), H1)
        assert c.list(deal, token(CONSUMER), limit=1, after=H1) == DataPage(deal, (DataInfo(H2, 4),), "")
        assert c.get(deal, H2, token(CONSUMER)) == b"two!"
        with pytest.raises(ConsumerServiceError) as e:
            c.get(deal, H2, token(OTHER))
        assert (e.value.status, e.value.code, e.value.message) == (404, 5, f"deal {deal} not found")
        assert str(e.value) == f"consumer service: deal {deal} not found (HTTP 404)"
        with pytest.raises(ConsumerServiceError) as e:
            c.upload(deal, H1, b"changed", oracle_token())
        assert (e.value.status, e.value.message) == (409, "data already stored with different content")


def test_async_client(service: ServiceThread, client: ChainClient) -> None:
    deal = create_deal(client)

    async def run() -> None:
        async with AsyncConsumerServiceClient(service.url) as c:
            stored = await asyncio.gather(*(c.upload(deal, f"{i:02x}" * 32, b"x", oracle_token()) for i in range(8)))
            assert all(s.created for s in stored)
            page = await c.list(deal, token(CONSUMER))
            assert [d.data_hash for d in page.data] == [f"{i:02x}" * 32 for i in range(8)]
            assert await c.get(deal, "07" * 32, token(CONSUMER)) == b"x"
            with pytest.raises(ConsumerServiceError) as e:
                await c.list(deal, "not-a-jwt")
            assert (e.value.status, e.value.message) == (
                401, "invalid bearer token. token must have 3 dot-separated parts, got 1")

    asyncio.run(run())


def test_unreachable_service(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with ConsumerServiceClient(url, timeout=2) as c, pytest.raises(ConsumerServiceError) as e:
        c.get(1, H1, "t")
    assert (e.value.status, e.value.message) == (0, f"cannot reach {url}: ConnectError")

    async def run() -> None:
        async with AsyncConsumerServiceClient(url, timeout=2) as c:
            await c.get(1, H1, "t")

    with pytest.raises(ConsumerServiceError) as e:
        asyncio.run(run())
    assert (e.value.status, e.value.message) == (0, f"cannot reach {url}: ClientConnectorError")

"""ChainView against the real embedded node: reads are cached per height, a set pubkey for good."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.client import AsyncChainClient, NotFoundError
from panacea.service.chain import ChainView
from tests.client.nodekit import ORACLE_SHARED_KEY, Node, key, start_node


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_node(tmp_path_factory.mktemp("chainview"))
    yield n
    n.stop()


def test_cached_per_height(node: Node, tmp_path: Path) -> None:
    clock = [0.0]

    async def run() -> None:
        async with AsyncChainClient(node.rpc) as client:
            view = ChainView(client, refresh_seconds=10.0, clock=lambda: clock[0])
            for _ in range(5):
                params = await view.oracle_params()
                assert params.oracle_public_key == ORACLE_SHARED_KEY.public_key().to_base64()
                with pytest.raises(NotFoundError):
                    await view.deal(424242)
                assert await view.account_pubkey(key("stale").bech32()) is None
            assert view.fetches == 3
            height = await view.height()
            while (await client.status()).latest_height == height:
                await asyncio.sleep(0.05)
            clock[0] = 10.0  # the refresh interval passed: a new height, new reads
            await view.oracle_params()
            assert await view.height() > height
            assert view.fetches == 4

    asyncio.run(run())

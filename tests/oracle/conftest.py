"""One oracle home, one real embedded node whose genesis oracle it is, and a loopback consumer service per
test module of the oracle cores; ``consented``: a deal with one consent on that chain."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.client.nodekit import Node
from tests.oracle import chainkit as ck
from tests.oracle.kit import ConsumerService, OracleKit, consumer_service, make_oracle, start_node_for


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> OracleKit:
    return make_oracle(tmp_path_factory.mktemp("oracle-home"))


@pytest.fixture(scope="module")
def node(oracle: OracleKit, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_node_for(oracle, tmp_path_factory.mktemp("oracle-node"))
    yield n
    n.stop()


@pytest.fixture()
def consumer(oracle: OracleKit) -> Iterator[ConsumerService]:
    with consumer_service(oracle.key.public_key) as service:
        yield service


@pytest.fixture(scope="module")
def consented(oracle: OracleKit, node: Node, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """A deal with one consent on chain: (deal_id, data_hash)."""
    ck.register_pubkey(node, ck.PROVIDER)
    with consumer_service(oracle.key.public_key) as consumer:
        deal_id = ck.create_deal(node, consumer.url)
        req = ck.request(oracle, deal_id)

        async def go() -> object:
            async with ck.cores(oracle, node, tmp_path_factory.mktemp("schemas")) as c:
                return await c.validator.validate(req, req.provider_address)

        assert ck.submit_consent(node, asyncio.run(go())).ok  # type: ignore[arg-type]
    return deal_id, req.data_hash

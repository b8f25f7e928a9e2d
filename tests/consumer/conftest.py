"""One real embedded node per test module of the consumer service, with a deal of CONSUMER's and OTHER's key
registered on chain (OTHER sent a tx)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from panacea.client import ChainClient
from tests.client.nodekit import Node, send_msg, start_node
from tests.consumer.kit import OTHER


@pytest.fixture(scope="module")
def node(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_node(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))
    with n.client() as c:
        assert c.wallet(OTHER).send([send_msg(OTHER.bech32(), OTHER.bech32(), 1)]).ok
    yield n
    n.stop()


@pytest.fixture(scope="module")
def chain(node: Node) -> Iterator[ChainClient]:
    with node.client() as c:
        yield c

"""One real embedded node per test module of the client (a module's txs see only that module's state)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from panacea.client import ChainClient
from tests.client.nodekit import Node, start_node


@pytest.fixture(scope="module")
def node(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_node(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))
    yield n
    n.stop()


@pytest.fixture()
def client(node: Node) -> Iterator[ChainClient]:
    with node.client() as c:
        yield c

"""One oracle home, one real embedded node whose genesis oracle it is, and a loopback consumer service per
test module of the oracle cores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.client.nodekit import Node
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

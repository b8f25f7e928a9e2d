"""The oracle's `/openapi.json` holds: schemathesis-generated requests (a bounded run) against the real oracle
app on loopback, backed by the real node, never get a 5xx answer and always a JSON error body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.client.nodekit import Node, free_port
from tests.oracle.appkit import OracleThread, oracle_config
from tests.oracle.kit import OracleKit
from tests.service.kit import assert_no_server_errors


@pytest.fixture(scope="module")
def api_schema(oracle: OracleKit, node: Node) -> Iterator[schemathesis.BaseSchema]:
    with OracleThread(oracle.home.root, oracle_config(oracle, node, free_port())) as s:
        yield schemathesis.openapi.from_url(f"{s.url}/openapi.json")


def test_generated_requests_never_get_a_server_error(api_schema: schemathesis.BaseSchema) -> None:
    assert assert_no_server_errors(api_schema) >= 3

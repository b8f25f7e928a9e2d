"""The consumer service's `/openapi.json` holds: schemathesis-generated requests (a bounded run) against the real
app on loopback, backed by the real node, never get a 5xx answer and always a JSON error body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceThread, service_config
from tests.service.kit import assert_no_server_errors


@pytest.fixture(scope="module")
def service(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceThread]:
    with ServiceThread(tmp_path_factory.mktemp("consumerd"), service_config(node.rpc, free_port())) as s:
        yield s


@pytest.fixture(scope="module")
def api_schema(service: ServiceThread) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{service.url}/openapi.json")


def test_generated_requests_never_get_a_server_error(api_schema: schemathesis.BaseSchema) -> None:
    assert assert_no_server_errors(api_schema) >= 3

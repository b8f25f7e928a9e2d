"""Test kit of the service layer shared by the oracle and the consumer service."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings


def assert_no_server_errors(api_schema: schemathesis.BaseSchema, max_examples: int = 25) -> int:
    """A bounded schemathesis run over every operation of a live service's OpenAPI document: no 5xx, and every
    error a JSON ``{"code", "message"}`` body. Returns how many operations were exercised."""
    checked = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        @given(case=operation.as_strategy())
        def call(case: schemathesis.Case) -> None:
            response = case.call()
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
            if response.status_code >= 400:
                assert set(response.json()) == {"code", "message"}

        call()
        checked += 1
    return checked

"""The JSON bounds every node server applies before parsing: depth and number length, strings exempt."""

from __future__ import annotations

import json

import pytest

from panacea.types.jsonlimits import MAX_DEPTH, MAX_NUMBER_DIGITS, JsonLimitError, check_json_limits

DEEP = "JSON nested deeper than 100 levels"
LONG = "JSON number longer than 100 digits"


@pytest.mark.parametrize(("body", "message"), [
    (b"[" * 10_000 + b"]" * 10_000, DEEP),
    (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, DEEP),
    (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), DEEP),
    (b'{"height":' + b"1" * 5000 + b"}", LONG),
    (b"[-0." + b"1" * (MAX_NUMBER_DIGITS + 1) + b"]", LONG),
    ("[" * 10_000, DEEP),
])
def test_hostile_bodies_are_refused(body: bytes | str, message: str) -> None:
    with pytest.raises(JsonLimitError) as e:
        check_json_limits(body)
    assert str(e.value) == message


@pytest.mark.parametrize("body", [
    b"[" * MAX_DEPTH + b"]" * MAX_DEPTH,
    b'{"n":' + b"9" * MAX_NUMBER_DIGITS + b"}",
    json.dumps({"s": "[" * 5000 + "1" * 5000, "esc": '\\"[[[', "list": [[1, 2], {"a": [3]}] * 50}).encode(),
    b"",
    b"not json [[[ at all",
])
def test_bodies_within_bounds_pass(body: bytes) -> None:
    check_json_limits(body)

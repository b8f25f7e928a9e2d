"""The CometBFT event query language subset."""

from __future__ import annotations

import pytest

from panacea.node.cometbft.query import QueryError, parse_query

EVENTS = {
    "tm.event": ["Tx"],
    "tx.height": ["12"],
    "message.action": ["RegisterOracle"],
    "oracle_registration.unique_id": ["abc"],
    "transfer.amount": ["5umed", "7umed"],
    "block.time": ["2024-03-01T10:00:00Z"],
}


@pytest.mark.parametrize(("query", "matches"), [
    ("tm.event='Tx'", True),
    ("tm.event = 'NewBlock'", False),
    ("tm.event='Tx' AND message.action='RegisterOracle' AND oracle_registration.unique_id='abc'", True),
    ("tm.event='Tx' AND message.action='Send'", False),
    ("tx.height>=12", True),
    ("tx.height>12", False),
    ("tx.height<13 AND tx.height>11.5", True),
    ("tx.height<=11", False),
    ("tx.height=12", True),
    ("transfer.amount CONTAINS '7u'", True),
    ("transfer.amount CONTAINS 'x'", False),
    ("oracle_registration.unique_id EXISTS", True),
    ("missing.key EXISTS", False),
    ("block.time > TIME 2024-03-01T09:00:00Z", True),
    ("block.time < DATE 2024-03-01", False),
    ("block.time >= DATE 2024-03-01", True),
])
def test_matches(query: str, matches: bool) -> None:
    assert parse_query(query).matches(EVENTS) is matches


@pytest.mark.parametrize(("query", "error"), [
    ("", "empty query"),
    ("tm.event=", "unexpected end"),
    ("tm.event='Tx' OR tx.height=5", "expected AND"),
    ("tx.height>'5'", "operator > needs a number"),
    ("tx.height CONTAINS 5", "CONTAINS needs a string"),
    ("=5", "expected a tag"),
    ("a.b='" + "x" * 600 + "'", "query is too long"),
])
def test_errors(query: str, error: str) -> None:
    with pytest.raises(QueryError, match=error):
        parse_query(query)

"""A few hundred hostile REST requests over every route: never an HTTP 500, never a traceback in the log, and
the node still commits a tx afterwards (issue 10)."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from panacea.node.rest.queries import CUSTOM_ROUTES, QUERY_ROUTES
from panacea.node.rest.tendermint import TENDERMINT_ROUTES
from panacea.node.rest.tx import TX_ROUTES
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from tests.node.kit import DAVE, LogWatch, RestNode, hostile_bodies, hostile_values

PATHS = [p for p, _ in QUERY_ROUTES] + [e.path for e in (*CUSTOM_ROUTES, *TENDERMINT_ROUTES, *TX_ROUTES)]
PARAMS = ["pagination.key", "pagination.limit", "pagination.offset", "pagination.reverse", "events", "order_by",
          "status", "subspace", "key"]
# Python's wording that must never reach a client (issue 10)
INTERNALS = re.compile(r"object is not|object has no|set_int_max_str_digits|codec can't|Traceback|[A-Z]\w+Error\b")


def _text(value: object) -> str:
    return (value if isinstance(value, str) else json.dumps(value))[:2000] or "a"


def test_hostile_requests_on_every_route(node: RestNode, caplog: pytest.LogCaptureFixture,
                                         capfd: pytest.CaptureFixture[str]) -> None:
    watch = LogWatch(caplog, capfd)
    sent = 0
    values = [v for v in hostile_values() if _text(v).isprintable()]
    for path, value in itertools.product(PATHS, values[:8]):
        url = re.sub(r"{\w+}", _text(value).replace("/", "%2F").replace("?", "%3F").replace("#", "%23"), path)
        r = node.http.get(url, params={PARAMS[sent % len(PARAMS)]: _text(value)},
                          headers={"x-cosmos-block-height": _text(value)[:100]})
        assert r.status_code < 500 or r.status_code == 501, (url[:100], r.status_code, r.text[:300])
        assert not INTERNALS.search(r.text), (url[:100], r.text[:300])
        sent += 1
    for path, body in itertools.product(("/cosmos/tx/v1beta1/txs", "/cosmos/tx/v1beta1/simulate"),
                                        [*hostile_bodies(), *(json.dumps({"tx_bytes": v, "mode": v, "tx": v}).encode()
                                                              for v in hostile_values())]):
        r = node.http.post(path, content=body)
        assert r.status_code in (200, 400), (path, body[:80], r.status_code, r.text[:300])
        assert not INTERNALS.search(r.text), (path, body[:80], r.text[:300])
        sent += 1
    assert sent > 300
    doc = node.deliver(DAVE, bank_tx.MsgSend(from_address=DAVE.bech32(), to_address=DAVE.bech32(),
                                            amount=[coin_pb2.Coin(denom="umed", amount="1")]))
    assert doc["tx_response"]["code"] == 0
    watch.assert_clean()

"""Pagination: the request's page (once for every query) and ``paginate`` over a store prefix."""

from __future__ import annotations

from panacea.chain.kv import CacheKV, MemKV
from panacea.chain.pagination import page_request, paginate
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from tests.chain.kit import error_of


def test_page_request_is_none_when_unset() -> None:
    assert page_request(query_pb2.QueryAllBalancesRequest()) is None
    page = pagination_pb2.PageRequest(limit=3)
    assert page_request(query_pb2.QueryAllBalancesRequest(pagination=page)) == page


def test_paginate_offsets_keys_and_totals() -> None:
    kv = CacheKV(MemKV())
    for i in range(5):
        kv.set(b"p" + bytes([i]), bytes([i]))
    kv.set(b"q", b"x")
    items, resp = paginate(kv, b"p", None, lambda _k, v: v[0])
    assert (items, resp.total, resp.next_key) == ([0, 1, 2, 3, 4], 5, b"")
    items, resp = paginate(kv, b"p", pagination_pb2.PageRequest(offset=1, limit=2), lambda _k, v: v[0])
    assert (items, resp.total, resp.next_key) == ([1, 2], 0, b"\x03")
    items, resp = paginate(kv, b"p", pagination_pb2.PageRequest(key=b"\x03", limit=5), lambda _k, v: v[0])
    assert (items, resp.next_key) == ([3, 4], b"")
    items, _ = paginate(kv, b"p", pagination_pb2.PageRequest(limit=2, reverse=True), lambda _k, v: v[0])
    assert items == [4, 3]
    assert error_of(paginate, kv, b"p", pagination_pb2.PageRequest(key=b"\x01", offset=1), lambda _k, v: v).log == \
        "paginate: invalid request, either offset or key is expected, got both: invalid request"

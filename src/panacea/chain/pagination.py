"""Cosmos ``PageRequest`` / ``PageResponse`` over a prefix of a store (key or offset based)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol, TypeVar

from panacea.chain.errors import ErrInvalidRequest
from panacea.chain.kv import KVStore, prefix_end
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2

T = TypeVar("T")
DEFAULT_LIMIT: Final = 100


class PagedRequest(Protocol):
    """A query request with a ``pagination`` field (every list query of the Cosmos and Panacea APIs)."""

    @property
    def pagination(self) -> pagination_pb2.PageRequest: ...

    def HasField(self, field_name: str) -> bool: ...


def page_request(req: PagedRequest) -> pagination_pb2.PageRequest | None:
    """The request's page, or None when the field is unset (``paginate`` then applies the SDK defaults)."""
    return req.pagination if req.HasField("pagination") else None


def paginate(
    kv: KVStore, prefix: bytes, page: pagination_pb2.PageRequest | None, decode: Callable[[bytes, bytes], T]
) -> tuple[list[T], pagination_pb2.PageResponse]:
    """``decode(key_without_prefix, value)``; keys are in bytewise order (reverse if asked)."""
    page = page if page is not None else pagination_pb2.PageRequest()
    if page.offset and page.key:
        raise ErrInvalidRequest.wrap("paginate: invalid request, either offset or key is expected, got both")
    limit = page.limit or DEFAULT_LIMIT
    count_total = page.count_total or not page.limit  # the SDK counts the total when no limit is given
    reverse = page.reverse
    end = prefix_end(prefix)
    n = len(prefix)
    items: list[T] = []
    resp = pagination_pb2.PageResponse()
    if page.key:
        start_key = prefix + page.key
        it = kv.iterate(prefix, start_key + b"\x00", True) if reverse else kv.iterate(start_key, end)
        for k, v in it:
            if len(items) == limit:
                resp.next_key = k[n:]
                break
            items.append(decode(k[n:], v))
        return items, resp
    total = 0
    for k, v in kv.iterate(prefix, end, reverse):
        if total >= page.offset and len(items) < limit:
            items.append(decode(k[n:], v))
        elif len(items) == limit and not resp.next_key:
            resp.next_key = k[n:]
            if not count_total:
                break
        total += 1
    if count_total:
        resp.total = total
    return items, resp

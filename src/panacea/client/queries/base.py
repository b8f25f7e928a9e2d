"""A typed query: the ABCI path, the request, the response message type and what a caller wants from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, cast

from google.protobuf.message import Message

from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2

R = TypeVar("R", bound=Message)
T = TypeVar("T")

PAGE_LIMIT = 100


@dataclass(frozen=True)
class Query(Generic[R, T]):
    """One request; ``extract`` picks the value out of the decoded ``R`` (the CLI prints all of ``R``)."""

    path: str
    request: Message
    response_cls: type[R]
    extract: Callable[[R], T]


@dataclass(frozen=True)
class PagedQuery(Generic[R, T]):
    """A list query; the client follows ``pagination.next_key`` until the end, the CLI shows one page."""

    path: str
    request: Callable[[pagination_pb2.PageRequest], Message]
    response_cls: type[R]
    items: Callable[[R], Sequence[T]]


class _Paged(Protocol):
    @property
    def pagination(self) -> pagination_pb2.PageResponse: ...


def page(key: bytes = b"", limit: int = PAGE_LIMIT) -> pagination_pb2.PageRequest:
    """The page request that continues after ``key``."""
    return pagination_pb2.PageRequest(key=key, limit=limit)


def next_key(response: Message) -> bytes:
    """``pagination.next_key`` of a list response (empty on the last page)."""
    return cast(_Paged, response).pagination.next_key

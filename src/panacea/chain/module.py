"""What a module offers the app: msg routes, query handlers, genesis, begin/end block hooks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from panacea.chain.context import Context
from panacea.chain.events import Event

JSON = dict[str, Any]


@dataclass(frozen=True)
class MsgRoute:
    msg_type: type[Message]
    action: str  # the legacy Type() string that baseapp puts in message.action (spec §0)
    signers: Callable[[Any], list[str]]
    validate_basic: Callable[[Any], None]
    handle: Callable[[Context, Any], Message]

    @property
    def type_url(self) -> str:
        return "/" + self.msg_type.DESCRIPTOR.full_name

    @functools.cached_property
    def action_event(self) -> Event:
        """The ``message{action}`` event baseapp puts before each message's own events."""
        return Event("message", (("action", self.action),))


@dataclass(frozen=True)
class QueryRoute:
    """A gRPC-style query: path ``/<package>.Query/<Method>``, request and handler."""

    path: str
    request_type: type[Message]
    handle: Callable[[Context, Any], Message]


class Module:
    name: str = ""

    def routes(self) -> list[MsgRoute]:
        return []

    def queries(self) -> list[QueryRoute]:
        return []

    def default_genesis(self) -> JSON:
        return {}

    def validate_genesis(self, genesis: JSON) -> None:
        return None

    def init_genesis(self, ctx: Context, genesis: JSON) -> None:
        return None

    def export_genesis(self, ctx: Context) -> JSON:
        return {}

    def begin_block(self, ctx: Context) -> None:
        return None

    def end_block(self, ctx: Context) -> None:
        return None

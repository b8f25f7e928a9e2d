"""What a module offers the app: msg routes, query handlers, genesis, begin/end block hooks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from panacea.chain.context import Context
from panacea.chain.events import Event
from panacea.types.lp import encode_uvarint
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2

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
        return Event("message", ("action", self.action))

    @functools.cached_property
    def msg_data_head(self) -> bytes:
        """``MsgData(msg_type=action)`` encoded: field 1 of each entry of the tx result's TxMsgData."""
        return abci_pb2.MsgData(msg_type=self.action).SerializeToString()

    def msg_data(self, data: bytes) -> bytes:
        """One ``TxMsgData.data`` entry (field 1, length-delimited) for a response encoded as ``data``:
        byte-for-byte ``TxMsgData(data=[MsgData(msg_type=action, data=data)]).SerializeToString()``."""
        entry = self.msg_data_head + (b"\x12" + encode_uvarint(len(data)) + data if data else b"")
        return b"\x0a" + encode_uvarint(len(entry)) + entry


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

"""What a module offers the app: msg routes, query handlers, genesis, begin/end block hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Generic, Protocol, TypeVar, final

from google.protobuf.message import Message

from panacea.chain.context import Context
from panacea.chain.events import Event
from panacea.types.lp import encode_uvarint
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2

JSON = dict[str, Any]
K = TypeVar("K")
K_contra = TypeVar("K_contra", contravariant=True)


@final
class MsgRoute:
    """How the app runs one message type. Immutable (``Final`` attributes); the per-message constants
    (the action event, the MsgData head) are built once here."""

    def __init__(self, msg_type: type[Message], action: str, signers: Callable[[Any], list[str]],
                 validate_basic: Callable[[Any], None], handle: Callable[[Context, Any], Message]) -> None:
        self.msg_type: Final = msg_type
        self.action: Final = action  # the legacy Type() string that baseapp puts in message.action (spec §0)
        self.signers: Final = signers
        self.validate_basic: Final = validate_basic
        self.handle: Final = handle
        self.type_url: Final = "/" + str(msg_type.DESCRIPTOR.full_name)
        # The ``message{action}`` event baseapp puts before each message's own events (a shared value).
        self.action_event: Final = Event("message", ("action", action))
        # ``MsgData(msg_type=action)`` encoded: field 1 of each entry of the tx result's TxMsgData.
        self.msg_data_head: Final[bytes] = abci_pb2.MsgData(msg_type=action).SerializeToString()

    def __repr__(self) -> str:
        return f"MsgRoute({self.type_url!r}, action={self.action!r})"

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


class Queries(Generic[K]):
    """A module's gRPC query handlers over its keeper; ``routes`` lists them for the app."""

    def __init__(self, keeper: K) -> None:
        self.keeper: Final = keeper

    def routes(self) -> list[QueryRoute]:
        return []


class Genesis(Protocol[K_contra]):
    """What every module's ``genesis.py`` offers, with one signature across modules (SDK style:
    ``InitGenesis(ctx, keeper, state)``, ``ExportGenesis(ctx, keeper)``)."""

    def default_genesis(self) -> JSON: ...

    def validate_genesis(self, genesis: JSON) -> None: ...

    def init_genesis(self, ctx: Context, keeper: K_contra, genesis: JSON) -> None: ...

    def export_genesis(self, ctx: Context, keeper: K_contra) -> JSON: ...


class Module(Generic[K]):
    """A module's wiring: its keeper, msg routes, query routes, genesis hooks and block hooks."""

    name: str = ""

    def __init__(self, keeper: K, genesis: Genesis[K]) -> None:
        self.keeper: Final = keeper
        self._genesis: Final = genesis

    def routes(self) -> list[MsgRoute]:
        return []

    def queries(self) -> list[QueryRoute]:
        return []

    def default_genesis(self) -> JSON:
        return self._genesis.default_genesis()

    def validate_genesis(self, genesis: JSON) -> None:
        self._genesis.validate_genesis(genesis)

    def init_genesis(self, ctx: Context, genesis: JSON) -> None:
        self._genesis.init_genesis(ctx, self.keeper, genesis)

    def export_genesis(self, ctx: Context) -> JSON:
        return self._genesis.export_genesis(ctx, self.keeper)

    def begin_block(self, ctx: Context) -> None:
        return None

    def end_block(self, ctx: Context) -> None:
        return None

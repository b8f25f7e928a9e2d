"""What every REST route shares: gRPC status codes and the one ABCI → gRPC → HTTP error mapping, Cosmos
protobuf JSON rendering, request building from path and query params, and the node context (an ``Rpc``)."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import any_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message
from starlette.requests import Request
from starlette.responses import JSONResponse

from panacea.chain.errors import grpc_code
from panacea.node.rpc.api import Rpc
from panacea.types import anyutil  # noqa: F401 - registers every message type that can sit in an Any
from panacea.types.grpc_status import (
    INTERNAL,
    INVALID_ARGUMENT,
    NOT_FOUND,
    UNAUTHENTICATED,
    UNAVAILABLE,
    UNIMPLEMENTED,
    UNKNOWN,
    original_log,
    parse_status_log,
)
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as _auth_q  # noqa: F401 - loads the Query service
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as _bank_q  # noqa: F401
from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2 as _gov_q  # noqa: F401
from panacea.types.pb.panacea.datadeal.v2 import query_pb2 as _deal_q  # noqa: F401
from panacea.types.pb.panacea.did.v2 import query_pb2 as _did_q  # noqa: F401
from panacea.types.pb.panacea.oracle.v2 import query_pb2 as _oracle_q  # noqa: F401
from panacea.types.protojson import to_json

log = logging.getLogger(__name__)

JSON = dict[str, Any]
Handler = Callable[["RestContext", Request], Awaitable[JSON]]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler


HTTP_STATUS = {UNKNOWN: 500, INVALID_ARGUMENT: 400, NOT_FOUND: 404, INTERNAL: 500, UNIMPLEMENTED: 501,
               UNAVAILABLE: 503, UNAUTHENTICATED: 401}


class RestError(Exception):
    """An error answered as a grpc-gateway status body."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def response(self, status: int = 0) -> JSONResponse:
        """The status body; HTTP status from the gRPC code unless ``status`` is given (413 for a large body)."""
        body = {"code": self.code, "message": self.message, "details": []}
        return JSONResponse(body, status_code=status or HTTP_STATUS.get(self.code, 500))


def abci_error(codespace: str, code: int, log_text: str) -> RestError:
    """The gateway's status for a failed query: the gRPC class each chain error registers (Unknown → HTTP 500, as
    in the SDK) and the chain's own log, read back from the SDK form the ABCI log carries."""
    status = parse_status_log(log_text)
    if status is not None:
        log_text = original_log(codespace, code, status[1])
    return RestError(status[0] if status is not None else grpc_code(codespace, code), log_text)


def invalid(message: str) -> RestError:
    return RestError(INVALID_ARGUMENT, message)


# --- protobuf JSON the v0.45 gateway way ---------------------------------------------------------------
_OPAQUE = frozenset({"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.Struct",
                     "google.protobuf.Value", "google.protobuf.ListValue"})


def _gov_defaults() -> dict[tuple[str, str], Callable[[], Message]]:
    from google.protobuf import duration_pb2

    from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2

    response = "cosmos.gov.v1beta1.QueryParamsResponse"
    return {
        (response, "voting_params"): lambda: gov_pb2.VotingParams(voting_period=duration_pb2.Duration()),
        (response, "deposit_params"): lambda: gov_pb2.DepositParams(max_deposit_period=duration_pb2.Duration()),
        (response, "tally_params"): gov_pb2.TallyParams,
    }


# gogoproto non-nullable message fields the keepers may leave unset: rendered as their zero value, not null.
NON_NULLABLE: dict[tuple[str, str], Callable[[], Message]] = _gov_defaults()


def render(msg: Message) -> JSON:
    """Cosmos JSON with gogoproto EmitDefaults: also ``null`` for absent messages and empty bytes."""
    out = to_json(msg)
    _emit_nulls(msg.DESCRIPTOR, out)
    return out


def _emit_nulls(desc: Any, obj: Any) -> None:
    if not isinstance(obj, dict):
        return
    for f in desc.fields:
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            continue
        if f.name not in obj:
            if f.message_type is not None and not f.is_repeated and f.containing_oneof is None:
                zero = NON_NULLABLE.get((desc.full_name, f.name))
                obj[f.name] = render(zero()) if zero is not None else None
            continue
        value = obj[f.name]
        if f.type == FieldDescriptor.TYPE_BYTES and not f.is_repeated and value == "":
            obj[f.name] = None
        elif f.message_type is not None and f.message_type.full_name not in _OPAQUE:
            for item in value if f.is_repeated else [value]:
                _emit_nulls(_any_descriptor(item) if f.message_type.full_name == "google.protobuf.Any"
                            else f.message_type, item)
    ordered = {k: obj.pop(k) for k in ("@type", *(f.name for f in desc.fields)) if k in obj}
    ordered.update(obj)  # nothing should be left; keep it anyway rather than drop data
    obj.clear()
    obj.update(ordered)


def _any_descriptor(item: Any) -> Any:
    name = item.get("@type", "").lstrip("/") if isinstance(item, dict) else ""
    try:
        return descriptor_pool.Default().FindMessageTypeByName(name)
    except KeyError:
        return any_pb2.Any.DESCRIPTOR


# --- query string / path parameters → request message (grpc-gateway PopulateQueryParameters) ----------
_GO_BOOL = {"1": True, "t": True, "T": True, "true": True, "TRUE": True, "True": True,
            "0": False, "f": False, "F": False, "false": False, "FALSE": False, "False": False}
_INT_RANGES = {
    FieldDescriptor.TYPE_INT32: ("ParseInt", -(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SINT32: ("ParseInt", -(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SFIXED32: ("ParseInt", -(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_INT64: ("ParseInt", -(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SINT64: ("ParseInt", -(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SFIXED64: ("ParseInt", -(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT32: ("ParseUint", 0, 2**32 - 1),
    FieldDescriptor.TYPE_FIXED32: ("ParseUint", 0, 2**32 - 1),
    FieldDescriptor.TYPE_UINT64: ("ParseUint", 0, 2**64 - 1),
    FieldDescriptor.TYPE_FIXED64: ("ParseUint", 0, 2**64 - 1),
}


def parse_field_value(f: Any, text: str) -> Any:
    """One scalar from its query-string text; ValueError with Go's strconv wording."""
    if f.type in _INT_RANGES:
        fn, lo, hi = _INT_RANGES[f.type]
        try:
            value = int(text, 10)
        except ValueError:
            raise ValueError(f'strconv.{fn}: parsing "{text}": invalid syntax') from None
        if not lo <= value <= hi or text.strip() != text or text.startswith("+"):
            raise ValueError(f'strconv.{fn}: parsing "{text}": value out of range')
        return value
    if f.type == FieldDescriptor.TYPE_BOOL:
        if text not in _GO_BOOL:
            raise ValueError(f'strconv.ParseBool: parsing "{text}": invalid syntax')
        return _GO_BOOL[text]
    if f.type == FieldDescriptor.TYPE_BYTES:
        return _base64_field(text)
    if f.type == FieldDescriptor.TYPE_ENUM:
        assert f.enum_type is not None
        by_name = f.enum_type.values_by_name.get(text)
        if by_name is not None:
            return by_name.number
        digits = text.removeprefix("-")
        if digits.isdigit() and len(digits) <= 10 and int(text) in f.enum_type.values_by_number:
            return int(text)
        raise ValueError(f"{text if len(text) <= 40 else text[:40] + '…'} is not valid")
    if f.type == FieldDescriptor.TYPE_STRING:
        return text
    raise ValueError(f"unsupported field type for {f.name}")


def _base64_field(text: str) -> bytes:
    """grpc-gateway's bytes: standard base64, then URL-safe; padding optional, nothing else allowed."""
    padded = text + "=" * (-len(text) % 4)
    for altchars in (b"+/", b"-_"):
        try:
            return base64.b64decode(padded, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=")
    at = next((i for i, c in enumerate(text) if c not in alphabet), len(text))
    raise ValueError(f"illegal base64 data at input byte {at}")


def set_field(msg: Message, dotted: str, text: str) -> bool:
    """Set ``a.b.c`` in ``msg`` from text; False when the path names no field (ignored, like the gateway)."""
    *parents, last = dotted.split(".")
    target = msg
    for name in parents:
        f = target.DESCRIPTOR.fields_by_name.get(name)
        if f is None or f.message_type is None or f.is_repeated:
            return False
        target = getattr(target, name)
    f = target.DESCRIPTOR.fields_by_name.get(last)
    if f is None or f.message_type is not None:
        return False
    value = parse_field_value(f, text)
    if f.is_repeated:
        getattr(target, last).append(value)
    else:
        setattr(target, last, value)
    return True


def build_request(cls: type[Message], path_params: Mapping[str, str], query: Request | None) -> Message:
    req = cls()
    if query is not None:
        for key, text in query.query_params.multi_items():
            if key in path_params:
                continue
            try:
                set_field(req, key, text)
            except ValueError as e:
                raise invalid(str(e)) from None
    for key, text in path_params.items():
        try:
            set_field(req, key, text)
        except ValueError as e:
            raise invalid(f"type mismatch, parameter: {key}, error: {e}") from None
    return req


# --- the node -------------------------------------------------------------------------------------------
@dataclass
class RestContext:
    rpc: Rpc

    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        return await self.rpc.call(method, params)

    async def abci_query(self, path: str, data: bytes, height: int = 0) -> bytes:
        """The response value of a successful query; RestError from the ABCI error otherwise."""
        result = await self.call("abci_query", {"path": path, "data": data.hex(), "height": str(height),
                                                "prove": False})
        resp = result.get("response", {})
        code = int(resp.get("code", 0) or 0)
        if code:
            raise abci_error(resp.get("codespace", ""), code, resp.get("log", ""))
        return base64.b64decode(resp.get("value") or "")

    async def query(self, grpc_path: str, req: Message, height: int = 0) -> Message:
        cls = response_type(grpc_path)
        raw = await self.abci_query(grpc_path, req.SerializeToString(), height)
        try:
            return cls.FromString(raw)
        except DecodeError:
            raise RestError(INTERNAL, f"cannot decode the {cls.DESCRIPTOR.name} of {grpc_path}") from None


def _method(grpc_path: str) -> Any:
    service, method = grpc_path.strip("/").split("/")
    return descriptor_pool.Default().FindMethodByName(f"{service}.{method}")


def request_type(grpc_path: str) -> type[Message]:
    return message_factory.GetMessageClass(_method(grpc_path).input_type)


def response_type(grpc_path: str) -> type[Message]:
    return message_factory.GetMessageClass(_method(grpc_path).output_type)


MAX_HEIGHT = 2**63 - 1
MAX_HEIGHT_DIGITS = len(str(MAX_HEIGHT))


def query_height(request: Request) -> int:
    text = request.headers.get("x-cosmos-block-height")
    if text is None:
        return 0
    if not text.isdigit() or len(text) > MAX_HEIGHT_DIGITS or int(text) > MAX_HEIGHT:
        shown = text if len(text) <= MAX_HEIGHT_DIGITS else text[:MAX_HEIGHT_DIGITS] + "…"
        raise invalid(f"invalid height: {shown}")
    return int(text)

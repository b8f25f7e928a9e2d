"""JSON-RPC 2.0 error codes and CometBFT's decoding of method params, from a JSON body or a URI query."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from panacea.node.rpc.api import RpcError

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
_INT64 = (-(2**63), 2**63 - 1)


def internal(data: str) -> RpcError:
    return RpcError(INTERNAL_ERROR, "Internal error", data)


def invalid_params(data: str) -> RpcError:
    return RpcError(INVALID_PARAMS, "Invalid params", f"error converting json params to arguments: {data}")


# --- params -------------------------------------------------------------------------------------------------
# kind per parameter name: how POST (JSON) and GET (URI) values are decoded
_KINDS = {
    "tx": "bytes",
    "hash": "hash",
    "data": "hex",
    "path": "str",
    "query": "str",
    "order_by": "str",
    "height": "int",
    "page": "int",
    "per_page": "int",
    "limit": "int",
    "prove": "bool",
}


class Params:
    def __init__(self, values: dict[str, Any], uri: bool = False) -> None:
        self.values = values
        self.uri = uri

    def _raw(self, name: str) -> Any:
        value = self.values.get(name)
        if self.uri and isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1]
        return value

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def get_str(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        if value is None:
            return default
        if not isinstance(value, str):
            raise invalid_params(f"{name} must be a string")
        return value

    def get_int(self, name: str, default: int = 0) -> int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise invalid_params(f"{name} must be an integer")
        if isinstance(value, int) and _INT64[0] <= value <= _INT64[1]:
            return value
        if isinstance(value, str) and len(value) <= 20:  # int64 digits and a sign; longer never parses
            try:
                number = int(value)
            except ValueError:
                pass
            else:
                if _INT64[0] <= number <= _INT64[1]:
                    return number
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        raise invalid_params(f"invalid 64-bit integer encoding for {name}: {shown}")

    def get_bool(self, name: str) -> bool:
        value = self._raw(name)
        if value is None or value == "":
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        raise invalid_params(f"{name} must be a boolean")

    def get_bytes(self, name: str) -> bytes:
        """`tx`: base64 in POST; 0x<hex> or "text" in GET."""
        value = self.values.get(name)
        if value is None:
            return b""
        if not isinstance(value, str):
            raise invalid_params(f"{name} must be a string")
        if self.uri:
            return _uri_bytes(name, value)
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise invalid_params(f"{name} is not valid base64") from None

    def get_hex(self, name: str) -> bytes:
        value = self.values.get(name)
        if value is None or value == "":
            return b""
        if not isinstance(value, str):
            raise invalid_params(f"{name} must be a string")
        if self.uri:
            return _uri_bytes(name, value)
        try:
            return bytes.fromhex(value.removeprefix("0x"))
        except ValueError:
            raise invalid_params(f"{name} is not valid hex") from None

    def get_hash(self, name: str) -> bytes:
        """A tx hash: hex (64 digits, optional 0x, as in GET and LocalRpc) or base64 (CometBFT POST)."""
        value = self.values.get(name)
        if not isinstance(value, str) or not value:
            raise invalid_params(f"{name} is required")
        text = value.strip('"')
        if not text:
            return b""
        # 0x is a hex prefix only before hex: base64 text may itself begin with "0x" (one hash in ~2,000).
        digits = text[2:] if text[:2] in ("0x", "0X") else text
        if len(digits) == 64:
            try:
                return bytes.fromhex(digits)
            except ValueError:
                pass
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise invalid_params(f"{name} is neither hex nor base64") from None


def _uri_bytes(name: str, value: str) -> bytes:
    if value.startswith(("0x", "0X")):
        try:
            return bytes.fromhex(value[2:])
        except ValueError:
            raise invalid_params(f"{name} is not valid hex") from None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].encode()
    raise invalid_params(f"{name} must be 0x-prefixed hex or a quoted string")

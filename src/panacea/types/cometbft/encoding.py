"""The encodings CometBFT hashes and serves: RFC 6962 merkle trees, protobuf varints, RFC 3339 times,
base64 and upper hex (``crypto/merkle``, ``libs/protoio``, ``libs/json`` of cometbft v0.38.25)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf import timestamp_pb2

_LEAF = b"\x00"
_INNER = b"\x01"
EMPTY_HASH = hashlib.sha256(b"").digest()


# --- merkle (crypto/merkle) -------------------------------------------------------------------------------
def _split_point(n: int) -> int:
    k = 1 << (n.bit_length() - 1)
    return k >> 1 if k == n else k


def merkle_hash(items: Sequence[bytes]) -> bytes:
    """merkle.HashFromByteSlices."""
    n = len(items)
    if n == 0:
        return EMPTY_HASH
    if n == 1:
        return hashlib.sha256(_LEAF + items[0]).digest()
    k = _split_point(n)
    return hashlib.sha256(_INNER + merkle_hash(items[:k]) + merkle_hash(items[k:])).digest()


def merkle_proofs(items: Sequence[bytes]) -> tuple[bytes, list[list[bytes]]]:
    """merkle.ProofsFromByteSlices: the root and, per item, its aunts from the leaf upwards."""
    n = len(items)
    if n == 0:
        return EMPTY_HASH, []
    if n == 1:
        return hashlib.sha256(_LEAF + items[0]).digest(), [[]]
    k = _split_point(n)
    left, left_aunts = merkle_proofs(items[:k])
    right, right_aunts = merkle_proofs(items[k:])
    root = hashlib.sha256(_INNER + left + right).digest()
    return root, [[*a, right] for a in left_aunts] + [[*a, left] for a in right_aunts]


def tx_hash(tx: bytes) -> bytes:
    return hashlib.sha256(tx).digest()


def txs_hash(txs: Sequence[bytes]) -> bytes:
    """Data.Hash: merkle of the SHA-256 of each tx (types/tx.go)."""
    return merkle_hash([tx_hash(tx) for tx in txs])


def address_of(pub_key: bytes) -> bytes:
    """crypto.AddressHash: first 20 bytes of sha256(ed25519 public key)."""
    return hashlib.sha256(pub_key).digest()[:20]


def uvarint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_uvarint(data: bytes, pos: int = 0) -> tuple[int, int]:
    shift = result = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("bad uvarint")
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


# --- time ---------------------------------------------------------------------------------------------------
def timestamp(ns: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=ns // 10**9, nanos=ns % 10**9)


def ts_ns(ts: timestamp_pb2.Timestamp) -> int:
    return int(ts.seconds) * 10**9 + int(ts.nanos)


def time_json(ns: int) -> str:
    """Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped)."""
    seconds, nanos = divmod(ns, 10**9)
    dt = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)  # fromtimestamp refuses year 1
    text = f"{dt.year:04d}-{dt:%m-%dT%H:%M:%S}"  # %Y does not pad year 1 (Go's zero time) to 0001
    if nanos:
        text += "." + f"{nanos:09d}".rstrip("0")
    return text + "Z"


def parse_time(text: str) -> int:
    """RFC 3339 (with up to 9 fractional digits) → ns since the epoch."""
    t = text.strip()
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    frac = 0
    if "." in t:
        head, rest = t.split(".", 1)
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        if not digits or len(digits) > 9:
            raise ValueError(f"invalid time {text!r}")
        frac = int(digits.ljust(9, "0"))
        t = head + rest
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        raise ValueError(f"invalid time {text!r}") from None
    if dt.tzinfo is None:
        raise ValueError(f"invalid time {text!r}: no time zone")
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    delta = dt - epoch
    return (delta.days * 86400 + delta.seconds) * 10**9 + frac


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hexu(data: bytes) -> str:
    return data.hex().upper()


def pb_field(number: int, data: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return uvarint(number << 3 | 2) + uvarint(len(data)) + data


# --- reading libs/json answers (strict: a malformed field is a ValueError naming its path) --------------------------
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_INTEGER = re.compile(r"-?[0-9]+")


def json_object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object, got {_kind(value)}")
    return value


def json_list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list, got {_kind(value)}")
    return value


def json_field(doc: dict[str, Any], key: str, where: str) -> Any:
    if key not in doc:
        raise ValueError(f"{where}.{key}: missing")
    return doc[key]


def json_int64(value: object, where: str) -> int:
    """An int64 or uint64 as libs/json writes it: a decimal string."""
    if not isinstance(value, str) or not _INTEGER.fullmatch(value):
        raise ValueError(f"{where}: expected an integer string, got {_kind(value)}")
    n = int(value)
    if not -(2**63) <= n < 2**64:
        raise ValueError(f"{where}: {value} is out of range")
    return n


def json_int32(value: object, where: str) -> int:
    """An int32 or uint32 as libs/json writes it: a JSON number."""
    if not isinstance(value, int) or isinstance(value, bool) or not -(2**31) <= value < 2**32:
        raise ValueError(f"{where}: expected a 32-bit integer, got {_kind(value)}")
    return value


def json_str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a string, got {_kind(value)}")
    return value


def json_hex(value: object, where: str) -> bytes:
    """HexBytes: hex digits (CometBFT writes upper case), "" for empty."""
    text = json_str(value, where)
    if len(text) % 2 or not _HEX_DIGITS.issuperset(text):
        raise ValueError(f"{where}: not hex")
    return bytes.fromhex(text)


def json_b64(value: object, where: str, *, nullable: bool = False) -> bytes:
    """[]byte: standard base64 (``null`` for empty where CometBFT writes it so)."""
    if value is None and nullable:
        return b""
    text = json_str(value, where)
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise ValueError(f"{where}: not base64") from None


def json_time(value: object, where: str) -> int:
    text = json_str(value, where)
    try:
        return parse_time(text)
    except ValueError:
        raise ValueError(f"{where}: not an RFC 3339 time") from None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, int, float)):
        return f"{type(value).__name__} {value!r}"
    return type(value).__name__

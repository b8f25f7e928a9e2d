"""Unsigned varints and Cosmos "MarshalLengthPrefixed" framing (uvarint(len) || bytes).

Used for store values (chain-reference §0) and for the ABCI socket protocol (cometbft.md §3).
Error texts follow the Go codec (`codec.ProtoCodec.UnmarshalLengthPrefixed`).
"""

from __future__ import annotations

from typing import Final, TypeVar

from google.protobuf.message import Message

MAX_UVARINT: Final = 2**64 - 1
_MAX_UVARINT_LEN: Final = 10

M = TypeVar("M", bound=Message)


class TruncatedError(ValueError):
    """The input ends before the varint or the framed payload is complete (a stream may wait for more)."""


_ONE_BYTE: Final = tuple(bytes((i,)) for i in range(0x80))


def encode_uvarint(value: int) -> bytes:
    """LEB128 encoding of an unsigned 64-bit integer."""
    if 0 <= value < 0x80:  # one byte: most lengths and counters
        return _ONE_BYTE[value]
    if 0x80 <= value < 0x4000:  # two bytes: the lengths of most stored records and tx bodies
        return bytes(((value & 0x7F) | 0x80, value >> 7))
    if value < 0 or value > MAX_UVARINT:
        raise ValueError(f"uvarint out of range: {value}")
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_uvarint(data: bytes | bytearray | memoryview, offset: int = 0) -> tuple[int, int]:
    """Read a uvarint at offset; return (value, offset just past it)."""
    if offset < len(data) and data[offset] < 0x80:  # one byte: most store value lengths
        return data[offset], offset + 1
    value = 0
    shift = 0
    for i in range(offset, min(len(data), offset + _MAX_UVARINT_LEN)):
        byte = data[i]
        if i - offset == _MAX_UVARINT_LEN - 1 and byte > 1:
            raise ValueError("uvarint overflows a 64-bit integer")
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i + 1
        shift += 7
    if len(data) - offset >= _MAX_UVARINT_LEN:
        raise ValueError("uvarint overflows a 64-bit integer")
    raise TruncatedError("uvarint is truncated")


def encode_length_prefixed(payload: bytes) -> bytes:
    return encode_uvarint(len(payload)) + payload


def read_length_prefixed(data: bytes, offset: int = 0) -> tuple[bytes, int]:
    """Read one frame from a stream buffer; return (payload, offset past it). TruncatedError if incomplete."""
    size, start = decode_uvarint(data, offset)
    end = start + size
    if end > len(data):
        raise TruncatedError(f"not enough bytes to read; want: {size}, got: {len(data) - start}")
    return bytes(data[start:end]), end


def decode_length_prefixed(data: bytes) -> bytes:
    """Exactly one frame filling the whole input (store values)."""
    if not data:
        return b""
    size, start = decode_uvarint(data)
    available = len(data) - start
    if size > available:
        raise TruncatedError(f"not enough bytes to read; want: {size}, got: {available}")
    if size < available:
        raise ValueError(f"too many bytes to read; want: {size}, got: {available}")
    return data[start:] if isinstance(data, bytes) else bytes(data[start:])


def marshal_length_prefixed(message: Message) -> bytes:
    return encode_length_prefixed(message.SerializeToString(deterministic=True))


def unmarshal_length_prefixed(data: bytes, cls: type[M]) -> M:
    message = cls()
    message.ParseFromString(decode_length_prefixed(data))
    return message

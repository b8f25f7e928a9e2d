from __future__ import annotations

import pytest
from google.protobuf import wrappers_pb2

from panacea.types import (
    TruncatedError,
    decode_length_prefixed,
    decode_uvarint,
    encode_length_prefixed,
    encode_uvarint,
    marshal_length_prefixed,
    read_length_prefixed,
    unmarshal_length_prefixed,
)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"), (2**64 - 1, "ffffffffffffffffff01")],
)
def test_uvarint(value: int, encoded: str) -> None:
    assert encode_uvarint(value).hex() == encoded
    assert decode_uvarint(bytes.fromhex(encoded)) == (value, len(encoded) // 2)


def test_uvarint_range_and_errors() -> None:
    with pytest.raises(ValueError, match="out of range"):
        encode_uvarint(-1)
    with pytest.raises(ValueError, match="out of range"):
        encode_uvarint(2**64)
    with pytest.raises(ValueError, match="overflows"):
        decode_uvarint(b"\xff" * 9 + b"\x02")
    with pytest.raises(ValueError, match="overflows"):
        decode_uvarint(b"\xff" * 11)
    with pytest.raises(TruncatedError, match="truncated"):
        decode_uvarint(b"\x80")
    with pytest.raises(TruncatedError):
        decode_uvarint(b"")
    assert decode_uvarint(b"\x00\xac\x02", 1) == (300, 3)


def test_length_prefixed_round_trip() -> None:
    for payload in (b"", b"x", bytes(range(256)) * 3):
        framed = encode_length_prefixed(payload)
        assert decode_length_prefixed(framed) == payload
    assert encode_length_prefixed(b"abc") == b"\x03abc"


def test_length_prefixed_errors_keep_go_texts() -> None:
    with pytest.raises(TruncatedError, match=r"^not enough bytes to read; want: 5, got: 3$"):
        decode_length_prefixed(b"\x05abc")
    with pytest.raises(ValueError, match=r"^too many bytes to read; want: 1, got: 2$"):
        decode_length_prefixed(b"\x01ab")
    with pytest.raises(TruncatedError):
        decode_length_prefixed(b"\x80")


def test_stream_framing() -> None:
    buf = encode_length_prefixed(b"\x12\x00") + encode_length_prefixed(b"hello") + b"\x05he"
    first, pos = read_length_prefixed(buf)
    second, pos = read_length_prefixed(buf, pos)
    assert (first, second) == (b"\x12\x00", b"hello")
    with pytest.raises(TruncatedError):
        read_length_prefixed(buf, pos)


def test_store_value_of_next_deal_number() -> None:
    # chain-reference §2.2: key 0x01 holds length-prefixed UInt64Value
    framed = marshal_length_prefixed(wrappers_pb2.UInt64Value(value=1))
    assert framed == b"\x02\x08\x01"
    assert unmarshal_length_prefixed(framed, wrappers_pb2.UInt64Value).value == 1
    assert unmarshal_length_prefixed(b"", wrappers_pb2.UInt64Value).value == 0

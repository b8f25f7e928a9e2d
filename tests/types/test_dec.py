from __future__ import annotations

from decimal import Decimal

import pytest

from panacea.types import (
    dec_from_json,
    dec_from_scaled,
    dec_from_wire,
    dec_to_json,
    dec_to_scaled,
    dec_to_wire,
    parse_dec,
)


@pytest.mark.parametrize(
    ("text", "wire", "json"),
    [
        ("0.1", "100000000000000000", "0.100000000000000000"),
        ("1", "1000000000000000000", "1.000000000000000000"),
        ("0", "0", "0.000000000000000000"),
        ("-1.5", "-1500000000000000000", "-1.500000000000000000"),
        ("-0.000000000000000001", "-1", "-0.000000000000000001"),
        (".5", "500000000000000000", "0.500000000000000000"),
        ("0.100000000000000000", "100000000000000000", "0.100000000000000000"),
        (
            "12345678901234567890.123456789012345678",
            "12345678901234567890123456789012345678",
            "12345678901234567890.123456789012345678",
        ),
    ],
)
def test_round_trips(text: str, wire: str, json: str) -> None:
    value = parse_dec(text)
    assert value == Decimal(text)
    assert dec_to_wire(value) == wire
    assert dec_to_json(value) == json
    assert dec_from_wire(wire) == value
    assert dec_from_json(json) == value


def test_empty_wire_string_is_zero() -> None:
    assert dec_from_wire("") == Decimal(0)


def test_from_scaled_is_exact_beyond_context_precision() -> None:
    scaled = 10**60 + 1
    value = dec_from_scaled(scaled)
    assert dec_to_scaled(value) == scaled
    assert dec_to_wire(value) == str(scaled)


def test_decimal_with_positive_exponent() -> None:
    assert dec_to_wire(Decimal("1E+2")) == "100000000000000000000"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1e5", "no exponent"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-inf", "Infinity"),
        ("", "expected digits"),
        ("1.", "expected digits"),
        ("+1", "expected digits"),
        (" 1", "expected digits"),
        ("1,5", "expected digits"),
        ("0.0000000000000000001", "too many fractional digits (19 > 18)"),
    ],
)
def test_parse_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="invalid decimal string") as info:
        parse_dec(text)
    assert fragment in str(info.value)


def test_to_wire_rejects_unrepresentable() -> None:
    with pytest.raises(ValueError, match="more than 18 fractional digits"):
        dec_to_wire(Decimal("1E-19"))
    with pytest.raises(ValueError, match="must be finite"):
        dec_to_wire(Decimal("NaN"))


@pytest.mark.parametrize("wire", ["0.1", "1e5", "abc", " 1", "+1"])
def test_from_wire_rejects(wire: str) -> None:
    with pytest.raises(ValueError, match="invalid decimal wire string"):
        dec_from_wire(wire)


def test_out_of_range() -> None:
    with pytest.raises(ValueError, match="out of range"):
        dec_from_wire(str(2**316))
    assert dec_from_wire(str(2**316 - 1)) == dec_from_scaled(2**316 - 1)

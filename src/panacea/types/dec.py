"""sdk.Dec (18 fractional digits) at the edges: protobuf wire string, JSON string and user input.

On the wire a Dec is the decimal string of the integer scaled by 10^18 (0.1 → "100000000000000000");
in JSON it is the plain decimal with exactly 18 fractional digits ("0.100000000000000000").
Arithmetic lives in the chain; this module only converts, never rounds.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal
from typing import Final

DEC_PRECISION: Final = 18
DEC_SCALE: Final = 10**DEC_PRECISION
# sdk.Dec rejects values whose scaled integer needs more than 256 + 60 bits (Go maxDecBitLen).
DEC_MAX_BIT_LEN: Final = 316

# scaleb under a context wide enough that no value we accept is ever rounded
_EXACT: Final = Context(prec=400, Emax=10**6, Emin=-(10**6))

_USER_RE: Final = re.compile(r"-?(?:[0-9]+|[0-9]*\.[0-9]+)")
_WIRE_RE: Final = re.compile(r"-?[0-9]+")


def dec_to_scaled(value: Decimal) -> int:
    """Exact integer value * 10^18; ValueError for non-finite values or more than 18 fractional digits."""
    if not value.is_finite():
        raise ValueError(f"invalid decimal {value}: must be finite")
    numerator, denominator = value.as_integer_ratio()
    scaled: int
    rest: int
    scaled, rest = divmod(numerator * DEC_SCALE, denominator)
    if rest:
        raise ValueError(f"invalid decimal {value}: more than {DEC_PRECISION} fractional digits")
    if scaled.bit_length() > DEC_MAX_BIT_LEN:
        _check_range(scaled, str(value))
    return scaled


def dec_from_scaled(scaled: int) -> Decimal:
    """The Decimal whose value is scaled / 10^18, exact (no context rounding) with exponent -18."""
    return Decimal(scaled).scaleb(-DEC_PRECISION, _EXACT)


def dec_to_wire(value: Decimal) -> str:
    """Protobuf wire form: the scaled integer as a decimal string ("0" for zero)."""
    return str(dec_to_scaled(value))


def dec_from_wire(text: str) -> Decimal:
    """Read the protobuf wire form; an empty string (field absent) is zero."""
    if text == "":
        return dec_from_scaled(0)
    if not _WIRE_RE.fullmatch(text):
        raise ValueError(f"invalid decimal wire string {text!r}: expected an integer scaled by 10^18")
    scaled = int(text)
    _check_range(scaled, text)
    return dec_from_scaled(scaled)


def dec_to_json(value: Decimal) -> str:
    """JSON / String() form with exactly 18 fractional digits, e.g. "-1.500000000000000000"."""
    scaled = dec_to_scaled(value)
    integer, fraction = divmod(abs(scaled), DEC_SCALE)
    return f"{'-' if scaled < 0 else ''}{integer}.{fraction:0{DEC_PRECISION}d}"


def parse_dec(text: str) -> Decimal:
    """Parse user or JSON input like "0.1", "-2", ".5", "0.100000000000000000" (sdk.NewDecFromStr rules)."""
    if not _USER_RE.fullmatch(text):
        raise ValueError(
            f"invalid decimal string {text!r}: expected digits with an optional '-' sign and '.' "
            "(no exponent, NaN or Infinity)"
        )
    fraction = text.partition(".")[2]
    if len(fraction) > DEC_PRECISION:
        raise ValueError(
            f"invalid decimal string {text!r}: too many fractional digits ({len(fraction)} > {DEC_PRECISION})"
        )
    return dec_from_scaled(dec_to_scaled(Decimal(text)))


def dec_from_json(text: str) -> Decimal:
    """Read the JSON form (same grammar as user input)."""
    return parse_dec(text)


def _check_range(scaled: int, shown: str) -> None:
    if scaled.bit_length() > DEC_MAX_BIT_LEN:
        raise ValueError(f"invalid decimal {shown}: out of range (more than {DEC_MAX_BIT_LEN} bits)")

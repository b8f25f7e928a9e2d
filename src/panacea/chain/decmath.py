"""sdk.Dec arithmetic, bit-for-bit: values are integers scaled by 10^18, products and quotients are
chopped with banker's rounding exactly like the Go implementation (``chopPrecisionAndRound``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from panacea.types.dec import DEC_SCALE, dec_from_scaled, dec_to_scaled

SCALE: int = DEC_SCALE
SQUARED_SCALE: int = DEC_SCALE * DEC_SCALE
ONE: Final = Decimal(1)
ZERO: Final = Decimal(0)


def _chop(x: int) -> int:
    if x < 0:
        return -_chop(-x)
    q, r = divmod(x, SCALE)
    half = SCALE // 2
    if r > half or (r == half and q % 2 == 1):
        q += 1
    return q


def mul_scaled(a: int, b: int) -> int:
    """Dec.Mul on scaled integers."""
    return _chop(a * b)


def quo_scaled(a: int, b: int) -> int:
    """Dec.Quo on scaled integers: times 10^36, truncating division, then chop."""
    if b == 0:
        raise ZeroDivisionError("division by zero")
    num = a * SQUARED_SCALE
    q = abs(num) // abs(b)  # big.Int.Quo truncates toward zero
    if (num < 0) != (b < 0):
        q = -q
    return _chop(q)


def truncate_scaled(a: int) -> int:
    """Dec.TruncateInt on a scaled integer (toward zero)."""
    q = abs(a) // SCALE
    return -q if a < 0 else q


def mul(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(mul_scaled(dec_to_scaled(a), dec_to_scaled(b)))


def quo(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(quo_scaled(dec_to_scaled(a), dec_to_scaled(b)))


def sub(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(dec_to_scaled(a) - dec_to_scaled(b))


def add(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(dec_to_scaled(a) + dec_to_scaled(b))


def truncate_int(a: Decimal) -> int:
    """sdk.Dec.TruncateInt: drop the fraction (toward zero)."""
    return truncate_scaled(dec_to_scaled(a))


def from_int(n: int) -> Decimal:
    return dec_from_scaled(n * DEC_SCALE)

"""sdk.Dec arithmetic, bit-for-bit: values are integers scaled by 10^18, products and quotients are
chopped with banker's rounding exactly like the Go implementation (``chopPrecisionAndRound``)."""

from __future__ import annotations

from decimal import Decimal

from panacea.types.dec import DEC_SCALE, dec_from_scaled, dec_to_scaled

SCALE: int = DEC_SCALE
ONE = Decimal(1)
ZERO = Decimal(0)


def _chop(x: int) -> int:
    if x < 0:
        return -_chop(-x)
    q, r = divmod(x, SCALE)
    half = SCALE // 2
    if r > half or (r == half and q % 2 == 1):
        q += 1
    return q


def mul(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(_chop(dec_to_scaled(a) * dec_to_scaled(b)))


def quo(a: Decimal, b: Decimal) -> Decimal:
    bi = dec_to_scaled(b)
    if bi == 0:
        raise ZeroDivisionError("division by zero")
    num = dec_to_scaled(a) * DEC_SCALE * DEC_SCALE
    q = abs(num) // abs(bi)  # big.Int.Quo truncates toward zero
    if (num < 0) != (bi < 0):
        q = -q
    return dec_from_scaled(_chop(q))


def sub(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(dec_to_scaled(a) - dec_to_scaled(b))


def add(a: Decimal, b: Decimal) -> Decimal:
    return dec_from_scaled(dec_to_scaled(a) + dec_to_scaled(b))


def truncate_int(a: Decimal) -> int:
    """sdk.Dec.TruncateInt: drop the fraction (toward zero)."""
    i = dec_to_scaled(a)
    q = abs(i) // SCALE
    return -q if i < 0 else q


def from_int(n: int) -> Decimal:
    return dec_from_scaled(n * DEC_SCALE)

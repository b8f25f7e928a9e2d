"""Fee and gas arithmetic of a tx (no I/O): fixed fees or gas × price, simulated gas × adjustment."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from panacea.client.types import Fee
from panacea.types.coins import DENOM, parse_coins

DEFAULT_GAS_ADJUSTMENT = 1.3


def fee_amount(fee: Fee, gas: int, gas_price: Decimal | str | None = None) -> int:
    """Fee in umed from ``2000``, ``"2000umed"`` or a gas price (``0.025``: fee = ceil(gas × price))."""
    if gas_price is not None:
        try:
            price = Decimal(str(gas_price).removesuffix(DENOM))
        except InvalidOperation:
            raise ValueError(f"invalid gas price {gas_price!r}") from None
        if not price.is_finite() or price < 0:
            raise ValueError(f"invalid gas price {gas_price!r}")
        return math.ceil(price * gas)
    if isinstance(fee, int):
        if fee < 0:
            raise ValueError(f"negative fee {fee}")
        return fee
    coins = parse_coins(fee)
    if any(c.denom != DENOM for c in coins):
        raise ValueError(f"fees must be paid in {DENOM}, got {fee!r}")
    return sum(c.amount for c in coins)


def gas_limit(simulated: int, adjustment: float) -> int:
    """The gas limit to sign for a simulated gas use (the SDK's ``--gas-adjustment``)."""
    return max(1, math.ceil(simulated * adjustment))

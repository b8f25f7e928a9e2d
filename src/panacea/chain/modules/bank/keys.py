"""Store layout of x/bank (SDK 0.45 ``x/bank/types/key.go``)."""

from __future__ import annotations

from typing import Final

MODULE_NAME: Final = "bank"
STORE: Final = b"bank/"
SUPPLY_PREFIX: Final = b"\x00"
SUPPLY_PREFIX_END: Final = b"\x01"
BALANCES_PREFIX: Final = b"\x02"
BALANCES_PREFIX_END: Final = b"\x03"
PARAMS_KEY: Final = b"\x10params"  # x/params in the SDK (decision 9: each module keeps its own params)


def balance_key(address: bytes, denom: str = "") -> bytes:
    """``0x02 ‖ len(addr) ‖ addr ‖ denom``; without a denom, the prefix of the account's balances."""
    return BALANCES_PREFIX + bytes([len(address)]) + address + denom.encode()

"""Deterministic gas metering (the Cosmos SDK's KV and tx-size costs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from panacea.chain.errors import ErrOutOfGas


@dataclass(frozen=True)
class GasConfig:
    has_cost: int = 1000
    delete_cost: int = 1000
    read_cost_flat: int = 1000
    read_cost_per_byte: int = 3
    write_cost_flat: int = 2000
    write_cost_per_byte: int = 30
    iter_next_cost_flat: int = 30
    tx_size_cost_per_byte: int = 10
    sig_verify_cost_secp256k1: int = 1000


KV_GAS: Final = GasConfig()


class OutOfGas(Exception):
    """Raised inside execution; the app turns it into ErrOutOfGas with the Cosmos log text."""

    def __init__(self, descriptor: str, limit: int, consumed: int) -> None:
        super().__init__(descriptor)
        self.descriptor = descriptor
        self.limit = limit
        self.consumed = consumed

    def log(self) -> str:
        return ErrOutOfGas.wrap(
            f"out of gas in location: {self.descriptor}; gasWanted: {self.limit}, gasUsed: {self.consumed}"
        ).log


class GasMeter:
    __slots__ = ("consumed", "limit")

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.consumed = 0

    def consume(self, amount: int, descriptor: str) -> None:
        self.consumed += amount
        if self.limit is not None and self.consumed > self.limit:
            raise OutOfGas(descriptor, self.limit, self.consumed)

    def consume_two(self, first: int, first_descriptor: str, second: int, second_descriptor: str) -> None:
        """``consume(first, …)`` then ``consume(second, …)`` in one call (the flat + per-byte pairs of the
        per-op path); the limit is checked after each, exactly as two calls would."""
        limit = self.limit
        consumed = self.consumed + first
        if limit is not None and consumed > limit:
            self.consumed = consumed
            raise OutOfGas(first_descriptor, limit, consumed)
        self.consumed = consumed = consumed + second
        if limit is not None and consumed > limit:
            raise OutOfGas(second_descriptor, limit, consumed)

    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.consumed, 0)

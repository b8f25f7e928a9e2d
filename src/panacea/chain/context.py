"""The execution context handed to keepers: block header facts, gas, events and module stores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from panacea.chain.events import Event
from panacea.chain.gas import KV_GAS, GasConfig, GasMeter
from panacea.chain.kv import CacheKV, KVStore, StoreView

NANOS_PER_SECOND: Final = 1_000_000_000
NANOS_PER_HOUR: Final = 3600 * NANOS_PER_SECOND


@dataclass(frozen=True)
class BlockInfo:
    """What a block's header says; the only clock the state machine has."""

    height: int
    time_ns: int
    chain_id: str
    proposer: bytes = b""


class _Views(dict[bytes, StoreView]):
    """A context's store views by prefix, each made when first asked for."""

    __slots__ = ("_cache", "_cfg", "_meter")

    def __init__(self, cache: KVStore, meter: GasMeter, cfg: GasConfig) -> None:
        super().__init__()
        self._cache = cache
        self._meter = meter
        self._cfg = cfg

    def __missing__(self, prefix: bytes) -> StoreView:
        view = self[prefix] = StoreView(self._cache, prefix, self._meter, self._cfg)
        return view


class Context:
    __slots__ = ("block", "cache", "check_tx", "events", "gas", "gas_cfg", "kv")

    kv: Callable[[bytes], StoreView]
    """``ctx.kv(prefix)``: the gas-metered view of one module's key space, made on first use. It is the
    ``__getitem__`` of this context's views, so a keeper's every store access skips a Python call."""

    def __init__(
        self,
        cache: KVStore,
        block: BlockInfo,
        gas: GasMeter | None = None,
        *,
        check_tx: bool = False,
        gas_cfg: GasConfig = KV_GAS,
    ) -> None:
        self.cache = cache
        self.block = block
        self.gas = gas if gas is not None else GasMeter(None)
        self.check_tx = check_tx
        self.gas_cfg = gas_cfg
        self.events: list[Event] = []
        self.kv = _Views(cache, self.gas, gas_cfg).__getitem__

    @property
    def height(self) -> int:
        return self.block.height

    @property
    def time_ns(self) -> int:
        return self.block.time_ns

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def branch(self) -> tuple[Context, CacheKV]:
        """A child context whose writes are kept only if the caller flushes the returned cache."""
        cache = CacheKV(self.cache)
        child = Context(cache, self.block, self.gas, check_tx=self.check_tx, gas_cfg=self.gas_cfg)
        return child, cache

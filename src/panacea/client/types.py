"""Value types the chain client returns (plain frozen dataclasses, no I/O)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from panacea.types.events import Event

Gas = int | Literal["auto"]
Fee = int | str


@dataclass(frozen=True)
class Account:
    """An auth account as a sender needs it: number and sequence sign txs."""

    address: str
    number: int
    sequence: int
    pubkey: bytes | None  # compressed secp256k1, None until the account's first tx


@dataclass(frozen=True)
class Status:
    """The parts of CometBFT ``status`` a client acts on."""

    chain_id: str
    latest_height: int
    latest_block_time: str
    latest_block_hash: str
    latest_app_hash: str
    moniker: str
    catching_up: bool


@dataclass(frozen=True)
class BroadcastResult:
    """CheckTx accepted the tx (a rejection raises BroadcastError instead)."""

    tx_hash: str
    code: int
    codespace: str
    log: str


@dataclass(frozen=True)
class TxResponse:
    """A tx's result in a committed block."""

    tx_hash: str
    height: int
    code: int
    codespace: str
    raw_log: str
    gas_wanted: int
    gas_used: int
    data: bytes
    events: tuple[Event, ...]

    @property
    def ok(self) -> bool:
        return self.code == 0

    def attribute(self, event_type: str, key: str) -> str | None:
        """The first value of ``key`` in an event of ``event_type`` (e.g. the oracle's registration events)."""
        for ev in self.events:
            if ev.type == event_type:
                for k, v in ev.attributes:
                    if k == key:
                        return v
        return None

    def to_json(self) -> dict[str, object]:
        """Cosmos ``TxResponse`` JSON (what ``panacead tx`` prints)."""
        return {
            "height": str(self.height),
            "txhash": self.tx_hash,
            "codespace": self.codespace,
            "code": self.code,
            "data": self.data.hex().upper(),
            "raw_log": self.raw_log,
            "gas_wanted": str(self.gas_wanted),
            "gas_used": str(self.gas_used),
            "events": [e.to_json() for e in self.events],
        }


def tx_hash(tx_bytes: bytes) -> str:
    """The CometBFT tx hash: upper-case hex SHA-256 of the TxRaw bytes."""
    return hashlib.sha256(tx_bytes).hexdigest().upper()

"""What executing a block produced, as CometBFT stores and serves it: tx results, FinalizeBlock results,
the indexed tx record, and their JSON (``abci/types.proto``, ``rpc/core/types`` and ``types/events.go``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from panacea.types.cometbft.encoding import b64, hexu, merkle_proofs, pb_field, tx_hash
from panacea.types.cometbft.types import Block, BlockID
from panacea.types.events import Event
from panacea.types.pb.tendermint.abci import types_pb2 as abci_pb2


def event_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"type": event.type}
    if event.attributes:
        out["attributes"] = [{"key": k, "value": v, "index": True} for k, v in event.attributes]
    return out


@dataclass
class ExecResult:
    """An ExecTxResult / ResponseCheckTx as stored and served."""

    code: int = 0
    data: bytes = b""
    log: str = ""
    info: str = ""
    gas_wanted: int = 0
    gas_used: int = 0
    events: list[Event] = field(default_factory=list)
    codespace: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.code:
            out["code"] = self.code
        if self.data:
            out["data"] = b64(self.data)
        if self.log:
            out["log"] = self.log
        if self.info:
            out["info"] = self.info
        if self.gas_wanted:
            out["gas_wanted"] = str(self.gas_wanted)
        if self.gas_used:
            out["gas_used"] = str(self.gas_used)
        if self.events:
            out["events"] = [event_json(e) for e in self.events]
        if self.codespace:
            out["codespace"] = self.codespace
        return out

    def to_bytes(self) -> bytes:
        return bytes(self.to_proto().SerializeToString())

    def to_proto(self) -> abci_pb2.ExecTxResult:
        pb = abci_pb2.ExecTxResult(
            code=self.code,
            data=self.data,
            log=self.log,
            info=self.info,
            gas_wanted=self.gas_wanted,
            gas_used=self.gas_used,
            codespace=self.codespace,
        )
        for e in self.events:
            ev = pb.events.add(type=e.type)
            for k, v in e.attributes:
                ev.attributes.add(key=k, value=v, index=True)
        return pb

    @staticmethod
    def from_proto(pb: abci_pb2.ExecTxResult) -> ExecResult:
        return ExecResult(
            code=pb.code,
            data=pb.data,
            log=pb.log,
            info=pb.info,
            gas_wanted=pb.gas_wanted,
            gas_used=pb.gas_used,
            events=events_from_proto(pb.events),
            codespace=pb.codespace,
        )

    @property
    def deterministic(self) -> tuple[int, bytes, int, int]:
        return (self.code, self.data, self.gas_wanted, self.gas_used)


def events_from_proto(events: Any) -> list[Event]:
    return [Event.from_pairs(e.type, ((a.key, a.value) for a in e.attributes)) for e in events]


def events_to_proto(target: Any, events: Sequence[Event]) -> None:
    for e in events:
        ev = target.add(type=e.type)
        for k, v in e.attributes:
            ev.attributes.add(key=k, value=v, index=True)


@dataclass(frozen=True)
class BlockResults:
    """ResponseFinalizeBlock as stored (validator and param updates are always empty here)."""

    tx_results: list[ExecResult]
    events: list[Event]
    app_hash: bytes

    def to_bytes(self, encoded_results: Sequence[bytes] | None = None) -> bytes:
        """ResponseFinalizeBlock bytes (fields in order); `encoded_results` saves re-encoding the tx results."""
        if encoded_results is None:
            encoded_results = [r.to_bytes() for r in self.tx_results]
        pb = abci_pb2.ResponseFinalizeBlock()
        events_to_proto(pb.events, self.events)
        parts = [pb.SerializeToString(), *(pb_field(2, r) for r in encoded_results)]
        if self.app_hash:
            parts.append(pb_field(5, self.app_hash))
        return b"".join(parts)

    @staticmethod
    def from_bytes(data: bytes) -> BlockResults:
        pb = abci_pb2.ResponseFinalizeBlock.FromString(data)
        return BlockResults([ExecResult.from_proto(r) for r in pb.tx_results], events_from_proto(pb.events),
                            pb.app_hash)


@dataclass(frozen=True)
class TxRecord:
    """abci.TxResult: where a tx landed and what it did."""

    hash: bytes
    height: int
    index: int
    tx: bytes
    result: ExecResult

    def special(self) -> dict[str, list[str]]:
        return {"tx.hash": [hexu(self.hash)], "tx.height": [str(self.height)]}


# --- JSON shapes --------------------------------------------------------------------------------------------
def tx_result_json(rec: TxRecord, prove: bool = False, block: Block | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "hash": hexu(rec.hash),
        "height": str(rec.height),
        "index": rec.index,
        "tx_result": rec.result.to_json(),
        "tx": b64(rec.tx),
    }
    if prove and block is not None:
        root, aunts = merkle_proofs([tx_hash(t) for t in block.txs])
        out["proof"] = {
            "root_hash": hexu(root),
            "data": b64(rec.tx),
            "proof": {
                "total": str(len(block.txs)),
                "index": str(rec.index),
                "leaf_hash": b64(_leaf(tx_hash(rec.tx))),
                "aunts": [b64(a) for a in aunts[rec.index]],
            },
        }
    return out


def _leaf(item: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + item).digest()


def finalize_block_json(results: BlockResults) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if results.events:
        out["events"] = [event_json(e) for e in results.events]
    if results.tx_results:
        out["tx_results"] = [r.to_json() for r in results.tx_results]
    if results.app_hash:
        out["app_hash"] = b64(results.app_hash)
    return out


def event_data_tx(rec: TxRecord) -> dict[str, Any]:
    inner: dict[str, Any] = {"height": str(rec.height)}
    if rec.index:
        inner["index"] = rec.index
    inner["tx"] = b64(rec.tx)
    inner["result"] = rec.result.to_json()
    return {"type": "tendermint/event/Tx", "value": {"TxResult": inner}}


def event_data_new_block(block: Block, block_id: BlockID, results: BlockResults) -> dict[str, Any]:
    return {
        "type": "tendermint/event/NewBlock",
        "value": {"block": block.to_json(), "block_id": block_id.to_json(),
                  "result_finalize_block": finalize_block_json(results)},
    }

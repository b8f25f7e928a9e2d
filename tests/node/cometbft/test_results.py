"""ABCI results: only the deterministic fields are hashed, and the direct encodings equal protobuf's."""

from __future__ import annotations

import hashlib

from panacea.node.cometbft.results import BlockResults, ExecResult
from panacea.types.cometbft.encoding import EMPTY_HASH, merkle_hash
from panacea.types.cometbft.types import results_hash
from panacea.types.events import Event
from panacea.types.pb.tendermint.abci import types_pb2 as abci_pb2


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_results_hash_uses_only_deterministic_fields() -> None:
    # types/results_test.go: an empty ExecTxResult marshals to no bytes
    assert results_hash([(0, b"", 0, 0)]) == sha(b"\x00")
    a = ExecResult(code=14, data=b"foo", log="x", gas_wanted=5, gas_used=3, events=[Event.of("a", ("k", "v"))])
    b = ExecResult(code=14, data=b"foo", log="other", gas_wanted=5, gas_used=3)
    assert results_hash([a.deterministic]) == results_hash([b.deterministic])
    assert results_hash([a.deterministic]) == merkle_hash([bytes.fromhex("080e1203666f6f28053003")])
    assert results_hash([]) == EMPTY_HASH


def test_direct_encodings_equal_protobuf() -> None:
    r = ExecResult(code=11, data=b"\x01" * 200, log="l" * 300, info="i", gas_wanted=2**40, gas_used=7,
                   events=[Event.of("message", ("action", "send"), ("", "empty key"), ("k", "")), Event("", ())],
                   codespace="sdk")
    assert r.to_bytes() == r.to_proto().SerializeToString()
    assert ExecResult().to_bytes() == b""
    results = BlockResults([r, ExecResult()], [Event.of("block", ("h", "1"))], sha(b"app"))
    pb = abci_pb2.ResponseFinalizeBlock(app_hash=sha(b"app"), tx_results=[r.to_proto(), ExecResult().to_proto()])
    pb.events.add(type="block").attributes.add(key="h", value="1", index=True)
    assert results.to_bytes() == pb.SerializeToString()
    assert BlockResults.from_bytes(results.to_bytes()) == results

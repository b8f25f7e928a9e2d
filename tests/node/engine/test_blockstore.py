"""The block store's results and tx index, searched with the event query language (kv indexer)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from panacea.node.cometbft.query import parse_query
from panacea.node.cometbft.results import BlockResults, ExecResult
from panacea.node.engine.blockstore import BlockStore
from panacea.types.events import Event


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_blockstore_index_and_search(tmp_path: Path) -> None:
    store = BlockStore(tmp_path / "blocks")
    txs = [b"tx-a", b"tx-b", b"tx-c"]
    hashes = [sha(t) for t in txs]
    results = BlockResults([
        ExecResult(events=[Event.of("message", ("action", "send"), ("sender", "alice")),
                           Event.of("transfer", ("amount", "5umed"))]),
        ExecResult(code=5, log="insufficient funds", events=[Event.of("message", ("action", "send"),
                                                                     ("sender", "bob"))]),
        ExecResult(events=[Event.of("message", ("action", "RegisterOracle")),
                           Event.of("message", ("sender", "carol"))]),
    ], [], sha(b"app"))
    store.save_results(7, txs, hashes, results)
    assert store.results(7) == results

    def found(q: str) -> list[tuple[int, int]]:
        return [(r.height, r.index) for r in store.search_txs(parse_query(q))]

    assert found("message.action='send'") == [(7, 0), (7, 1)]
    assert found("message.action='send' AND message.sender='bob'") == [(7, 1)]
    # conditions on one event type hold within a single event (kv indexer)
    assert found("message.action='RegisterOracle' AND message.sender='carol'") == []
    assert found("tx.height>=7 AND tx.height<8") == [(7, 0), (7, 1), (7, 2)]
    assert found("tx.height>7") == []
    assert found(f"tx.hash='{hashes[2].hex().upper()}'") == [(7, 2)]
    assert found("message.sender CONTAINS 'o'") == [(7, 1), (7, 2)]
    assert found("transfer.amount EXISTS") == [(7, 0)]
    assert found("tm.event='Tx'") == []
    rec = store.tx(hashes[1])
    assert rec is not None and (rec.height, rec.index, rec.tx, rec.result.code) == (7, 1, b"tx-b", 5)
    store.close()

"""Seeded randomized simulation: invariants after every block, determinism, export/import."""

from __future__ import annotations

from pathlib import Path

import pytest

from panacea.chain.app import App
from panacea.chain.context import BlockInfo
from panacea.chain.store import Store
from panacea.sim.harness import CHAIN_ID, Simulation


@pytest.mark.slow
def test_same_seed_same_app_hash_at_every_height_over_2000_blocks(tmp_path: Path) -> None:
    a = Simulation(11, tmp_path / "a")
    b = Simulation(11, tmp_path / "b")
    try:
        a.start()
        b.start()
        for _ in range(2000):  # invariants are checked inside after every block
            a.next_block()
            b.next_block()
            assert a.hashes[-1] == b.hashes[-1], f"height {a.height}"
        assert a.height == 2001
        assert a.stats["tx-ok"] > 2000 and a.stats["consent-valid"] > 500
        assert len(set(a.hashes)) > 1000
    finally:
        a.close()
        b.close()


def test_different_seeds_diverge(tmp_path: Path) -> None:
    a = Simulation(1, tmp_path / "a")
    b = Simulation(2, tmp_path / "b")
    try:
        assert a.run(30)[-1] != b.run(30)[-1]
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("digest", ["sha256", "legacy"])
def test_export_at_height_and_reimport_gives_the_same_app_hash(tmp_path: Path, digest: str) -> None:
    sim = Simulation(5, tmp_path / "sim", digest=digest)
    try:
        sim.run(150)
        height = sim.height
        exported = sim.app.export_genesis()
        root = sim.store.root_hash(height)
        with Store(str(tmp_path / "imported")) as store:
            app = App(store)
            assert app.init_chain(CHAIN_ID, exported, initial_height=height + 1) == root
            # and both chains agree on the next block too
            block = BlockInfo(height + 1, sim.time_ns + 5 * 10**9, CHAIN_ID)
            assert app.finalize_block(block, []).app_hash == sim.app.finalize_block(block, []).app_hash
            app.commit()
            assert app.export_genesis() == exported
    finally:
        sim.close()


def test_the_simulation_creates_updates_and_deactivates_dids(tmp_path: Path) -> None:
    sim = Simulation(3, tmp_path / "sim")
    try:
        sim.run(120)
        records = dict(sim.app.did.iterate(sim.app.query_context(None)))
        sequences = sorted(r.sequence for r in records.values())
        assert len(records) == len(sim.did_keys) and sequences[-1] >= 2
        assert any(r.document.id == "" for r in records.values())  # a tombstone
        assert any(r.document.id != "" for r in records.values())  # and a live DID
        for kind in ("did-create", "did-create-forged", "did-update", "did-update-stale", "did-update-replay",
                     "did-update-forged", "did-deactivate"):
            assert sim.stats.get(kind, 0) > 0, (kind, sim.stats)
        exported = sim.app.export_genesis()["did"]["documents"]
        assert sorted(exported) == sorted(k[1:].decode() for k in records)
    finally:
        sim.close()

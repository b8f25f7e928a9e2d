"""The light client's LMDB store: blocks survive a reopen, a new trust root drops them, pruning keeps the root."""

from __future__ import annotations

from pathlib import Path

from panacea.client.light.store import LightStore
from tests.client.light.kit import make_chain


def test_blocks_persist_per_trust_root_and_pruning_keeps_the_root(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 8)
    store = LightStore(tmp_path / "lc", keep=3)
    assert store.load(*chain.root) == []
    assert store.save(chain[1]) == [] and store.save(chain[2]) == [] and store.save(chain[3]) == []
    assert store.save(chain[4]) == []  # the root and the newest 3
    assert store.save(chain[6]) == [2]
    assert store.save(chain[5]) == [3]
    store.close()

    again = LightStore(tmp_path / "lc", keep=3)
    assert [b.height for b in again.load(*chain.root)] == [1, 4, 5, 6]
    assert again.load(*chain.root)[3] == chain[6]
    assert again.load(6, chain[6].hash) == []  # another trust root: the old blocks are not its descendants
    assert again.load(*chain.root) == []
    again.close()
    assert (tmp_path / "lc").stat().st_mode & 0o777 == 0o700


def test_two_stores_of_one_path_share_the_process_environment(tmp_path: Path) -> None:
    first, second = LightStore(tmp_path / "lc"), LightStore(tmp_path / "lc")
    assert first.env is second.env
    first.close()
    first.close()  # twice is harmless
    assert second.load(1, bytes(32)) == []  # still open for the other user
    second.close()
    third = LightStore(tmp_path / "lc")
    assert third.env is not first.env
    third.close()

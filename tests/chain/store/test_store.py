import random
from pathlib import Path

import pytest

from panacea.chain.store import Store
from panacea.crypto.merkle import verify_proof
from tests.chain.store.store_reference import reference_root, reference_tree

# Keys with 0x00 bytes and prefix relations stress the escaped history-key encoding.
KEY_POOL = [b"a", b"a\x00", b"a\x00\x00", b"a\x00\x01", b"a\xff", b"ab", b"b", b"\x00", b"\x00\x00", b"\xff"]


def _random_history(store: Store, seed: int, versions: int) -> dict[int, dict[bytes, bytes]]:
    rng = random.Random(seed)
    state: dict[bytes, bytes] = {}
    snapshots: dict[int, dict[bytes, bytes]] = {}
    for version in range(1, versions + 1):
        changes: dict[bytes, bytes | None] = {}
        for _ in range(rng.randrange(8)):
            key = rng.choice(KEY_POOL) + (rng.randbytes(1) if rng.random() < 0.3 else b"")
            changes[key] = None if rng.random() < 0.3 else rng.randbytes(rng.randrange(3))
        store.commit(changes, version)
        for key, value in changes.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        snapshots[version] = dict(state)
    return snapshots


def _entries(store: Store, table: object) -> int:
    with store._env.begin() as txn:
        return int(txn.stat(table)["entries"])


def test_get_and_iterate_at_every_version(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        snapshots = _random_history(store, seed=3, versions=60)
        probe_keys = sorted({key for snap in snapshots.values() for key in snap} | set(KEY_POOL))
        bounds = [None, b"", b"a", b"a\x00", b"a\x00\x01", b"ab", b"\x00\x00"]
        for version, snap in snapshots.items():
            ordered = sorted(snap.items())
            assert list(store.iterate(version=version)) == ordered
            assert list(store.iterate(version=version, reverse=True)) == ordered[::-1]
            for key in probe_keys:
                assert store.get(key, version) == snap.get(key)
            for start in bounds:
                for end in bounds:
                    expected = [
                        (k, v) for k, v in ordered if (start is None or k >= start) and (end is None or k < end)
                    ]
                    assert list(store.iterate(start, end, version=version)) == expected
                    assert list(store.iterate(start, end, version=version, reverse=True)) == expected[::-1]
        latest = snapshots[60]
        assert list(store.iterate()) == sorted(latest.items())
        assert [store.get(key) for key in probe_keys] == [latest.get(key) for key in probe_keys]


def test_delete_and_empty_value(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.commit({b"k": b"", b"j": b"1"}, 1)
        store.commit({b"k": None, b"absent": None}, 2)
        store.commit({b"k": b"again"}, 3)
        assert store.get(b"k", 1) == b""
        assert store.get(b"k", 2) is None
        assert store.get(b"k") == b"again"
        assert list(store.iterate(version=2)) == [(b"j", b"1")]
        assert store.root_hash(1) != store.root_hash(2)
        assert store.root_hash(2) == reference_root({b"j": b"1"})


def test_first_commit_may_start_at_any_height(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.commit({b"k": b"v"}, 1000)
        assert store.version == 1000
        assert store.earliest_version == 1000
        with pytest.raises(ValueError, match=r"^version 999 is not available \(available: 1000\.\.1000\)$"):
            store.get(b"k", 999)
        store.commit({b"k": b"w"}, 1001)
        assert store.get(b"k", 1000) == b"v"


def test_wrong_version_or_bad_input_changes_nothing(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        with pytest.raises(ValueError, match=r"^cannot commit version 0: expected any version >= 1$"):
            store.commit({b"k": b"v"}, 0)
        root = store.commit({b"k": b"v"}, 1)
        for bad in (1, 3):
            with pytest.raises(ValueError, match=rf"^cannot commit version {bad}: expected version 2$"):
                store.commit({b"k": b"changed", b"new": b"x"}, bad, meta={b"m": b"x"})
        with pytest.raises(ValueError, match=r"^empty key$"):
            store.commit({b"k": b"changed", b"": b"x"}, 2)
        with pytest.raises(ValueError, match=r"^empty key$"):
            store.get(b"")
        assert store.version == 1
        assert store.root_hash() == root
        assert store.get(b"k") == b"v"
        assert store.get(b"new") is None
        assert store.get_meta(b"m") is None
        with pytest.raises(ValueError, match=r"^version 2 is not available \(available: 1\.\.1\)$"):
            store.root_hash(2)


def test_persists_across_reopen(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.commit({b"a": b"1", b"b": b"2"}, 1, meta={b"last_block": b"h1"})
        root = store.commit({b"a": None, b"c": b"3"}, 2, meta={b"last_block": b"h2"})
    with Store(str(tmp_path)) as store:
        assert store.version == 2
        assert store.root_hash() == root
        assert store.get_meta(b"last_block") == b"h2"
        assert list(store.iterate()) == [(b"b", b"2"), (b"c", b"3")]
        assert store.get(b"a", 1) == b"1"
        assert store.commit({b"d": b"4"}, 3) == reference_root({b"b": b"2", b"c": b"3", b"d": b"4"})


def test_prune_keeps_recent_versions(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        snapshots = _random_history(store, seed=9, versions=40)
        for version in range(41, 61):  # hot keys rewritten every block leave many stale nodes behind
            hot = {key: bytes([version]) for key in KEY_POOL[:6]}
            store.commit(dict(hot), version)
            snapshots[version] = {**snapshots[version - 1], **hot}
        store.prune(keep_recent=10)
        assert store.earliest_version == 51
        with pytest.raises(ValueError, match=r"^version 50 is not available \(available: 51\.\.60\)$"):
            store.get(b"a", 50)
        for version in range(51, 61):
            snap = snapshots[version]
            assert list(store.iterate(version=version)) == sorted(snap.items())
            assert store.root_hash(version) == reference_root(snap)
            for key in KEY_POOL:
                assert store.get(key, version) == snap.get(key)
                assert verify_proof(store.root_hash(version), key, snap.get(key), store.prove(key, version))

        store.prune(keep_recent=1)
        _, node_count = reference_tree(snapshots[60])
        assert _entries(store, store._nodes) == node_count
        assert _entries(store, store._history) == len(snapshots[60])
        assert list(store.iterate(version=60)) == sorted(snapshots[60].items())
        with pytest.raises(ValueError, match=r"^keep_recent must be >= 1, not 0$"):
            store.prune(0)


def test_prepare_computes_root_without_persisting(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.commit({b"a": b"1"}, 1)
        prepared = store.prepare({b"a": None, b"b": b"2"}, 2)
        assert prepared.root == reference_root({b"b": b"2"})
        assert (store.version, store.get(b"a"), store.get(b"b")) == (1, b"1", None)
        with pytest.raises(ValueError, match=r"^cannot commit version 3: expected version 2$"):
            store.prepare({b"b": b"2"}, 3)
        store.commit_prepared(prepared, {b"height": b"2"})
        assert (store.version, store.get(b"a"), store.get(b"b")) == (2, None, b"2")
        assert store.root_hash() == prepared.root
        assert store.get_meta(b"height") == b"2"
        with pytest.raises(ValueError, match=r"^prepared commit of version 2 is stale: store is at version 2$"):
            store.commit_prepared(prepared)

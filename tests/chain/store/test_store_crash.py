import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from panacea.chain.store import Store

SMALL_VERSIONS = 5
BIG_KEYS = 60_000

# Child: commits versions 1..SMALL_VERSIONS, reporting each root, then one big commit (killed mid-way).
CHILD = """
import sys
from panacea.chain.store import Store
sys.path.insert(0, sys.argv[2])
from test_store_crash import changes_for

store = Store(sys.argv[1])
for version in range(store.version + 1, {small} + 2):
    if version == {small} + 1:
        print("big", flush=True)
    root = store.commit(changes_for(version), version)
    print(version, root.hex(), flush=True)
"""


def changes_for(version: int) -> dict[bytes, bytes | None]:
    """Deterministic block contents: small blocks, then one large one."""
    if version > SMALL_VERSIONS:
        return {b"big/" + i.to_bytes(4, "big"): i.to_bytes(4, "big") * 8 for i in range(BIG_KEYS)}
    changes: dict[bytes, bytes | None] = {f"k{version}/{i}".encode(): bytes([version, i]) for i in range(50)}
    if version > 1:
        changes[f"k{version - 1}/0".encode()] = None
    return changes


def _expected_roots(path: Path) -> dict[int, bytes]:
    with Store(str(path)) as store:
        return {v: store.commit(changes_for(v), v) for v in range(1, SMALL_VERSIONS + 2)}


@pytest.mark.slow
def test_kill_during_commit_keeps_last_committed_version(tmp_path: Path) -> None:
    expected = _expected_roots(tmp_path / "expected")
    rng = random.Random(4)
    outcomes = set()
    for attempt in range(4):
        path = tmp_path / f"crash{attempt}"
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD.format(small=SMALL_VERSIONS), str(path), str(Path(__file__).parent)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        reported: dict[int, bytes] = {}
        for line in child.stdout:
            if line.strip() == "big":
                break
            version, root = line.split()
            reported[int(version)] = bytes.fromhex(root)
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert reported == {v: expected[v] for v in range(1, SMALL_VERSIONS + 1)}

        with Store(str(path)) as store:
            version = store.version
            outcomes.add(version)
            assert version in (SMALL_VERSIONS, SMALL_VERSIONS + 1)
            assert store.root_hash() == expected[version]
            assert store.root_hash(SMALL_VERSIONS) == expected[SMALL_VERSIONS]
            big_key = b"big/" + (BIG_KEYS - 1).to_bytes(4, "big")
            assert store.get(big_key) == (None if version == SMALL_VERSIONS else (BIG_KEYS - 1).to_bytes(4, "big") * 8)
            assert store.get(b"k5/1") == bytes([5, 1])
            next_root = store.commit({b"after": b"crash"}, version + 1)
            assert store.root_hash() == next_root
    assert SMALL_VERSIONS in outcomes

"""Cost of the versioned state store (`panacea.chain.store`) as the store grows.

For each store size N: prefill N keys in large batches, then commit blocks of --dirty keys (half
updates of existing keys, half new keys) and report µs per written key, plus get and proof cost and
bytes on disk per key. Ratios are against the smallest N measured in the same run. Tree nodes written
per key grow like log16(N) - log16(dirty) + const (the top levels are shared by the block).

    .venv/bin/python benchmarks/store_bench.py --keys 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass

from panacea import _native
from panacea.chain.store import Store
from panacea.crypto.merkle import verify_proof

_VALUE_SIZE = 100
_PREFILL_BATCH = 100_000


@dataclass(frozen=True)
class Result:
    keys: int
    prefill_s: float
    write_us: float
    nodes_per_write: float
    get_us: float
    proof_us: float
    verify_us: float
    scan_rows_per_s: float
    disk_bytes_per_key: float


def _key(i: int) -> bytes:
    return b"acct/" + i.to_bytes(8, "big")


def _disk_bytes(path: str) -> int:
    return sum(os.stat(os.path.join(path, name)).st_blocks * 512 for name in os.listdir(path))


def measure(n: int, dirty: int, blocks: int, rng: random.Random) -> Result:
    with tempfile.TemporaryDirectory(prefix="store-bench-") as path, Store(path) as store:
        started = time.perf_counter()
        version = 0
        for lo in range(0, n, _PREFILL_BATCH):
            version += 1
            batch = {_key(i): rng.randbytes(_VALUE_SIZE) for i in range(lo, min(n, lo + _PREFILL_BATCH))}
            store.commit(batch, version)
        prefill_s = time.perf_counter() - started
        disk = _disk_bytes(path) / n

        size = n
        block_times: list[float] = []
        nodes_written = 0
        for _ in range(blocks):
            changes = {_key(rng.randrange(size)): rng.randbytes(_VALUE_SIZE) for _ in range(dirty // 2)}
            while len(changes) < dirty:
                changes[_key(size)] = rng.randbytes(_VALUE_SIZE)
                size += 1
            version += 1
            started = time.perf_counter()
            prepared = store.prepare(changes, version)
            store.commit_prepared(prepared)
            block_times.append(time.perf_counter() - started)
            nodes_written += len(prepared.new_nodes)
        write_us = statistics.median(block_times) / dirty * 1e6
        nodes_per_write = nodes_written / (blocks * dirty)

        probes = [_key(rng.randrange(size)) for _ in range(20_000)]
        started = time.perf_counter()
        for key in probes:
            store.get(key)
        get_us = (time.perf_counter() - started) / len(probes) * 1e6

        proof_keys = probes[:2_000]
        started = time.perf_counter()
        proofs = [store.prove(key) for key in proof_keys]
        proof_us = (time.perf_counter() - started) / len(proof_keys) * 1e6

        root = store.root_hash()
        values = [store.get(key) for key in proof_keys]
        started = time.perf_counter()
        for key, value, proof in zip(proof_keys, values, proofs, strict=True):
            if not verify_proof(root, key, value, proof):
                raise SystemExit(f"proof for {key.hex()} does not verify")
        verify_us = (time.perf_counter() - started) / len(proof_keys) * 1e6
        rows = 0
        started = time.perf_counter()
        for _ in store.iterate(_key(size // 4), _key(size // 4 + 100_000)):
            rows += 1
        scan = rows / (time.perf_counter() - started)
        return Result(n, prefill_s, write_us, nodes_per_write, get_us, proof_us, verify_us, scan, disk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, nargs="+", default=[10_000, 100_000, 1_000_000], help="store sizes")
    parser.add_argument("--dirty", type=int, default=5_000, help="dirty keys per committed block")
    parser.add_argument("--blocks", type=int, default=5, help="blocks timed per store size (median)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    results = [measure(n, args.dirty, args.blocks, rng) for n in sorted(args.keys)]
    base = results[0]
    print(f"store build: {_native.STATUS.describe()}")
    print(
        f"{'keys':>10} {'prefill s':>10} {'block ms':>9} {'µs/write':>9} {'×base':>6} {'nodes/write':>11} "
        f"{'get µs':>7} {'prove µs':>9} {'verify µs':>10} {'scan rows/s':>11} {'disk B/key':>10}"
    )
    for r in results:
        print(
            f"{r.keys:>10} {r.prefill_s:>10.1f} {r.write_us * args.dirty / 1e3:>9.1f} {r.write_us:>9.1f} "
            f"{r.write_us / base.write_us:>6.2f} {r.nodes_per_write:>11.1f} {r.get_us:>7.2f} {r.proof_us:>9.1f} "
            f"{r.verify_us:>10.1f} {r.scan_rows_per_s:>11.0f} {r.disk_bytes_per_key:>10.0f}"
        )


if __name__ == "__main__":
    main()

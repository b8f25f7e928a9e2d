"""The whole DEP flow on a devnet (issue 13): one deal for ``--data`` records (default 10,000), every record
provided by concurrent providers (encrypt → ValidateData → certificate check → MsgSubmitConsent), all consents
committed, then the consumer fetches, decrypts and verifies everything.

Printed: each phase's time and throughput and the total, next to the same run's single-component figures (the
oracle's ValidateData alone, the node's committed txs alone), so the slowest component shows as the bound.
Everything is real and on loopback: ``dep devnet``'s processes (node, oracle, consumer service), the SDK's async
Consumer and Provider. Run:

    .venv/bin/python benchmarks/flow_bench.py --data 10000 --concurrency 64
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import tempfile
import time
from pathlib import Path

from panacea.cli.devnet import Devnet, DevnetHome, create, demo_key_hex
from panacea.client import AsyncChainClient
from panacea.client.dep import AsyncConsumer, AsyncProvider
from panacea.client.services import AsyncOracleClient
from panacea.crypto import jwt
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.secret import encrypt_for
from panacea.demo import SCHEMA_FILE
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

PROVIDERS = ("provider1", "provider2", "provider3")


def record(i: int) -> bytes:
    doc = {"patient_id": f"P{i:06d}", "age": 20 + i % 70, "sex": ("female", "male", "other")[i % 3],
           "measured_at": "2026-11-02", "blood_pressure": {"systolic": 100 + i % 60, "diastolic": 60 + i % 30},
           "heart_rate": 50 + i % 70, "conditions": []}
    return json.dumps(doc).encode()


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s" if seconds > 0 else "-"


async def pool(n: int, concurrency: int, work: object) -> None:
    """Run ``work(i)`` for i in range(n) with ``concurrency`` tasks."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            await work(i)  # type: ignore[operator]

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def oracle_alone(url: str, oracle_pub: PublicKey, oracle_addr: str, deal: int, n: int,
                       concurrency: int) -> float:
    """ValidateData only (no consent): the oracle's own rate for this payload."""
    provider = PrivateKey.from_hex(demo_key_hex("provider1"))
    reqs = []
    for i in range(n):
        raw = record(500_000 + i)
        reqs.append((encrypt_for(provider, oracle_pub, raw), data_hash(raw)))
    async with AsyncOracleClient(url) as client:
        t0 = time.perf_counter()

        async def one(i: int) -> None:
            token = jwt.issue(provider, 60 * 10**9, audience=oracle_addr, jti=secrets.token_hex(8))
            await client.validate_data(deal, provider.bech32(), reqs[i][0], reqs[i][1], token)

        await pool(n, concurrency, one)
        return time.perf_counter() - t0


async def node_alone(rpc: str, n: int) -> float:
    """Committed bank sends only: the node's own rate (three senders, sequence-managed)."""
    keys = [PrivateKey.from_hex(demo_key_hex(name)) for name in PROVIDERS]
    async with AsyncChainClient(rpc) as chain:
        t0 = time.perf_counter()

        async def one(i: int) -> None:
            k = keys[i % len(keys)]
            msg = bank_tx.MsgSend(from_address=k.bech32(), to_address=k.bech32(),
                                  amount=[coin_pb2.Coin(denom="umed", amount="1")])
            res = await chain.wallet(k).send([msg])
            assert res.ok, res.raw_log

        await pool(n, 48, one)
        return time.perf_counter() - t0


async def flow(rpc: str, oracle_url: str, consumer_url: str, n: int, concurrency: int, out_dir: Path) -> None:
    schema_uri = json.loads(SCHEMA_FILE.read_text())["$id"]
    consumer_key = PrivateKey.from_hex(demo_key_hex("consumer"))
    async with AsyncChainClient(rpc) as chain:
        consumer = AsyncConsumer(chain, consumer_key)
        providers = [AsyncProvider(chain, PrivateKey.from_hex(demo_key_hex(name))) for name in PROVIDERS]
        t_start = time.perf_counter()
        deal = await consumer.create_deal(schema=[schema_uri], budget=n * 1000, max_data=n,
                                          terms=["research use: cardiovascular research only"],
                                          endpoint=consumer_url)
        t_created = time.perf_counter()
        done = 0

        async def provide(i: int) -> None:
            nonlocal done
            await providers[i % len(providers)].provide(deal, record(i), agree=[1])
            done += 1
            if done % 1000 == 0:
                print(f"  {done:,} provided ({rate(done, time.perf_counter() - t_created)})", flush=True)

        await pool(n, concurrency, provide)
        t_provided = time.perf_counter()
        progress = await consumer.progress(deal)
        assert (progress.status, progress.cur_num_data) == ("COMPLETED", n), progress
        fetched = await consumer.fetch_all(deal, out_dir)
        t_fetched = time.perf_counter()
        assert len(fetched) == n
        for p in providers:
            await p.close()
        print(f"create deal      {t_created - t_start:7.2f} s")
        print(f"provide {n:,}    {t_provided - t_created:7.2f} s  ({rate(n, t_provided - t_created)}: encrypt, "
              "validate, check, consent committed)")
        print(f"fetch + decrypt  {t_fetched - t_provided:7.2f} s  ({rate(n, t_fetched - t_provided)}, every hash "
              "verified)")
        print(f"total            {t_fetched - t_start:7.2f} s  (target <= 30 s for 10,000)")

        sample = min(n, 1000)
        async with AsyncOracleClient(oracle_url) as oracle:
            status = await oracle.status()
        params = await chain.oracle_params()
        open_deal = await consumer.create_deal(schema=[schema_uri], budget=sample * 1000, max_data=sample,
                                               terms=["research use"], endpoint=consumer_url)
        oracle_s = await oracle_alone(oracle_url, PublicKey.from_base64(params.oracle_public_key),
                                      status.oracle_account_address, open_deal, sample, min(concurrency, 64))
        node_s = await node_alone(rpc, sample)
        await consumer.close()
        print(f"single components, same run: oracle ValidateData alone {rate(sample, oracle_s)}, node committed "
              f"sends alone {rate(sample, node_s)} ({sample:,} each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=int, default=10_000, help="records in the deal")
    parser.add_argument("--concurrency", type=int, default=64, help="provides in flight")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flow-bench-") as tmp:
        home = DevnetHome(Path(tmp) / "devnet")
        t0 = time.perf_counter()
        manifest = create(home)
        net = Devnet(home, manifest)
        net.start()
        print(f"devnet up in {time.perf_counter() - t0:.1f} s (node, oracle, consumer service on loopback)")
        try:
            asyncio.run(flow(manifest.rpc, manifest.oracle_url, manifest.consumer_url, args.data, args.concurrency,
                             Path(tmp) / "out"))
        finally:
            net.stop()


if __name__ == "__main__":
    main()

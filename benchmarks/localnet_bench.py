"""Committed txs/s of a 4-validator CometBFT localnet running our app: signed SubmitConsent + MsgSend stream.

Every provider account sends one SubmitConsent (sequence 0) and one MsgSend (sequence 1); account i talks
to validator i mod N so its two txs stay in order. Txs go in with ``broadcast_tx_async`` from many
concurrent HTTP clients; the clock runs from the first broadcast to the block that holds the last tx.
Every validator runs CheckTx on every tx and executes every block, so on one machine the N app
processes share its cores. Run (needs scripts/install_cometbft.sh):

    .venv/bin/python benchmarks/localnet_bench.py --providers 1000 --validators 4
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from panacea.chain.genesis import add_account, add_genesis_oracle, set_oracle_params
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.node.abci.comet import rpc_call
from panacea.node.localnet import LocalnetRunner, create_localnet, node_height
from panacea.node.rpc.api import RpcError
from panacea.types.coins import Coin
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

UNIQUE_ID = "a" * 64
GAS = 400_000


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(label.encode()).digest())


async def post(session: aiohttp.ClientSession, url: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
    async with session.post(url + "/", json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}) as r:
        doc: dict[str, Any] = await r.json(content_type=None)
    if doc.get("error"):
        raise RuntimeError(f"{method}: {doc['error']}")
    result: dict[str, Any] = doc["result"]
    return result


async def account_numbers(url: str, addresses: list[str]) -> dict[str, int]:
    sem = asyncio.Semaphore(32)
    out: dict[str, int] = {}
    async with aiohttp.ClientSession() as session:
        async def one(address: str) -> None:
            data = auth_query.QueryAccountRequest(address=address).SerializeToString().hex()
            async with sem:
                res = await post(session, url, "abci_query",
                                 {"path": "/cosmos.auth.v1beta1.Query/Account", "data": data})
            any_acc = auth_query.QueryAccountResponse.FromString(base64.b64decode(res["response"]["value"])).account
            out[address] = auth_pb2.BaseAccount.FromString(any_acc.value).account_number

        await asyncio.gather(*(one(a) for a in addresses))
    return out


async def broadcast(urls: list[str], streams: list[list[bytes]], concurrency: int) -> int:
    """Each stream goes in order to its validator; returns how many broadcasts were rejected."""
    rejected = 0
    sem = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def run(i: int, txs: list[bytes]) -> None:
            nonlocal rejected
            for tx in txs:
                async with sem:
                    res = await post(session, urls[i % len(urls)], "broadcast_tx_sync",
                                     {"tx": base64.b64encode(tx).decode()})
                if res["code"] != 0:
                    rejected += 1

        await asyncio.gather(*(run(i, s) for i, s in enumerate(streams)))
    return rejected


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--providers", type=int, default=1000, help="accounts; each sends 2 txs")
    ap.add_argument("--validators", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=64)
    args = ap.parse_args()
    mode = SignatureMode("sha256")
    oracle_key, oracle_acc, consumer = key("oracle"), key("oracle-account"), key("consumer")
    providers = [key(f"provider{i}") for i in range(args.providers)]

    def genesis(state: dict[str, Any]) -> None:
        for k in [consumer, oracle_acc, *providers]:
            add_account(state, k.bech32(), [Coin("umed", 10**15)])
        set_oracle_params(state, public_key_base64=oracle_key.public_key().to_base64(), unique_id=UNIQUE_ID,
                          signature_digest=mode.value)
        add_genesis_oracle(state, oracle_acc.bech32(), UNIQUE_ID, commission_rate="0.1")

    with tempfile.TemporaryDirectory(prefix="localnet-bench-") as tmp:
        net = create_localnet(Path(tmp) / "net", args.validators, chain_id="bench", edit_genesis=genesis,
                              test_keys=0)
        runner = LocalnetRunner(net)
        urls = [n.ports.rpc_url for n in net.nodes]
        try:
            runner.start(wait_height=1, timeout=120)
            numbers = asyncio.run(account_numbers(urls[0], [k.bech32() for k in [consumer, *providers]]))
            create = deal_tx.MsgCreateDeal(
                data_schema=["https://schema.example/s.json"], budget=coin_pb2.Coin(denom="umed", amount=str(10**14)),
                max_num_data=10**9, consumer_address=consumer.bech32(), consumer_service_endpoint="https://c.example",
                agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="t", description="d")])
            tx = build_tx([create], [Signer(consumer, numbers[consumer.bech32()], 0)], net.chain_id, gas=GAS)
            res = rpc_call(urls[0], "broadcast_tx_commit", {"tx": base64.b64encode(tx).decode()}, timeout=30)
            assert res["tx_result"].get("code", 0) == 0, res
            print(f"building {2 * len(providers)} signed txs (SubmitConsent + MsgSend per account) ...", flush=True)
            streams: list[list[bytes]] = []
            for i, p in enumerate(providers):
                unsigned = consent_pb2.UnsignedCertificate(
                    unique_id=UNIQUE_ID, oracle_address=oracle_acc.bech32(), deal_id=1, provider_address=p.bech32(),
                    data_hash=hashlib.sha256(f"data/{i}".encode()).hexdigest())
                cert = consent_pb2.Certificate(unsigned_certificate=unsigned,
                                               signature=sign_message(oracle_key, unsigned.SerializeToString(), mode))
                consent = deal_tx.MsgSubmitConsent(consent=consent_pb2.Consent(
                    deal_id=1, certificate=cert, agreements=[consent_pb2.Agreement(term_id=1, agreement=True)]))
                send = bank_tx.MsgSend(from_address=p.bech32(), to_address=consumer.bech32(),
                                       amount=[{"denom": "umed", "amount": "1"}])
                n = numbers[p.bech32()]
                streams.append([build_tx([consent], [Signer(p, n, 0)], net.chain_id, gas=GAS),
                                build_tx([send], [Signer(p, n, 1)], net.chain_id, gas=GAS)])
            total = sum(len(s) for s in streams)
            start_height = node_height(net.nodes[0])
            t0 = time.monotonic()
            rejected = asyncio.run(broadcast(urls, streams, args.concurrency))
            t_sent = time.monotonic()
            committed = ok = 0
            h = start_height + 1
            deadline = time.monotonic() + 600
            while committed < total - rejected and time.monotonic() < deadline:
                try:  # the block store runs ahead of the results of the block being executed
                    results = rpc_call(urls[0], "block_results", {"height": str(h)})["txs_results"] or []
                except RpcError:
                    time.sleep(0.02)
                    continue
                committed += len(results)
                ok += sum(1 for r in results if r.get("code", 0) == 0)
                h += 1
            elapsed = time.monotonic() - t0
            last = h - 1
            hashes = {rpc_call(u, "block", {"height": str(last)})["block"]["header"]["app_hash"] for u in urls}
        finally:
            runner.stop()
    print(f"{args.validators} validators (CometBFT 0.38.25 + our app, one process each), {total} txs "
          f"from {len(providers)} accounts, blocks {start_height + 1}..{last}")
    print(f"  broadcast_tx_sync ({args.concurrency} clients): {t_sent - t0:7.2f} s ({total / (t_sent - t0):7.0f} txs/s"
          f" through CheckTx, {rejected} rejected)")
    print(f"  committed: {committed} txs ({ok} code 0) in {elapsed:.2f} s"
          f" -> {committed / elapsed:7.0f} committed txs/s")
    print(f"  app hashes agree at height {last}: {len(hashes) == 1}")


if __name__ == "__main__":
    main()

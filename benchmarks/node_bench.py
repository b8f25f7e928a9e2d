"""Embedded engine end to end: broadcast → committed txs/s over loopback JSON-RPC, next to the same txs'
finalize_block + commit throughput on the App alone (a copy of the same genesis, same run).

Many accounts each stream signed SubmitConsent and MsgSend txs (in sequence order) with broadcast_tx_sync
through aiohttp; a tx counts when its block is committed with code 0. The node runs in its own process
(``python -m panacea.node.start.embedded``), so client and node each get a core. Run:

    .venv/bin/python benchmarks/node_bench.py --accounts 1000 --txs-per-account 6
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from panacea import _native
from panacea.chain.app import App
from panacea.chain.context import BlockInfo
from panacea.chain.genesis import add_account, add_genesis_oracle, set_oracle_params
from panacea.chain.store import Store
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.node.engine.privval import Ed25519Key, priv_validator_key_json, write_node_key, write_priv_validator_key
from panacea.node.home import Home, NodeConfig
from panacea.types.coins import Coin
from panacea.types.cometbft.encoding import time_json
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

CHAIN_ID = "node-bench"
UNIQUE_ID = "b" * 64
T0 = 1_700_000_000 * 10**9
GAS = 400_000
MODE = SignatureMode("sha256")


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"node-bench/{label}".encode()).digest())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Setup:
    def __init__(self, accounts: int) -> None:
        self.oracle_key, self.oracle_acc, self.consumer = key("oracle"), key("oracle-account"), key("consumer")
        self.users = [key(f"user{i}") for i in range(accounts)]
        self.sink = key("sink")

    def app_state(self, app: App) -> dict[str, Any]:
        state = app.default_genesis()
        for k in [self.consumer, self.oracle_acc, self.sink, *self.users]:
            add_account(state, k.bech32(), [Coin("umed", 10**15)])
        set_oracle_params(state, public_key_base64=self.oracle_key.public_key().to_base64(), unique_id=UNIQUE_ID,
                          signature_digest=MODE.value)
        add_genesis_oracle(state, self.oracle_acc.bech32(), UNIQUE_ID, commission_rate="0.1")
        return state

    def create_deal(self, number: int) -> bytes:
        msg = deal_tx.MsgCreateDeal(
            data_schema=["https://schema.example/s.json"], budget=coin_pb2.Coin(denom="umed", amount=str(10**14)),
            max_num_data=10**9, consumer_address=self.consumer.bech32(), consumer_service_endpoint="https://c.example",
            agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="t", description="d")])
        return build_tx([msg], [Signer(self.consumer, number, 0)], CHAIN_ID, gas=GAS)

    def stream(self, numbers: dict[str, int], per_account: int) -> list[list[bytes]]:
        """Per account, its txs in sequence order: SubmitConsent and MsgSend alternating."""
        out = []
        for i, u in enumerate(self.users):
            txs = []
            for seq in range(per_account):
                signer = [Signer(u, numbers[u.bech32()], seq)]
                if seq % 2 == 0:
                    unsigned = consent_pb2.UnsignedCertificate(
                        unique_id=UNIQUE_ID, oracle_address=self.oracle_acc.bech32(), deal_id=1,
                        provider_address=u.bech32(), data_hash=hashlib.sha256(f"{i}/{seq}".encode()).hexdigest())
                    cert = consent_pb2.Certificate(unsigned_certificate=unsigned,
                                                   signature=sign_message(self.oracle_key,
                                                                          unsigned.SerializeToString(), MODE))
                    msg: Any = deal_tx.MsgSubmitConsent(consent=consent_pb2.Consent(
                        deal_id=1, certificate=cert, agreements=[consent_pb2.Agreement(term_id=1, agreement=True)]))
                else:
                    msg = bank_tx.MsgSend(from_address=u.bech32(), to_address=self.sink.bech32(),
                                          amount=[coin_pb2.Coin(denom="umed", amount="1")])
                txs.append(build_tx([msg], signer, CHAIN_ID, gas=GAS))
            out.append(txs)
        return out


def direct_app(setup: Setup, per_account: int, block_size: int) -> tuple[list[list[bytes]], bytes, float]:
    """Account numbers, the stream's txs, and finalize_block + commit txs/s on the App alone (wall clock)."""
    with tempfile.TemporaryDirectory(prefix="node-bench-app-") as tmp:
        store = Store(tmp)
        app = App(store)
        app.init_chain(CHAIN_ID, setup.app_state(app), time_ns=T0)
        app.finalize_block(BlockInfo(1, T0, CHAIN_ID), [])
        app.commit()
        ctx = app.query_context(None)
        numbers = {}
        for k in [setup.consumer, *setup.users]:
            acc = app.auth.get_account(ctx, k.address())
            assert acc is not None
            numbers[k.bech32()] = acc.number
        create = setup.create_deal(numbers[setup.consumer.bech32()])
        r = app.finalize_block(BlockInfo(2, T0 + 10**9, CHAIN_ID), [create])
        assert r.tx_results[0].ok, r.tx_results[0].log
        app.commit()
        print(f"signing {len(setup.users) * per_account} txs ...", file=sys.stderr, flush=True)
        per_user = setup.stream(numbers, per_account)
        flat = [txs[s] for s in range(per_account) for txs in per_user]  # sequence order per account
        t = time.perf_counter()
        height = 3
        for i in range(0, len(flat), block_size):
            res = app.finalize_block(BlockInfo(height, T0 + height * 10**9, CHAIN_ID), flat[i : i + block_size])
            app.commit()
            failed = [x.log for x in res.tx_results if not x.ok]
            assert not failed, failed[:3]
            height += 1
        elapsed = time.perf_counter() - t
        store.close()
    return per_user, create, len(flat) / elapsed


def make_home(path: Path, setup: Setup) -> Home:
    home = Home(path)
    validator = Ed25519Key(hashlib.sha256(b"node-bench/validator").digest())
    write_priv_validator_key(home.priv_validator_key_file, validator)
    write_node_key(home.node_key_file, Ed25519Key(hashlib.sha256(b"node-bench/node").digest()))
    home.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        state = setup.app_state(App(store))
        store.close()
    pv = priv_validator_key_json(validator)
    home.genesis_file.write_text(json.dumps({
        "genesis_time": time_json(T0), "chain_id": CHAIN_ID, "initial_height": "1",
        "validators": [{"address": pv["address"], "pub_key": pv["pub_key"], "power": "10", "name": "v"}],
        "app_hash": "", "app_state": state}))
    home.write_config(NodeConfig(rpc_laddr=f"tcp://127.0.0.1:{free_port()}", api_enable=False))
    return home


async def rpc(session: aiohttp.ClientSession, url: str, method: str, **params: Any) -> Any:
    async with session.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}) as r:
        body = await r.json()
    if "error" in body:
        raise RuntimeError(f"{method}: {body['error']}")
    return body["result"]


async def run_node(home: Home, per_user: list[list[bytes]], create: bytes, concurrency: int) -> tuple[int, float]:
    url = "http://" + home.load_config().rpc_laddr.removeprefix("tcp://") + "/"
    profile = os.environ.get("NODE_BENCH_PROFILE")  # a path: cProfile the node process into it
    wrap = ["-m", "cProfile", "-o", profile] if profile else []
    proc = subprocess.Popen([sys.executable, *wrap, "-m", "panacea.node.start.embedded", "--home", str(home.path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    try:
        conn = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=conn) as session:
            while True:
                try:
                    if int((await rpc(session, url, "status"))["sync_info"]["latest_block_height"]) >= 1:
                        break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
            res = await rpc(session, url, "broadcast_tx_commit", tx=base64.b64encode(create).decode())
            assert "code" not in res["check_tx"] and "code" not in res["tx_result"], res
            start_height = int(res["height"]) + 1
            rejected = 0
            logs: list[str] = []

            async def account_stream(txs: list[bytes]) -> None:
                nonlocal rejected
                for tx in txs:
                    r = await rpc(session, url, "broadcast_tx_sync", tx=base64.b64encode(tx).decode())
                    if r["code"]:
                        rejected += 1
                        logs.append(r["log"])

            t = time.perf_counter()
            await asyncio.gather(*(account_stream(txs) for txs in per_user))
            broadcast_done = time.perf_counter() - t
            while (await rpc(session, url, "num_unconfirmed_txs"))["n_txs"] != "0":
                await asyncio.sleep(0.01)
            status = await rpc(session, url, "status")
            elapsed = time.perf_counter() - t
            end_height = int(status["sync_info"]["latest_block_height"])
            committed = 0
            for h in range(start_height, end_height + 1):
                results = (await rpc(session, url, "block_results", height=str(h)))["txs_results"] or []
                committed += sum(1 for x in results if not x.get("code"))
            print(f"  broadcast of all txs took {broadcast_done:.2f} s, {rejected} rejected by CheckTx, "
                  f"blocks {start_height}..{end_height} {logs[:2]}", file=sys.stderr)
            return committed, elapsed
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--txs-per-account", type=int, default=6)
    ap.add_argument("--block-size", type=int, default=2000, help="txs per block in the direct App run")
    ap.add_argument("--concurrency", type=int, default=64, help="HTTP connections")
    args = ap.parse_args()
    setup = Setup(args.accounts)
    per_user, create, app_tps = direct_app(setup, args.txs_per_account, args.block_size)
    total = sum(len(t) for t in per_user)
    with tempfile.TemporaryDirectory(prefix="node-bench-") as tmp:
        home = make_home(Path(tmp) / "node", setup)
        committed, elapsed = asyncio.run(run_node(home, per_user, create, args.concurrency))
    node_tps = committed / elapsed
    print(f"{total} txs ({args.accounts} accounts x {args.txs_per_account}, SubmitConsent and MsgSend alternating)")
    print(f"  chain build                        : {_native.STATUS.describe()}")
    print(f"  App alone, finalize_block + commit : {app_tps:8.0f} txs/s (blocks of {args.block_size})")
    print(f"  embedded node, broadcast->committed: {node_tps:8.0f} txs/s ({committed} committed in {elapsed:.2f} s,"
          f" {args.concurrency} connections)")
    print(f"  ratio node / App alone             : {node_tps / app_tps:8.1%}  (target >= 2000 committed txs/s)")


if __name__ == "__main__":
    main()

"""A real embedded node (engine + LocalRpc) with the REST API served by uvicorn on a loopback port,
driven from synchronous tests through httpx."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from google.protobuf.message import Message

from panacea.chain.genesis import add_account, add_genesis_oracle, add_validator_voter, set_oracle_params
from panacea.cli.init import init
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.node.embedded import serve_embedded
from panacea.node.home import Home, NodeConfig
from panacea.types.coins import Coin
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

CHAIN_ID = "panacea-rest"
UNIQUE_ID = "u" * 64
FUNDS = 10**12
GAS_PRICE = 5


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(label.encode()).digest())


ALICE, BOB, CAROL, DAVE, ORACLE = (key(n) for n in ("alice", "bob", "carol", "dave", "oracle"))
ORACLE_SHARED = key("oracle-shared")
FRESH = key("fresh")  # not in genesis
FUNDED = (ALICE, BOB, CAROL, DAVE, ORACLE)
MIN_DEPOSIT = 10_000_000


def create_deal(n: int, consumer: PrivateKey | None = None) -> deal_tx.MsgCreateDeal:
    """Deal number ``n`` of CAROL's (budget n * 10000, max n * 10)."""
    return deal_tx.MsgCreateDeal(
        data_schema=[f"https://schema.example/{n}.json"], budget=coin_pb2.Coin(denom="umed", amount=str(n * 10000)),
        max_num_data=n * 10, consumer_address=(consumer or CAROL).bech32(),
        consumer_service_endpoint=f"https://consumer.example/{n}",
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title=f"Term {n}", description="share data")])


def make_home(path: Path, *, extra_funded: Sequence[PrivateKey] = ()) -> Home:
    result = CliRunner().invoke(init, ["rest-node", "--chain-id", CHAIN_ID, "--home", str(path)])
    assert result.exit_code == 0, result.output
    home = Home(path)
    doc = json.loads(home.genesis_file.read_text())
    state = doc["app_state"]
    for k in (*FUNDED, *extra_funded):
        add_account(state, k.bech32(), [Coin("umed", FUNDS)])
    set_oracle_params(state, public_key_base64=ORACLE_SHARED.public_key().to_base64(), unique_id=UNIQUE_ID)
    add_genesis_oracle(state, ORACLE.bech32(), UNIQUE_ID, endpoint="https://oracle.example", commission_rate="0.1")
    add_validator_voter(state, ALICE.bech32(), 10)
    home.genesis_file.write_text(json.dumps(doc, indent=2))
    return home


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RestNode:
    """``serve_embedded(home)`` (engine, JSON-RPC and REST servers on free loopback ports) on its own event
    loop thread; ``url`` is the LCD root, requests go through httpx."""

    def __init__(self, home: Home, *, min_gas_price: str = f"{GAS_PRICE}umed") -> None:
        self.home = home
        rpc_port, api_port = _free_port(), _free_port()
        home.write_config(NodeConfig(minimum_gas_prices=min_gas_price, rpc_laddr=f"tcp://127.0.0.1:{rpc_port}",
                                     api_address=f"tcp://127.0.0.1:{api_port}", block_interval_ms=50,
                                     empty_block_interval_ms=500))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="rest-node")
        self.url = f"http://127.0.0.1:{api_port}"
        self.rpc_url = f"http://127.0.0.1:{rpc_port}"
        self.task: asyncio.Task[None] | None = None
        self.stopping: asyncio.Event | None = None
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def _run(self, coro: Any) -> Any:
        fut: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout=30)

    async def _start(self) -> None:
        ready, self.stopping = asyncio.Event(), asyncio.Event()
        self.task = asyncio.create_task(serve_embedded(self.home, ready=ready, stop=self.stopping))
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait([self.task, waiter], return_when=asyncio.FIRST_COMPLETED)
        if self.task.done():
            waiter.cancel()
            self.task.result()
            raise RuntimeError("serve_embedded returned before it was ready")

    async def _stop(self) -> None:
        if self.task is not None and self.stopping is not None:
            self.stopping.set()
            await self.task

    def start(self) -> RestNode:
        self.thread.start()
        self._run(self._start())
        self.wait_height(1)
        return self

    def stop(self) -> None:
        self.http.close()
        try:
            self._run(self._stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)

    # --- HTTP helpers ---------------------------------------------------------------------------------
    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params or None)

    def ok(self, path: str, **params: Any) -> Any:
        r = self.get(path, **params)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()

    def height(self) -> int:
        return int(self.ok("/cosmos/base/tendermint/v1beta1/blocks/latest")["block"]["header"]["height"])

    def wait_height(self, h: int, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.get("/cosmos/base/tendermint/v1beta1/blocks/latest")
            if r.status_code == 200 and int(r.json()["block"]["header"]["height"]) >= h:
                return
            time.sleep(0.05)
        raise AssertionError(f"height {h} not reached")

    def account(self, k: PrivateKey) -> tuple[int, int]:
        acc = self.ok(f"/cosmos/auth/v1beta1/accounts/{k.bech32()}")["account"]
        return int(acc["account_number"]), int(acc["sequence"])

    def sign(self, k: PrivateKey, *msgs: Message, gas: int = 300_000, sequence_offset: int = 0,
             fee: int | None = None) -> bytes:
        number, sequence = self.account(k)
        return build_tx(msgs, [Signer(k, number, sequence + sequence_offset)], CHAIN_ID, gas=gas,
                        fee=gas * GAS_PRICE if fee is None else fee)

    def broadcast(self, tx: bytes, mode: str = "BROADCAST_MODE_SYNC") -> dict[str, Any]:
        r = self.http.post("/cosmos/tx/v1beta1/txs", json={"tx_bytes": base64.b64encode(tx).decode(), "mode": mode})
        assert r.status_code == 200, r.text
        return r.json()["tx_response"]  # type: ignore[no-any-return]

    def wait_tx(self, txhash: str, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.get(f"/cosmos/tx/v1beta1/txs/{txhash}")
            if r.status_code == 200:
                return r.json()  # type: ignore[no-any-return]
            assert r.status_code == 404, r.text
            time.sleep(0.05)
        raise AssertionError(f"tx {txhash} not included")

    def deliver(self, k: PrivateKey, *msgs: Message, gas: int = 300_000) -> dict[str, Any]:
        """Sign, broadcast (sync), wait for inclusion; asserts success; returns the GET tx document."""
        resp = self.broadcast(self.sign(k, *msgs, gas=gas))
        assert resp["code"] == 0, resp
        doc = self.wait_tx(resp["txhash"])
        assert doc["tx_response"]["code"] == 0, doc["tx_response"]["raw_log"]
        return doc

"""Test kit for the embedded engine: a node home in a temp dir, a node on loopback, a JSON-RPC client."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from panacea.chain.app import App
from panacea.chain.genesis import add_account, add_genesis_oracle, add_validator_voter, set_oracle_params
from panacea.chain.store import Store
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode
from panacea.node.cometbft_types import hexu, time_json
from panacea.node.embedded import _start_server, _Uvicorn
from panacea.node.engine import Engine
from panacea.node.home import Home, NodeConfig
from panacea.node.privval import Ed25519Key, priv_validator_key_json, write_node_key, write_priv_validator_key
from panacea.node.rpc_server import create_rpc_app
from panacea.types.coins import Coin
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

CHAIN_ID = "panacea-engine"
UNIQUE_ID = "e" * 64
FUNDS = 10**12
GENESIS_TIME_NS = 1_700_000_000 * 10**9


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"engine/{label}".encode()).digest())


VALIDATOR = Ed25519Key(hashlib.sha256(b"engine/validator").digest())
ORACLE_KEY = key("oracle-shared")
ORACLE = key("oracle-account")
USERS = [key(f"user{i}") for i in range(8)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_state(accounts: list[PrivateKey]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        doc = App(store).default_genesis()
        store.close()
    for k in [ORACLE, *accounts]:
        add_account(doc, k.bech32(), [Coin("umed", FUNDS)])
    set_oracle_params(doc, public_key_base64=ORACLE_KEY.public_key().to_base64(), unique_id=UNIQUE_ID,
                      signature_digest=SignatureMode("sha256").value)
    add_genesis_oracle(doc, ORACLE.bech32(), UNIQUE_ID, commission_rate="0.1")
    add_validator_voter(doc, ORACLE.bech32(), 10)
    return doc


def make_home(path: Path, *, accounts: list[PrivateKey] | None = None, block_interval_ms: int = 20,
              empty_block_interval_ms: int = 1000, minimum_gas_prices: str = "0umed", mempool_size: int = 50000,
              max_block_txs: int = 5000) -> Home:
    home = Home(path)
    home.config_dir.mkdir(parents=True, exist_ok=True)
    home.data_dir.mkdir(parents=True, exist_ok=True)
    write_priv_validator_key(home.priv_validator_key_file, VALIDATOR)
    write_node_key(home.node_key_file, Ed25519Key(hashlib.sha256(b"engine/node").digest()))
    pv = priv_validator_key_json(VALIDATOR)
    genesis = {
        "genesis_time": time_json(GENESIS_TIME_NS),
        "chain_id": CHAIN_ID,
        "initial_height": "1",
        "consensus_params": {"block": {"max_bytes": "22020096", "max_gas": "-1"},
                             "evidence": {"max_age_num_blocks": "100000", "max_age_duration": "172800000000000",
                                          "max_bytes": "1048576"},
                             "validator": {"pub_key_types": ["ed25519"]}, "version": {"app": "0"},
                             "abci": {"vote_extensions_enable_height": "0"}},
        "validators": [{"address": pv["address"], "pub_key": pv["pub_key"], "power": "10", "name": "v0"}],
        "app_hash": "",
        "app_state": app_state(USERS if accounts is None else accounts),
    }
    home.genesis_file.write_text(json.dumps(genesis, indent=2))
    home.write_config(NodeConfig(
        minimum_gas_prices=minimum_gas_prices, rpc_laddr=f"tcp://127.0.0.1:{free_port()}", api_enable=False,
        block_interval_ms=block_interval_ms, empty_block_interval_ms=empty_block_interval_ms,
        mempool_size=mempool_size, max_block_txs=max_block_txs))
    return home


class Node:
    """The engine and its JSON-RPC server in a background thread (the test keeps a handle on the engine)."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self.config = home.load_config()
        self.url = "http://" + self.config.rpc_laddr.removeprefix("tcp://")
        self.engine: Engine | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as e:
            self._error = e
            self._ready.set()

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        engine = Engine(self.home)
        self.engine = engine
        await engine.start()
        server: _Uvicorn
        server, task = await _start_server(create_rpc_app(engine), self.config.rpc_laddr)
        self._ready.set()
        await self._stop.wait()
        server.should_exit = True
        await task
        await engine.stop()

    def __enter__(self) -> Node:
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise self._error
        self.client = httpx.Client(base_url=self.url, timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        assert self.loop is not None and self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def run(self, coro: Any) -> Any:
        """Run a coroutine on the node's loop (for engine internals)."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    # --- JSON-RPC -----------------------------------------------------------------------------------------
    def call(self, method: str, **params: Any) -> Any:
        body = self.raw(method, params)
        assert "error" not in body, body["error"]
        return body["result"]

    def raw(self, method: str, params: dict[str, Any]) -> Any:
        return self.client.post("/", json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).json()

    def broadcast(self, tx: bytes, mode: str = "sync") -> Any:
        return self.call(f"broadcast_tx_{mode}", tx=base64.b64encode(tx).decode())

    def wait_height(self, height: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while int(self.call("status")["sync_info"]["latest_block_height"]) < height:
            assert time.monotonic() < deadline, f"height {height} not reached"
            time.sleep(0.01)

    def wait_tx(self, tx_hash: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            body = self.raw("tx", {"hash": tx_hash})
            if "result" in body:
                return body["result"]
            assert time.monotonic() < deadline, body
            time.sleep(0.01)

    def query(self, path: str, data: bytes, height: int = 0, prove: bool = False) -> Any:
        return self.call("abci_query", path=path, data=data.hex(), height=str(height), prove=prove)["response"]

    def account(self, k: PrivateKey) -> tuple[int, int]:
        resp = self.query("/cosmos.auth.v1beta1.Query/Account",
                          auth_query.QueryAccountRequest(address=k.bech32()).SerializeToString())
        any_acc = auth_query.QueryAccountResponse.FromString(base64.b64decode(resp["value"])).account
        acc = auth_pb2.BaseAccount.FromString(any_acc.value)
        return acc.account_number, acc.sequence

    def balance(self, k: PrivateKey) -> int:
        resp = self.query("/cosmos.bank.v1beta1.Query/Balance",
                          bank_query.QueryBalanceRequest(address=k.bech32(), denom="umed").SerializeToString())
        return int(bank_query.QueryBalanceResponse.FromString(base64.b64decode(resp["value"])).balance.amount)


def send_tx(sender: PrivateKey, to: PrivateKey, amount: int, number: int, sequence: int, *, fee: int = 0,
            gas: int = 200_000, chain_id: str = CHAIN_ID, memo: str = "") -> bytes:
    msg = bank_tx.MsgSend(from_address=sender.bech32(), to_address=to.bech32(),
                          amount=[coin_pb2.Coin(denom="umed", amount=str(amount))])
    return build_tx([msg], [Signer(sender, number, sequence)], chain_id, gas=gas, fee=fee, memo=memo)


def tx_hash_hex(tx: bytes) -> str:
    return hexu(hashlib.sha256(tx).digest())


def iter_ws(ws: Any, timeout: float) -> Iterator[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        try:
            yield json.loads(ws.recv(timeout=remaining))
        except TimeoutError:
            return

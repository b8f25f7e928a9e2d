"""The node test kit: funded node homes in temp dirs, and two ways to run a node on loopback ports: ``Node``
(engine + JSON-RPC in a thread, with a handle on the engine) and ``RestNode`` (``serve_embedded``: engine,
JSON-RPC and REST API, driven through httpx)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from google.protobuf.message import Message

from panacea.chain.app import App
from panacea.chain.genesis import add_account, add_genesis_oracle, add_validator_voter, set_oracle_params
from panacea.chain.store import Store
from panacea.cli.init import init
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode
from panacea.node.engine.engine import Engine
from panacea.node.engine.privval import Ed25519Key, priv_validator_key_json, write_node_key, write_priv_validator_key
from panacea.node.home import Home, NodeConfig
from panacea.node.rpc.server import create_rpc_app
from panacea.node.start.embedded import serve_embedded
from panacea.node.start.servers import start_server
from panacea.types.coins import Coin
from panacea.types.cometbft.encoding import hexu, time_json
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

CHAIN_ID = "panacea-node"
UNIQUE_ID = "u" * 64
FUNDS = 10**12
GENESIS_TIME_NS = 1_700_000_000 * 10**9


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(label.encode()).digest())


ORACLE_SHARED = key("oracle-shared")  # the oracle key of the chain params
ORACLE = key("oracle")  # the genesis oracle's account
VALIDATOR = Ed25519Key(hashlib.sha256(b"engine/validator").digest())
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
    set_oracle_params(doc, public_key_base64=ORACLE_SHARED.public_key().to_base64(), unique_id=UNIQUE_ID,
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
        server = await start_server(create_rpc_app(engine, self.config.max_body_bytes), self.config.rpc_laddr,
                                    what="JSON-RPC")
        self._ready.set()
        await self._stop.wait()
        await server.stop()
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


# --- a node with the REST API (serve_embedded) ----------------------------------------------------------
GAS_PRICE = 5


ALICE, BOB, CAROL, DAVE = (key(n) for n in ("alice", "bob", "carol", "dave"))
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


def init_home(path: Path, *, extra_funded: Sequence[PrivateKey] = ()) -> Home:
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


class RestNode:
    """``serve_embedded(home)`` (engine, JSON-RPC and REST servers on free loopback ports) on its own event
    loop thread; ``url`` is the LCD root, requests go through httpx."""

    def __init__(self, home: Home, *, min_gas_price: str = f"{GAS_PRICE}umed") -> None:
        self.home = home
        rpc_port, api_port = free_port(), free_port()
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


# --- hostile input (the bounded hostile-input tests of every server) ---------------------------------------
def hostile_values() -> list[Any]:
    """JSON values a hostile client puts where a parameter goes: wrong types, extremes, bad encodings."""
    return [None, True, -1, 0, 2**64, -(2**63) - 1, 1e308, "", "x", "9" * 5000, "-1", "0x", "0xzz", "AA==",
            "!!!", "\u0000", "\udcff"[:0] + "\u202e", "'", '"', "a" * 70_000, [], [1, [2]], {}, {"a": {"b": []}},
            "ff" * 32, "AB" * 33, "tm.event='Tx' AND", "tx.height>", "1e5", "18446744073709551616"]


def hostile_bodies() -> list[bytes]:
    """Raw bodies that are not the JSON a server expects: nesting, long numbers, bad UTF-8, truncation."""
    return [b"", b"\xff\xfe\x00", b"{", b"[", b"[" * 10_000 + b"]" * 10_000, b'{"a":' * 5000 + b"1" + b"}" * 5000,
            b"9" * 5000, b'{"id":' + b"1" * 5000 + b"}", b"null", b"[]", b"[1,2,3]", b'"x"', b"\x00" * 64,
            b'{"jsonrpc":"2.0","id":1,"method":"status","params":' + b"[" * 200 + b"]" * 200 + b"}",
            b'{"jsonrpc":"2.0","id":1,"method":"\xc3\x28"}', b'{"a":"\\ud800"}', b'{"a":1e99999}', b"NaN",
            b'{"jsonrpc":"2.0","id":{},"method":[]}', b"\xef\xbb\xbf{}", b"{}" * 1000]


class LogWatch:
    """Records every log record and stderr line of this process: the "no traceback in the node's log" check."""

    def __init__(self, caplog: Any, capfd: Any) -> None:
        self.caplog, self.capfd = caplog, capfd

    def assert_clean(self) -> None:
        tracebacks = [r.getMessage() for r in self.caplog.records if r.exc_info or r.levelno >= 40]
        err = self.capfd.readouterr().err
        assert not tracebacks and "Traceback" not in err, (tracebacks, err[-2000:])

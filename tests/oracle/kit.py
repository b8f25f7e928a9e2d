"""The oracle test kit: an oracle home made by ``oracled init`` + ``gen-oracle-key``, a real embedded node whose
genesis oracle is that oracle (``add-genesis-oracle --oracle-key-file``), and a loopback consumer service."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import uvicorn
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from panacea.cli import oracled
from panacea.crypto import jwt
from panacea.crypto.keys import PublicKey
from panacea.oracle.enclave import Enclave, EnclaveKey
from panacea.oracle.home import OracleHome
from tests.client import nodekit

ORACLE_ACCOUNT = "dave"  # a funded nodekit key, made the genesis oracle of this oracle's unique ID
ORACLE_ADDRESS = nodekit.key(ORACLE_ACCOUNT).bech32()


def run_oracled(home: Path, *args: str) -> str:
    """``oracled --home HOME ARGS``; asserts success."""
    r = CliRunner().invoke(oracled.main, ["--home", str(home), *args])
    assert r.exit_code == 0, r.output
    return r.output


@dataclass
class OracleKit:
    """A genesis oracle home, opened: its enclave and unsealed key."""

    home: OracleHome
    enclave: Enclave
    key: EnclaveKey


def make_oracle(root: Path, allow: tuple[str, ...] = ("127.0.0.0/8",)) -> OracleKit:
    """``oracled init`` + ``gen-oracle-key`` in ``root``; loopback allow-listed (consumer service on loopback)."""
    run_oracled(root, "init", "--chain-id", nodekit.CHAIN_ID)
    text = (root / "config.toml").read_text().replace("allow = []", f"allow = {list(allow)!r}".replace("'", '"'))
    (root / "config.toml").write_text(text)
    run_oracled(root, "gen-oracle-key")
    home = OracleHome(root)
    enclave = home.open_enclave()
    return OracleKit(home, enclave, home.oracle_key(enclave))


def start_node_for(oracle: OracleKit, root: Path, endpoint: str = "https://oracle.test") -> nodekit.Node:
    """nodekit's node, plus this oracle as genesis oracle at ``endpoint`` (params: its public key, report and
    unique ID)."""
    original = nodekit.make_home
    unique_id = oracle.enclave.identity().unique_id_hex

    def make_home(home: Path, rpc_port: int) -> None:
        original(home, rpc_port)
        nodekit.cli("genesis", "add-genesis-oracle", ORACLE_ACCOUNT, unique_id, "--endpoint", endpoint,
                    "--oracle-key-file", str(oracle.home.oracle_pub_key_file), "--home", str(home),
                    "--keyring-backend", "test")

    with mock.patch.object(nodekit, "make_home", make_home):
        node = nodekit.start_node(root)
    with node.client() as client:  # the genesis oracle's trust root: the chain's first block
        oracle.home.write_trust_root(1, bytes.fromhex(client.block(1)["block_id"]["hash"]))
    return node


@dataclass
class ConsumerService:
    """A tiny consumer service: stores uploads whose JWT the oracle key signed; can fail on demand."""

    oracle_public_key: PublicKey
    objects: dict[tuple[str, str], bytes] = field(default_factory=dict)
    issuers: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer 503 this many times first
    status: int = 200  # answer this (when not failing) instead of storing, if not 200
    url: str = ""

    async def store(self, request: Request) -> Response:
        if self.fail_next > 0:
            self.fail_next -= 1
            return PlainTextResponse("storage down", 503)
        if self.status != 200:
            return PlainTextResponse("no", self.status, headers={"Location": "http://127.0.0.2:1/"})
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        claims = jwt.verify(token, self.oracle_public_key)
        self.issuers.append(str(claims["iss"]))
        deal_id, data_hash = request.path_params["deal_id"], request.path_params["data_hash"]
        self.objects[(deal_id, data_hash)] = await request.body()
        return PlainTextResponse("success to store data")


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread; yields its base URL."""
    port = nodekit.free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def consumer_service(oracle_public_key: PublicKey) -> Iterator[ConsumerService]:
    """A ConsumerService served on loopback."""
    service = ConsumerService(oracle_public_key)
    app = Starlette(routes=[Route("/v0/deals/{deal_id}/data/{data_hash}", service.store, methods=["POST"])])
    with serve(app) as url:
        service.url = url
        yield service


def run(coro: object) -> object:
    """Run a coroutine on a fresh event loop (each test owns its loop)."""
    return asyncio.run(coro)  # type: ignore[arg-type]

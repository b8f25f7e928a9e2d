"""A real embedded node for end-to-end tests: `panacead init` + genesis commands, then `panacead start` in a
subprocess on free loopback ports, with funded deterministic keys and a genesis oracle."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from panacea.cli.panacead import main
from panacea.client import ChainClient, ChainClientError
from panacea.client.keyring import Keyring
from panacea.crypto.keys import PrivateKey
from panacea.node.home import Home, NodeConfig
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

CHAIN_ID = "panacea-e2e"
UNIQUE_ID = "e2e" + "0" * 61
FUNDS = 10**12
NAMES = ("alice", "bob", "carol", "dave", "erin", "consumer", "provider", "oracle", "many", "stale", "other",
         "asyncer", "voter", "gas-wallet", "gas-async", "gas-cli")


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"e2e/{label}".encode()).digest())


ORACLE_SHARED_KEY = key("oracle-shared")


def send_msg(frm: str, to: str, amount: int) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=frm, to_address=to, amount=[coin_pb2.Coin(denom="umed", amount=str(amount))])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str) -> str:
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, r.output
    return r.output


@dataclass
class Node:
    home: Path
    rpc: str
    proc: subprocess.Popen[bytes]
    log: Path

    def client(self, chain_id: str | None = None) -> ChainClient:
        return ChainClient(self.rpc, chain_id)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def make_home(home: Path, rpc_port: int) -> None:
    h = str(home)
    cli("init", "e2e-node", "--chain-id", CHAIN_ID, "--home", h)
    Home(home).write_config(NodeConfig(rpc_laddr=f"tcp://127.0.0.1:{rpc_port}", api_enable=False,
                                       api_address=f"tcp://127.0.0.1:{free_port()}", block_interval_ms=100,
                                       empty_block_interval_ms=1000))
    ring = Keyring(home, "test")
    for name in NAMES:
        ring.import_private_key(name, key(name).to_hex())
        cli("genesis", "add-account", name, f"{FUNDS}umed", "--home", h, "--keyring-backend", "test")
    cli("genesis", "add-genesis-oracle", "oracle", UNIQUE_ID, "--endpoint", "https://oracle.e2e",
        "--oracle-public-key", ORACLE_SHARED_KEY.public_key().to_base64(), "--home", h, "--keyring-backend", "test")
    cli("genesis", "add-validator-voter", "voter", "10", "--home", h, "--keyring-backend", "test")


def start_node(root: Path, timeout: float = 30.0) -> Node:
    rpc_port = free_port()
    home = root / "node"
    make_home(home, rpc_port)
    log = root / "node.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "panacea.cli.panacead", "start", "--home", str(home)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    node = Node(home, f"tcp://127.0.0.1:{rpc_port}", proc, log)
    deadline = time.monotonic() + timeout
    with node.client() as client:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"node exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                if client.status().latest_height >= 1:
                    return node
            except ChainClientError:
                pass
            if time.monotonic() > deadline:
                node.stop()
                raise RuntimeError(f"node did not start in {timeout}s: {log.read_text()[-2000:]}")
            time.sleep(0.05)

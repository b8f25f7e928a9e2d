"""An oracle network on the embedded node, every oracle a real ``oracled`` process with its event follower:
the genesis oracle approves a second one; both validate and either releases the key for the other's data; with
both stopped a third registers, the first restarts, catches up and approves it exactly once, with no failed tx."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from panacea.client import AsyncChainClient, ChainClient
from panacea.client.dep import Consumer, Provider
from panacea.client.events import search_txs
from panacea.client.keyring import Keyring
from panacea.oracle.config import OracleConfig, to_toml
from panacea.oracle.home import OracleHome
from panacea.oracle.schemas import SchemaRegistry
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceProcess, service_config
from tests.oracle import chainkit as ck
from tests.oracle.followerkit import approval_txs
from tests.oracle.kit import ORACLE_ACCOUNT, OracleKit
from tests.oracle.lifecyclekit import OracledProcess, block_flags, joining_home

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
COMMISSION = ("--oracle-commission-rate", "0.1", "--oracle-commission-max-rate", "0.3",
              "--oracle-commission-max-change-rate", "0.01")


def serving(home: OracleHome, node: Node, port: int, account: str) -> OracleConfig:
    """The home's config made to serve on ``port`` against ``node``: the account in its test keyring, the test
    schema registered, the loopback consumer service allowed."""
    ring = Keyring(home.root, "test")
    if "oracle" not in {k.name for k in ring.list()}:  # joining homes have it already
        ring.import_private_key("oracle", nodekit.key(account).to_hex())
    registry = SchemaRegistry(home.schemas_dir)
    if ck.SCHEMA_URI not in registry.index():
        registry.add(ck.SCHEMA_URI, json.dumps(ck.SCHEMA).encode())
    cfg = home.config
    config = replace(cfg, keyring_backend="test", oracle_key_name="oracle",
                     panacea=replace(cfg.panacea, rpc_addr=node.rpc, light_client_primary_addr=node.rpc),
                     api=replace(cfg.api, listen_addr=f"127.0.0.1:{port}", workers=1),
                     schemas=replace(cfg.schemas, fetch=False), ssrf=replace(cfg.ssrf, allow=("127.0.0.0/8",)))
    home.config_file.write_text(to_toml(config))
    return config


@contextmanager
def oracled(home: OracleHome, config: OracleConfig) -> Iterator[str]:
    """``oracled start`` (HTTP worker + event follower) until the block ends; its URL."""
    url = f"http://{config.api.listen_addr}"
    log = home.root / "oracled.log"
    env = {k: v for k, v in os.environ.items() if k != "ORACLE_MNEMONIC"} | {"PYTHONUNBUFFERED": "1"}
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "panacea.cli.oracled", "start", "--home", str(home.root)],
                                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not _connected(url):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _connected(url: str) -> bool:
    """The API answers and its event follower is subscribed."""
    try:
        status = httpx.get(url + "/v0/status", timeout=2).json()
    except (httpx.HTTPError, ValueError):
        return False
    follower = status.get("follower")
    return bool(follower and follower["connected"])


def _status(url: str) -> dict[str, object]:
    doc: dict[str, object] = httpx.get(url + "/v0/status", timeout=5).json()
    return doc


def _failed_approvals(node: Node) -> list[object]:
    async def go() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            found = await search_txs(client, "message.action='ApproveOracleRegistration'")
        return [t for t in found if not t.ok]
    return asyncio.run(go())


def _approvals(node: Node, target: str) -> int:
    async def go() -> int:
        async with AsyncChainClient(node.rpc) as client:
            return len([t for t in await approval_txs(client, "registration", target) if t.ok])
    return asyncio.run(go())


def test_oracle_network_join_share_catch_up(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    ck.register_pubkey(node, ck.PROVIDER)  # long before it provides: the oracles read the chain a block late
    genesis = serving(oracle.home, node, free_port(), ORACLE_ACCOUNT)
    consumer_cfg = service_config(node.rpc, free_port())
    erin_home = joining_home(tmp_path / "erin", "erin", oracle, node)
    erin_port = free_port()
    carol_home = joining_home(tmp_path / "carol", "carol", oracle, node)
    erin, carol = nodekit.key("erin").bech32(), nodekit.key("carol").bech32()
    with ServiceProcess(tmp_path / "consumerd", consumer_cfg) as storage:
        with oracled(oracle.home, genesis) as first:
            # a second oracle joins: register-oracle waits until the running genesis oracle approves it
            join = OracledProcess(erin_home.root, "register-oracle", *block_flags(node), "--endpoint",
                                  f"http://127.0.0.1:{erin_port}", *COMMISSION)
            code, out, err = join.finish()
            assert code == 0, err
            assert out.startswith(f"oracle registration requested for {erin}") and \
                f"oracle key received and sealed to {erin_home.oracle_priv_key_file}" in out, out
            second_cfg = serving(erin_home, node, erin_port, "erin")
            with oracled(erin_home, second_cfg) as second, ChainClient(node.rpc) as chain:
                deal = ck.create_deal(node, storage.url, budget=10_000, max_num_data=10)
                a = Provider(chain, ck.PROVIDER).provide(deal, b'{"name": "a", "age": 1}', oracle=first)
                b = Provider(chain, ck.PROVIDER).provide(deal, b'{"name": "b", "age": 2}', oracle=second)
                assert (a.oracle_address, b.oracle_address) == (nodekit.key(ORACLE_ACCOUNT).bech32(), erin)
                assert (a.reward, a.commission, b.reward, b.commission) == (900, 100, 900, 100)
                # either oracle releases the key for data the other certified
                for via, expected in ((second, {a.data_hash: b'{"name": "a", "age": 1}'}),
                                      (first, {b.data_hash: b'{"name": "b", "age": 2}'})):
                    with Consumer(chain, ck.CONSUMER, oracle=via) as consumer:
                        for data_hash, plain in expected.items():
                            assert consumer.fetch(deal, data_hash) == plain
        # both stopped: a third oracle registers; nobody approves it yet
        join = OracledProcess(carol_home.root, "register-oracle", *block_flags(node), "--endpoint",
                              "http://127.0.0.1:1", *COMMISSION, "--timeout", "5m")
        try:
            join.wait_for("waiting for the approval")
            assert _approvals(node, carol) == 0
            with oracled(oracle.home, genesis) as first:  # catches up from its persisted height
                code, out, err = join.finish()
                assert code == 0, err
                follower = _status(first)["follower"]
                assert isinstance(follower, dict) and (follower["approved"], follower["failed"]) == (1, 0)
            with oracled(erin_home, second_cfg) as second:  # catches up too: already approved, no tx
                deadline = time.monotonic() + 30
                while (follower := _status(second)["follower"]) and follower["already_approved"] == 0:  # type: ignore[index]
                    assert time.monotonic() < deadline, follower
                    time.sleep(0.2)
                assert isinstance(follower, dict)
                assert (follower["approved"], follower["already_approved"], follower["failed"]) == (0, 1, 0)
        finally:
            join.kill()
    assert _approvals(node, carol) == 1
    assert _approvals(node, erin) == 1
    assert _failed_approvals(node) == []

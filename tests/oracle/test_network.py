"""An oracle network on the embedded node, every oracle a real ``oracled`` process with its event follower:
the genesis oracle approves a second one; both validate and either releases the key for the other's data; with
both stopped a third registers, the first restarts, catches up and approves it exactly once, with no failed tx."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from panacea.client import AsyncChainClient, ChainClient
from panacea.client.dep import Consumer, Provider
from panacea.client.events import search_txs
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceProcess, service_config
from tests.oracle import chainkit as ck
from tests.oracle.followerkit import approval_txs
from tests.oracle.kit import ORACLE_ACCOUNT, OracleKit
from tests.oracle.lifecyclekit import OracledProcess, block_flags, joining_home
from tests.oracle.networkkit import COMMISSION, oracled, serving, status

pytestmark = pytest.mark.slow


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
                follower = status(first)["follower"]
                assert isinstance(follower, dict) and (follower["approved"], follower["failed"]) == (1, 0)
            with oracled(erin_home, second_cfg) as second:  # catches up too: already approved, no tx
                deadline = time.monotonic() + 30
                while (follower := status(second)["follower"]) and follower["already_approved"] == 0:  # type: ignore[index]
                    assert time.monotonic() < deadline, follower
                    time.sleep(0.2)
                assert isinstance(follower, dict)
                assert (follower["approved"], follower["already_approved"], follower["failed"]) == (0, 1, 0)
        finally:
            join.kill()
    assert _approvals(node, carol) == 1
    assert _approvals(node, erin) == 1
    assert _failed_approvals(node) == []

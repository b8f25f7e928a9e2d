"""The event follower against a real node: live approvals, several registrations in one block, skips, catch-up
after a restart (tx_search and block_results), a lost websocket, bounded broadcast retries, one per home."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from panacea.client import AsyncChainClient
from panacea.client.events import Backoff, TxEvent
from panacea.crypto.keys import PrivateKey
from panacea.oracle.approve import REGISTRATION_BROADCAST_FAILED
from panacea.oracle.chain import ClientChainReader
from panacea.oracle.enclave import SimulatedEnclave, report_data_for
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.follower import (
    CATCH_UP_QUERIES,
    LIVE_QUERY,
    EventFollower,
    FollowerStatus,
    FollowerThread,
    HeightStore,
    LifecycleEvent,
    lifecycle_events,
    read_status,
    run_follower,
)
from panacea.types.events import Event
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.client.proxykit import TcpProxy
from tests.oracle import followerkit as lk
from tests.oracle.followerkit import run, uid
from tests.oracle.kit import OracleKit

T = TypeVar("T")
FAST = Backoff(initial=0.02, factor=2.0, maximum=0.1, jitter=0.0)
STOPPED = FollowerStatus(False, False, None, 0, 0, 0, 0, 0, None)


@pytest.fixture(scope="module")
def upgraded(oracle: OracleKit, tmp_path_factory: pytest.TempPathFactory) -> SimulatedEnclave:
    return lk.new_version(oracle, tmp_path_factory.mktemp("v2"))


@pytest.fixture(scope="module")
def node(oracle: OracleKit, upgraded: SimulatedEnclave, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = lk.start_lifecycle_node(oracle, upgraded, tmp_path_factory.mktemp("lifecycle-node"))
    yield n
    n.stop()


async def approved(client: AsyncChainClient, oracle: OracleKit, account: PrivateKey) -> bool:
    registration = await client.oracle_registration(uid(oracle), account.bech32())
    return bool(registration.encrypted_oracle_priv_key)


async def latest_after(client: AsyncChainClient, height: int) -> bool:
    return (await client.status()).latest_height > height


def counts(s: FollowerStatus) -> tuple[int, int, int, int]:
    return s.approved, s.already_approved, s.rejected, s.failed


# --- pieces -------------------------------------------------------------------------------------------------
def test_queries() -> None:
    assert LIVE_QUERY == "tm.event='Tx' AND message.action CONTAINS 'Oracle'"
    assert CATCH_UP_QUERIES == ("message.action='RegisterOracle'", "message.action='UpgradeOracle'")


def test_lifecycle_events_of_every_successful_tx() -> None:
    def reg(u: str, a: str) -> Event:
        return Event.of("oracle_registration", ("unique_id", u), ("oracle_address", a))

    txs = [TxEvent(7, 0, 0, (Event.of("message", ("action", "RegisterOracle")), reg("u", "a1"), reg("u", "a2"),
                             reg("u", "a1"))),
           TxEvent(7, 1, 5, (reg("u", "a3"),)),  # failed in the block: nothing was registered
           TxEvent(7, 2, 0, (Event.of("oracle_upgrade", ("unique_id", "v"), ("oracle_address", "a4")),
                             Event.of("oracle_registration", ("unique_id", "u")))),  # no address: ignored
           TxEvent(7, 3, 0, (Event.of("approve_oracle_registration", ("oracle_address", "a1"), ("unique_id", "u")),))]
    assert lifecycle_events(txs) == [LifecycleEvent("registration", "u", "a1", 7),
                                     LifecycleEvent("registration", "u", "a2", 7),
                                     LifecycleEvent("upgrade", "v", "a4", 7)]


def test_height_store(tmp_path: Path) -> None:
    store = HeightStore(tmp_path / "data")
    assert store.read() is None
    store.save("chain-a", 42)
    assert store.read() == ("chain-a", 42)
    assert json.loads(store.path.read_text()) == {"chain_id": "chain-a", "height": "42"}
    assert store.path.stat().st_mode & 0o777 == 0o600
    store.path.write_text("{not json")
    with pytest.raises(OracleError) as info:
        store.read()
    assert info.value.message == ("follower.json is unreadable: remove it to start from the latest block, or give a "
                                  "start height")
    with store.exclusive():
        with pytest.raises(OracleError) as info, HeightStore(tmp_path / "data").exclusive():
            pass
        assert (info.value.message, info.value.category) == (
            "another event follower is running with this home (follower.lock is locked)", Category.CONFLICT)
    with store.exclusive():  # released on exit
        pass


def test_status_read_by_other_processes(tmp_path: Path) -> None:
    assert read_status(tmp_path) is None
    status = FollowerStatus(True, True, 12, 1, 2, 3, 4, 5, "an error")
    assert FollowerStatus.from_json(status.to_json()) == status
    assert status.to_json() == {"running": True, "connected": True, "last_processed_height": "12", "approved": 1,
                                "already_approved": 2, "rejected": 3, "failed": 4, "reconnects": 5,
                                "last_error": "an error"}
    path = tmp_path / "follower-status.json"
    path.write_text(json.dumps({"pid": os.getpid(), **status.to_json()}))
    assert read_status(tmp_path) == status
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    path.write_text(json.dumps({"pid": gone.pid, **status.to_json()}))  # died without a word
    assert read_status(tmp_path) == FollowerStatus(False, False, 12, 1, 2, 3, 4, 5, "an error")
    path.write_text("{")
    assert read_status(tmp_path) is None


# --- against the node ---------------------------------------------------------------------------------------
def test_registration_approved_live(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    alice = nodekit.key("alice")

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client, lk.following(oracle, node.rpc, tmp_path) as follower:
            before = await lk.sequence(client)
            node_key, reg = await lk.register(client, alice, oracle.enclave)
            await lk.until(lambda: approved(client, oracle, alice), "the approval")
            registration = await client.oracle_registration(uid(oracle), alice.bech32())
            assert lk.holds_oracle_key(node_key, oracle, registration.encrypted_oracle_priv_key)
            assert (await client.oracle(alice.bech32())).unique_id == uid(oracle)  # the oracle is registered
            [tx] = await lk.approval_txs(client, "registration", alice.bech32())
            assert tx.ok and tx.height > reg.height
            assert await lk.sequence(client) == before + 1
            await lk.until(lambda: follower.status().approved == 1, "the count (after the tx's block is seen)")
            status = follower.status()
            assert counts(status) == (1, 0, 0, 0)
            assert status.running and status.connected and status.last_error is None
            assert status.last_processed_height is not None and status.last_processed_height >= reg.height
            assert HeightStore(tmp_path).read() == (nodekit.CHAIN_ID, status.last_processed_height)
            assert read_status(tmp_path) == status  # what the HTTP workers show
        assert not follower.status().running
        assert read_status(tmp_path) == follower.status()

    asyncio.run(body())


def test_registrations_in_one_block_all_approved(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    bob, carol = nodekit.key("bob"), nodekit.key("carol")

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client, lk.following(oracle, node.rpc, tmp_path) as follower:
            before = await lk.sequence(client)
            (bob_msg, bob_node), (carol_msg, carol_node) = [
                await lk.registration_msg(client, k, oracle.enclave) for k in (bob, carol)]
            await lk.send_multi(client, [(bob, bob_msg), (carol, carol_msg)])  # one tx, so one block
            for key, node_key in ((bob, bob_node), (carol, carol_node)):
                await lk.until(lambda k=key: approved(client, oracle, k), f"the approval of {key.bech32()}")
                registration = await client.oracle_registration(uid(oracle), key.bech32())
                assert lk.holds_oracle_key(node_key, oracle, registration.encrypted_oracle_priv_key)
                assert [t.code for t in await lk.approval_txs(client, "registration", key.bech32())] == [0]
            assert await lk.sequence(client) == before + 2  # both approvals, sequenced by the wallet
            await lk.until(lambda: follower.status().approved == 2, "the count")
            assert counts(follower.status()) == (2, 0, 0, 0)

    asyncio.run(body())


def test_upgrade_approved_live(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave, tmp_path: Path) -> None:
    target = nodekit.key("consumer")
    newer = upgraded.identity().unique_id_hex

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client, lk.following(oracle, node.rpc, tmp_path) as follower:
            node_key, _ = await lk.upgrade(client, target, upgraded)

            async def done() -> bool:
                return bool((await client.oracle_upgrade(newer, target.bech32())).encrypted_oracle_priv_key)

            await lk.until(done, "the upgrade approval")
            record = await client.oracle_upgrade(newer, target.bech32())
            assert lk.holds_oracle_key(node_key, oracle, record.encrypted_oracle_priv_key)
            assert [t.code for t in await lk.approval_txs(client, "upgrade", target.bech32())] == [0]
            await lk.until(lambda: follower.status().approved == 1, "the count")
            assert counts(follower.status()) == (1, 0, 0, 0)

    asyncio.run(body())


def test_already_approved_registration_skipped(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    provider = nodekit.key("provider")

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client:
            _, reg = await lk.register(client, provider, oracle.enclave)
            assert (await lk.approver(oracle, client).approve_registration(uid(oracle), provider.bech32())).result \
                == "approved"
            before = await lk.sequence(client)
            async with lk.following(oracle, node.rpc, tmp_path, start_height=reg.height) as follower:
                await lk.until(lambda: follower.status().already_approved == 1, "the skip")
                assert counts(follower.status()) == (0, 1, 0, 0)
            assert await lk.sequence(client) == before  # no tx at all
            assert len(await lk.approval_txs(client, "registration", provider.bech32())) == 1

    asyncio.run(body())


@pytest.mark.parametrize(("name", "tip_window"), [("erin", 1), ("many", 1000)])
def test_catch_up_after_a_restart(oracle: OracleKit, node: Node, tmp_path: Path, name: str, tip_window: int) -> None:
    """Registered while the follower was down: approved once on restart, from tx_search (blocks before the
    newest, in windows of 3 blocks) or from block_results (the newest ``tip_window`` blocks)."""
    account = nodekit.key(name)

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client:
            async with lk.following(oracle, node.rpc, tmp_path) as first:
                stopped_at = first.status().last_processed_height
            assert stopped_at is not None
            before = await lk.sequence(client)
            _, reg = await lk.register(client, account, oracle.enclave)
            if tip_window == 1:  # the registration's block is then older than the tip: tx_search finds it
                await lk.until(lambda: latest_after(client, reg.height), "a newer block")
            async with lk.following(oracle, node.rpc, tmp_path, tip_window=tip_window, search_window=3) as again:
                await lk.until(lambda: approved(client, oracle, account), "the approval after the restart")
                await lk.until(lambda: again.status().approved == 1, "the count")
                height = again.status().last_processed_height
                assert height is not None and height >= reg.height > stopped_at
                assert counts(again.status()) == (1, 0, 0, 0)
            assert await lk.sequence(client) == before + 1  # exactly one tx, and it succeeded:
            assert [t.code for t in await lk.approval_txs(client, "registration", account.bech32())] == [0]

    asyncio.run(body())


def test_reconnects_after_losing_the_websocket(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    """The connection drops and the node stays unreachable while a registration lands; the follower retries
    with backoff and, once through, resumes from its persisted height and approves it."""
    voter = nodekit.key("voter")

    async def body() -> None:
        port = int(node.rpc.rsplit(":", 1)[1])
        async with TcpProxy(port) as proxy, AsyncChainClient(node.rpc) as client, \
                lk.following(oracle, proxy.url, tmp_path, reconnect_backoff=FAST) as follower:
            before = await lk.sequence(client)
            proxy.refusing = True
            proxy.drop()
            await lk.until(lambda: follower.status().reconnects >= 2, "failed reconnects")
            assert not follower.status().connected
            _, reg = await lk.register(client, voter, oracle.enclave)
            assert (follower.status().last_processed_height or 0) < reg.height
            proxy.refusing = False
            await lk.until(lambda: approved(client, oracle, voter), "the approval after reconnecting")
            await lk.until(lambda: follower.status().approved == 1, "the count")
            status = follower.status()
            assert status.connected and counts(status) == (1, 0, 0, 0)
            assert status.last_error in ("websocket subscription: the node closed the websocket (1006)",
                                         "websocket subscription: cannot subscribe: cannot connect to the node")
            assert await lk.sequence(client) == before + 1
            assert proxy.accepted >= 2

    asyncio.run(body())


def test_failing_broadcast_retried_then_reported(oracle: OracleKit, node: Node, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    account = nodekit.key("gas-wallet")
    other = lk.NOT_AN_ORACLE.bech32()
    expected = (f"{REGISTRATION_BROADCAST_FAILED}: failed to execute message; message index: 0: error occurs while "
                f"checking if the oracle({other}) exists: oracle '{other}' does not exist: oracle not found: error "
                "while approving an oracle registration")
    caplog.set_level(logging.INFO, "panacea.oracle.follower")

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client, lk.following(
                oracle, node.rpc, tmp_path, account=lk.NOT_AN_ORACLE, max_attempts=3, retry_backoff=FAST) as follower:
            _, reg = await lk.register(client, account, oracle.enclave)
            await lk.until(lambda: follower.status().failed == 1, "the terminal error")
            # then the block counts as processed (the counter moves a moment before the height): not retried forever
            await lk.until(lambda: (follower.status().last_processed_height or 0) >= reg.height, "the block done")
            status = follower.status()
            assert counts(status) == (0, 0, 0, 1)
            assert status.last_error == expected
            assert not await approved(client, oracle, account)

    asyncio.run(body())
    what = f"registration of {account.bech32()} (unique ID {uid(oracle)}, block "
    attempts = [r.getMessage() for r in caplog.records
                if r.getMessage().startswith("event follower: attempt ") and what in r.getMessage()]
    assert [m.split(" for the ")[0] for m in attempts] == ["event follower: attempt 1/3",
                                                           "event follower: attempt 2/3"]
    [final] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert final.getMessage().startswith(f"event follower: giving up on the {what}")
    assert final.getMessage().endswith(f" after 3 attempts: {expected}")


def test_failed_check_is_final(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    account = nodekit.key("oracle")
    report = oracle.enclave.remote_report(report_data_for(PrivateKey.generate().public_key()))  # another key's

    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client, lk.following(oracle, node.rpc, tmp_path) as follower:
            await lk.register(client, account, oracle.enclave, report=report)
            await lk.until(lambda: follower.status().rejected == 1, "the rejection")
            assert counts(follower.status()) == (0, 0, 1, 0)
            assert follower.status().last_error == (
                f"failed to verify oracle registration. unique ID({uid(oracle)}), target address({account.bech32()}):"
                " failed to verify remote report: invalid data in the report")

    asyncio.run(body())


def test_state_of_another_chain_is_ignored(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    HeightStore(tmp_path).save("another-chain", 1)

    async def body() -> None:
        latest = (await AsyncChainClient(node.rpc).status()).latest_height
        async with lk.following(oracle, node.rpc, tmp_path) as follower:
            status = follower.status()
            assert status.last_processed_height is not None and status.last_processed_height >= latest
            assert counts(status) == (0, 0, 0, 0)  # nothing from block 1 on was replayed
        assert HeightStore(tmp_path).read() == (nodekit.CHAIN_ID, status.last_processed_height)

    asyncio.run(body())


def test_one_follower_per_home(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    async def body() -> None:
        async with AsyncChainClient(node.rpc) as client, lk.following(oracle, node.rpc, tmp_path):
            second = EventFollower(lk.approver(oracle, client), HeightStore(tmp_path))
            with pytest.raises(OracleError) as info:
                await second.run()
            assert info.value.message == "another event follower is running with this home (follower.lock is locked)"

    asyncio.run(body())


def test_run_follower_in_the_oracle_home(oracle: OracleKit, node: Node) -> None:
    """``oracled start``'s entry point: state in the home's data dir, the configured fee."""
    account = nodekit.key("gas-async")

    async def body() -> None:
        stop = asyncio.Event()
        async with AsyncChainClient(node.rpc) as client:
            task = asyncio.ensure_future(run_follower(oracle.home, ClientChainReader(client), client.wallet(
                lk.ORACLE_KEY), oracle.enclave, oracle.key, stop))
            await lk.until(lambda: (oracle.home.data_dir / "follower.json").exists(), "the state")
            await lk.register(client, account, oracle.enclave)
            await lk.until(lambda: approved(client, oracle, account), "the approval")
            stop.set()
            await asyncio.wait_for(task, 10)
            [tx] = await lk.approval_txs(client, "registration", account.bech32())
            fee = oracle.home.config.panacea.default_fee_amount
            assert [e for e in tx.of_type("tx") if "fee" in e] == [{"fee": fee}]

    asyncio.run(body())


def test_follower_thread_beside_the_workers(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    """``oracled start``: the follower in a thread of its own loop; stopped from the main thread."""
    account = nodekit.key("asyncer")

    @asynccontextmanager
    async def open_follower() -> AsyncIterator[EventFollower]:
        async with AsyncChainClient(node.rpc) as client:
            yield EventFollower(lk.approver(oracle, client), HeightStore(tmp_path))

    thread = FollowerThread(open_follower)
    thread.start()
    try:
        run(node, lambda client: lk.until(lambda: bool((s := read_status(tmp_path)) and s.connected), "the start"))
        run(node, lambda client: lk.register(client, account, oracle.enclave))
        run(node, lambda client: lk.until(lambda: approved(client, oracle, account), "the approval"))
        run(node, lambda client: lk.until(lambda: (thread.status() or STOPPED).approved == 1, "the count"))
    finally:
        thread.stop()
    assert not thread.alive and thread.error is None
    assert read_status(tmp_path) == thread.status()
    assert not (thread.status() or STOPPED).running

    second = FollowerThread(open_follower)  # a home with a running follower refuses a second one
    with HeightStore(tmp_path).exclusive():
        second.start()
        second.stop()
    assert isinstance(second.error, OracleError)
    assert second.error.message == "another event follower is running with this home (follower.lock is locked)"

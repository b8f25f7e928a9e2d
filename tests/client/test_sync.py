"""ChainClient / Wallet against a real embedded node (`panacead start` in a subprocess)."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from panacea.client import (
    BroadcastError,
    ChainClient,
    NodeUnreachableError,
    NotFoundError,
    SimulationError,
    TxTimeoutError,
    Wallet,
)
from panacea.types.coins import Coin
from tests.client.nodekit import CHAIN_ID, FUNDS, UNIQUE_ID, Node, key, send_msg


def test_status_accounts_and_typed_queries(client: ChainClient) -> None:
    status = client.status()
    assert status.chain_id == CHAIN_ID == client.get_chain_id()
    assert status.latest_height >= 1
    acc = client.account(key("carol").bech32())
    assert (acc.address, acc.sequence, acc.pubkey) == (key("carol").bech32(), 0, None)
    assert client.balance(key("carol").bech32()) == FUNDS
    assert client.all_balances(key("carol").bech32()) == [Coin("umed", FUNDS)]
    with pytest.raises(NotFoundError) as e:
        client.account(key("nobody").bech32())
    assert e.value.log == f"account {key('nobody').bech32()} not found: not found"
    with pytest.raises(NotFoundError):
        client.deal(999)
    oracle = client.oracle(key("oracle").bech32())
    assert (oracle.unique_id, oracle.endpoint) == (UNIQUE_ID, "https://oracle.e2e")
    assert [o.oracle_address for o in client.oracles()] == [key("oracle").bech32()]
    assert client.oracle_params().unique_id == UNIQUE_ID
    assert client.upgrade_info() is None
    assert client.oracle_registrations(UNIQUE_ID) == []
    assert client.proposals() == []
    supply = client.total_supply()
    assert [c.denom for c in supply] == ["umed"] and supply[0].amount >= 13 * FUNDS


def test_send_with_auto_gas_and_fee(client: ChainClient) -> None:
    alice, bob = key("alice"), key("bob").bech32()
    wallet = Wallet(client, alice)
    msg = send_msg(alice.bech32(), bob, 1234)
    from panacea.client.tx import Signer, build_tx

    acc = client.account(alice.bech32())
    simulated = client.simulate(build_tx([msg], [Signer(alice, acc.number, acc.sequence)], CHAIN_ID, gas=0,
                                       fee=2000))
    resp = wallet.send([msg], fee="2000umed", gas_adjustment=1.5)
    assert (resp.code, resp.codespace) == (0, "")
    assert resp.gas_wanted == math.ceil(simulated * 1.5)
    assert 0 < resp.gas_used <= resp.gas_wanted
    assert resp.attribute("message", "action") == "send"
    assert resp.attribute("transfer", "amount") == "2000umed"  # the fee moves first
    assert [v for e in resp.events if e.type == "transfer" for k, v in e.attributes if k == "amount"] == [
        "2000umed", "1234umed"]
    assert client.balance(alice.bech32()) == FUNDS - 1234 - 2000
    assert client.balance(bob) == FUNDS + 1234
    assert client.account(alice.bech32()).pubkey == alice.public_key().compressed
    assert client.get_tx(resp.tx_hash) == resp


def test_fifty_concurrent_sends_from_one_account(client: ChainClient) -> None:
    many, to = key("many"), key("dave").bech32()
    wallet = client.wallet(many)

    def one(i: int) -> int:
        return wallet.send([send_msg(many.bech32(), to, i + 1)], gas=100_000).code

    with ThreadPoolExecutor(50) as pool:
        codes = list(pool.map(one, range(50)))
    assert codes == [0] * 50
    assert client.account(many.bech32()).sequence == 50
    assert client.balance(many.bech32()) == FUNDS - sum(range(1, 51))
    assert client.balance(to) == FUNDS + sum(range(1, 51))


def test_stale_sequence_is_recovered(node: Node, client: ChainClient) -> None:
    stale = key("stale")
    to = key("erin").bech32()
    wallet = client.wallet(stale)
    assert wallet.send([send_msg(stale.bech32(), to, 1)]).code == 0
    client.sequences[stale.bech32()].next_sequence = 0  # behind the chain
    assert wallet.send([send_msg(stale.bech32(), to, 1)]).code == 0
    client.sequences[stale.bech32()].next_sequence = 40  # ahead of the chain (a tx that never made it)
    assert wallet.send([send_msg(stale.bech32(), to, 1)], gas=100_000).code == 0
    with node.client() as other:  # another sender on the same account moves the sequence under our feet
        assert other.wallet(stale).send([send_msg(stale.bech32(), to, 1)]).code == 0
    assert wallet.send([send_msg(stale.bech32(), to, 1)], gas=100_000).code == 0
    assert client.account(stale.bech32()).sequence == 5
    assert client.sequences[stale.bech32()].next_sequence == 5


def test_failures(node: Node, client: ChainClient) -> None:
    other = key("other")
    wallet = client.wallet(other)
    with pytest.raises(SimulationError) as sim:
        wallet.send([send_msg(other.bech32(), key("bob").bech32(), FUNDS + 1)])
    assert (sim.value.code, sim.value.codespace) == (5, "sdk")
    assert sim.value.log.endswith(f"{FUNDS}umed is smaller than {FUNDS + 1}umed: insufficient funds")
    failed = wallet.send([send_msg(other.bech32(), key("bob").bech32(), FUNDS + 1)], gas=100_000)
    assert (failed.code, failed.ok) == (5, False)
    assert failed.raw_log == sim.value.log
    with node.client(chain_id="wrong-chain") as wrong, pytest.raises(BroadcastError) as b:
        wrong.wallet(other).send([send_msg(other.bech32(), key("bob").bech32(), 1)], gas=100_000)
    number = client.account(other.bech32()).number
    assert (b.value.code, b.value.log) == (
        4, f"signature verification failed; please verify account number ({number}) and chain-id ({CHAIN_ID}): "
           "unauthorized")
    assert b.value.tx_hash and len(b.value.tx_hash) == 64
    assert client.account(other.bech32()).sequence == 1  # the failed delivery consumed one sequence
    with pytest.raises(TxTimeoutError):
        client.wait_for_tx("AB" * 32, timeout=0.3)
    with pytest.raises(NodeUnreachableError) as e, ChainClient("tcp://127.0.0.1:9") as dead:
        dead.status()
    assert str(e.value).startswith("cannot reach node tcp://127.0.0.1:9: ")


"""The event follower against a real CometBFT 0.38.25 node (its websocket, tx_search and block_results JSON),
our app behind it: a live approval, and one caught up after a restart through CometBFT's tx index."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.chain.genesis import add_account, add_genesis_oracle, set_oracle_params
from panacea.client import AsyncChainClient
from panacea.node.localnet import Localnet, LocalnetRunner, create_localnet
from panacea.types.coins import Coin
from tests.client import nodekit
from tests.oracle import followerkit as lk
from tests.oracle.kit import OracleKit

pytestmark = pytest.mark.slow
ACCOUNTS = ("dave", "alice", "bob")


@pytest.fixture()
def comet(oracle: OracleKit, tmp_path: Path) -> Iterator[str]:
    """A one-validator CometBFT localnet whose genesis oracle is the kit's oracle; its RPC address."""
    unique_id = oracle.enclave.identity().unique_id_hex

    def edit(app_state: dict[str, Any]) -> None:
        for name in ACCOUNTS:
            add_account(app_state, nodekit.key(name).bech32(), [Coin("umed", nodekit.FUNDS)])
        set_oracle_params(app_state, public_key_base64=oracle.key.public_key.to_base64(), unique_id=unique_id,
                          signature_digest="sha256")
        add_genesis_oracle(app_state, lk.ORACLE_KEY.bech32(), unique_id, endpoint="https://oracle.test")

    net: Localnet = create_localnet(tmp_path / "net", 1, chain_id="panacea-follower", edit_genesis=edit)
    runner = LocalnetRunner(net)
    try:
        runner.start(wait_height=1, timeout=60)
        yield f"tcp://127.0.0.1:{net.nodes[0].ports.rpc}"
    finally:
        runner.stop()


def test_follower_under_cometbft(oracle: OracleKit, comet: str, tmp_path: Path) -> None:
    alice, bob = nodekit.key("alice"), nodekit.key("bob")
    unique_id = oracle.enclave.identity().unique_id_hex
    state = tmp_path / "follower"

    async def approved(client: AsyncChainClient, address: str) -> bool:
        return bool((await client.oracle_registration(unique_id, address)).encrypted_oracle_priv_key)

    async def body() -> None:
        async with AsyncChainClient(comet) as client:
            async with lk.following(oracle, comet, state, tip_window=1) as follower:
                alice_node, _ = await lk.register(client, alice, oracle.enclave)
                await lk.until(lambda: approved(client, alice.bech32()), "the live approval", 60)
                await lk.until(lambda: follower.status().approved == 1, "the count", 60)
            registration = await client.oracle_registration(unique_id, alice.bech32())
            assert lk.holds_oracle_key(alice_node, oracle, registration.encrypted_oracle_priv_key)

            before = await lk.sequence(client)
            bob_node, reg = await lk.register(client, bob, oracle.enclave)  # while the follower is down

            async def newer() -> bool:
                return (await client.status()).latest_height > reg.height + 1

            await lk.until(newer, "newer blocks (the registration is then read from the tx index)", 60)
            async with lk.following(oracle, comet, state, tip_window=1) as again:
                await lk.until(lambda: approved(client, bob.bech32()), "the caught-up approval", 60)
                await lk.until(lambda: again.status().approved == 1, "the count", 60)
                assert again.status().already_approved == 0
            assert await lk.sequence(client) == before + 1
            assert [t.code for t in await lk.approval_txs(client, "registration", bob.bech32())] == [0]
            registration = await client.oracle_registration(unique_id, bob.bech32())
            assert lk.holds_oracle_key(bob_node, oracle, registration.encrypted_oracle_priv_key)

    asyncio.run(body())

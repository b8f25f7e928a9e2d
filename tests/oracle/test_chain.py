"""The oracle's chain readers: the verified one (light client + Merkle proofs) gives what the trusted one gives —
values, NOT_FOUND texts, trusted-block checks — and refuses what does not verify; open_chain_reader follows the
home's config. The last test runs the verified reads against a real 4-validator CometBFT localnet."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest

from panacea.chain.genesis import add_genesis_oracle, set_oracle_params
from panacea.client import AsyncChainClient, ChainClient
from panacea.node.localnet import LocalnetRunner, create_localnet
from panacea.oracle.chain import (
    ChainVerificationError,
    ClientChainReader,
    OpenChainReader,
    VerifiedChainReader,
    open_chain_reader,
)
from panacea.oracle.errors import Category, ConfigError, OracleError
from panacea.oracle.home import OracleHome
from panacea.types.cometbft.encoding import time_json
from panacea.types.cometbft.types import Header
from tests.client import nodekit
from tests.client.light.kit import JSON, deal_and_consent, proxy
from tests.client.nodekit import Node
from tests.oracle import chainkit as ck
from tests.oracle.kit import ORACLE_ADDRESS, OracleKit

T = TypeVar("T")
PERIOD = 336 * 3600 * 10**9
PARAMS_TREE_KEY = b"oracle/\x10params"


def block_hash(node_rpc: str, height: int) -> bytes:
    with ChainClient(node_rpc) as client:
        return bytes.fromhex(client.block(height)["block_id"]["hash"])


def wait_height(node: Node, height: int) -> None:
    with ChainClient(node.rpc) as client:
        while client.status().latest_height < height:
            time.sleep(0.05)


def after_next_block(node: Node) -> None:
    """Return once a block above the current one exists: its header proves the state the current one left."""
    with ChainClient(node.rpc) as client:
        wait_height(node, client.status().latest_height + 1)


def first_header(node_rpc: str) -> Header:
    with ChainClient(node_rpc) as client:
        return Header.from_json(client.rpc("commit", {"height": "1"})["signed_header"]["header"])


def home_with(root: Path, oracle: OracleKit, node: Node | str, **chain: Any) -> OracleHome:
    """A copy of the oracle's config in a new home, reading from ``node``, with ``[panacea]`` changed."""
    home = OracleHome(root)
    config = oracle.home.config
    rpc = node if isinstance(node, str) else node.rpc
    chain = {"rpc_addr": rpc, "light_client_primary_addr": rpc, **chain}
    home.init(replace(config, panacea=replace(config.panacea, **chain)))
    return home


def with_reader(home: OracleHome, rpc: str, body: Callable[[OpenChainReader], Coroutine[Any, Any, T]],
                **kwargs: Any) -> T:
    async def go() -> T:
        async with AsyncChainClient(rpc) as client:
            reader = await open_chain_reader(home, client, **kwargs)
            try:
                return await body(reader)
            finally:
                await reader.close()

    return asyncio.run(go())


async def outcome(call: Coroutine[Any, Any, object]) -> object:
    try:
        return await call
    except OracleError as e:
        return (type(e).__name__, e.category, e.message)


def lifecycle_reads(reader: Any, deal_id: int, data_hash: str, unique_id: str) -> list[Coroutine[Any, Any, object]]:
    """The same reads through either reader: found, missing and malformed."""
    nobody = nodekit.key("nobody").bech32()
    return [reader.deal(deal_id), reader.deal(424242), reader.consent(deal_id, data_hash),
            reader.consent(deal_id, "00" * 32), reader.account_public_key(ck.PROVIDER.bech32()),
            reader.account_public_key(nobody), reader.account_public_key("panacea1bad"), reader.oracle_params(),
            reader.oracle(ORACLE_ADDRESS), reader.oracle(nobody), reader.registration(unique_id, ORACLE_ADDRESS),
            reader.registration(unique_id, "panacea1bad"), reader.upgrade(unique_id, nobody), reader.upgrade_info()]


@pytest.fixture(scope="module")
def trusted_home(oracle: OracleKit, node: Node, tmp_path_factory: pytest.TempPathFactory) -> OracleHome:
    """A light-client home that trusts the node's block 1."""
    home = home_with(tmp_path_factory.mktemp("verified-home"), oracle, node)
    home.write_trust_root(1, block_hash(node.rpc, 1))
    return home


def test_verified_reads_give_what_trusted_reads_give(oracle: OracleKit, trusted_home: OracleHome, node: Node,
                                                     consented: tuple[int, str]) -> None:
    deal_id, data_hash = consented
    unique_id = oracle.enclave.identity().unique_id_hex
    after_next_block(node)  # a verified read proves the state one block back: let it include the consent

    async def verified(reader: OpenChainReader) -> list[object]:
        assert isinstance(reader, VerifiedChainReader) and reader.mode == "light-client"
        return [await outcome(c) for c in lifecycle_reads(reader, deal_id, data_hash, unique_id)]

    async def trusted() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            return [await outcome(c) for c in lifecycle_reads(ClientChainReader(client), deal_id, data_hash,
                                                                    unique_id)]

    got = with_reader(trusted_home, node.rpc, verified)
    assert got == asyncio.run(trusted())
    deal, missing, consent = got[:3]
    assert deal.id == deal_id and consent.certificate.unsigned_certificate.data_hash == data_hash  # type: ignore[attr-defined]
    assert missing == ("OracleError", Category.NOT_FOUND, "deal with ID 424242 does not exist: deal is not found")
    assert got[3] == ("OracleError", Category.NOT_FOUND, "consent is not found")
    assert got[4] == ck.PROVIDER.public_key().compressed
    assert got[5] == ("OracleError", Category.NOT_FOUND,
                      f"account {nodekit.key('nobody').bech32()} not found: not found")
    assert got[6] == ("OracleError", Category.UNAVAILABLE,
                      "invalid address (decoding bech32 failed: invalid separator index 7): invalid address")
    assert got[8].oracle_address == ORACLE_ADDRESS and got[13] is None  # type: ignore[attr-defined]
    assert got[10] == ("OracleError", Category.NOT_FOUND, "oracle registration not found")
    assert (trusted_home.data_dir / "light-client" / "data.mdb").is_file()


def test_trusted_blocks_are_checked_against_verified_headers(trusted_home: OracleHome, node: Node) -> None:
    wait_height(node, 3)  # block 2 lies between the root and the latest block
    good = block_hash(node.rpc, 2)

    def checks(reader: Any) -> list[Coroutine[Any, Any, object]]:
        return [reader.verify_trusted_block(2, good), reader.verify_trusted_block(2, bytes(32)),
                reader.verify_trusted_block(10**6, good), reader.verify_trusted_block(0, good)]

    async def verified(reader: OpenChainReader) -> list[object]:
        return [await outcome(c) for c in checks(reader)]

    async def trusted() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            return [await outcome(c) for c in checks(ClientChainReader(client))]

    got = with_reader(trusted_home, node.rpc, verified)
    assert got == asyncio.run(trusted())
    assert got == [None,
                   ("OracleError", Category.BAD_REQUEST, "failed to verify trusted block information. height(2), "
                    f"expected block hash({'00' * 32}), got block hash({good.hex()})"),
                   ("OracleError", Category.NOT_FOUND, "not found light block. height(1000000)"),
                   ("OracleError", Category.NOT_FOUND, "not found light block. height(0)")]


def test_the_mode_comes_from_the_config(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    trusted = home_with(tmp_path / "trusted", oracle, node, verification="trusted")

    async def mode(reader: OpenChainReader) -> tuple[str, str]:
        return reader.mode, reader.description

    assert with_reader(trusted, node.rpc, mode) == (
        "trusted", 'chain reads are NOT verified ([panacea] verification = "trusted", for development only)')

    verified = home_with(tmp_path / "verified", oracle, node)
    with pytest.raises(ConfigError) as e:
        with_reader(verified, node.rpc, mode)
    assert e.value.message == (f"no trusted block in {verified.trust_root_file}: give the trusted block height and "
                               f'hash (or set [panacea] verification = "trusted" for development)')
    root = block_hash(node.rpc, 1)
    verified.write_trust_root(1, root)
    assert with_reader(verified, node.rpc, mode) == ("light-client", (
        f"chain reads verified by a light client from trusted block 1 ({root.hex().upper()}), trust period 336h, "
        f"primary {node.rpc}, and Merkle proofs"))


def test_answers_that_do_not_verify_are_their_own_error(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    def flip_proof(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query" and params.get("prove"):
            op = body["result"]["response"]["proofOps"]["ops"][0]
            op["key"] = "AA=="
        return body

    async def read(reader: OpenChainReader) -> object:
        return await outcome(reader.oracle_params())

    with proxy(node.rpc) as (p, url):
        home = home_with(tmp_path / "proxied", oracle, node, rpc_addr=url)
        home.write_trust_root(1, block_hash(node.rpc, 1))
        p.tamper = flip_proof
        assert with_reader(home, url, read) == (
            "ChainVerificationError", Category.BAD_GATEWAY,
            f"chain answer failed verification: the node's proof is about another key than {PARAMS_TREE_KEY.hex()}")
        assert all(method == "abci_query" for method, _ in p.calls)  # headers came from the primary, not the proxy
    assert ChainVerificationError("x").status == 502


def test_a_trust_root_outside_the_trust_period_stops_the_reader_at_start(oracle: OracleKit, node: Node,
                                                                         tmp_path: Path) -> None:
    home = home_with(tmp_path / "expired", oracle, node)
    home.write_trust_root(1, block_hash(node.rpc, 1))
    late = first_header(node.rpc).time_ns + PERIOD

    async def never(reader: OpenChainReader) -> None:
        raise AssertionError("opened")

    with pytest.raises(ChainVerificationError) as e:
        with_reader(home, node.rpc, never, clock=lambda: late)
    assert (e.value.category, e.value.message) == (Category.UNAVAILABLE, (
        f"cannot verify chain reads: cannot trust the trusted block at height 1: the trusted header at height 1 "
        f"expired at {time_json(late)} (trust period 336h, now {time_json(late)}): give a new trusted block"))


def test_an_unreachable_node(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    gone = f"tcp://127.0.0.1:{nodekit.free_port()}"
    unreachable = ("OracleError", Category.UNAVAILABLE, "cannot reach the chain node")
    queries_gone = home_with(tmp_path / "queries", oracle, node, rpc_addr=gone)
    queries_gone.write_trust_root(1, block_hash(node.rpc, 1))

    async def read(reader: OpenChainReader) -> object:
        return await outcome(reader.deal(1))

    assert with_reader(queries_gone, gone, read) == unreachable  # headers from the node, queries nowhere
    primary_gone = home_with(tmp_path / "primary", oracle, node, light_client_primary_addr=gone)
    primary_gone.write_trust_root(1, block_hash(node.rpc, 1))
    with pytest.raises(OracleError) as e:
        with_reader(primary_gone, node.rpc, read)
    assert (type(e.value).__name__, e.value.category, e.value.message) == unreachable  # at start


LOCALNET_ORACLE_KEY = nodekit.key("localnet/oracle-key")  # the chain's oracle key: signs the certificate
LOCALNET_ORACLE = nodekit.key("localnet/oracle-account")
LOCALNET_UNIQUE_ID = "1c" * 32


def _localnet_genesis(app_state: dict[str, Any]) -> None:
    set_oracle_params(app_state, public_key_base64=LOCALNET_ORACLE_KEY.public_key().to_base64(),
                      unique_id=LOCALNET_UNIQUE_ID)
    add_genesis_oracle(app_state, LOCALNET_ORACLE.bech32(), LOCALNET_UNIQUE_ID, endpoint="https://oracle.test")


@pytest.mark.slow
def test_the_same_verified_reads_against_a_four_validator_cometbft_localnet(oracle: OracleKit, tmp_path: Path) -> None:
    """Real CometBFT 0.38 nodes: the light client starts from block 1, skips to a block more than 30 heights later
    in one step (the validator set does not change), and every read is proven as against the embedded engine."""
    net = create_localnet(tmp_path / "net", 4, chain_id="panacea-lc-test", edit_genesis=_localnet_genesis)
    runner = LocalnetRunner(net)
    try:
        runner.start(wait_height=2, timeout=60)
        rpc = f"tcp://127.0.0.1:{net.nodes[0].ports.rpc}"
        consumer, provider = net.keyring.private_key("test0"), net.keyring.private_key("test1")
        with ChainClient(rpc) as client:
            deal_id = deal_and_consent(client, consumer=consumer, provider=provider,
                                       oracle_address=LOCALNET_ORACLE.bech32(), unique_id=LOCALNET_UNIQUE_ID,
                                       oracle_key=LOCALNET_ORACLE_KEY)
            runner.wait_height(client.status().latest_height + 30, timeout=60)
        root, fifth = block_hash(rpc, 1), block_hash(rpc, 5)
        with proxy(f"tcp://127.0.0.1:{net.nodes[1].ports.rpc}") as (headers, primary):
            home = home_with(tmp_path / "home", oracle, rpc, chain_id=net.chain_id, light_client_primary_addr=primary)
            home.write_trust_root(1, root)

            def reads(reader: Any) -> list[Coroutine[Any, Any, object]]:
                return [reader.deal(deal_id), reader.deal(deal_id + 1), reader.consent(deal_id, "ab" * 32),
                        reader.consent(deal_id, "cd" * 32), reader.account_public_key(provider.bech32()),
                        reader.oracle_params(), reader.oracle(LOCALNET_ORACLE.bech32()),
                        reader.registration(LOCALNET_UNIQUE_ID, LOCALNET_ORACLE.bech32()), reader.upgrade_info(),
                        reader.verify_trusted_block(5, fifth), reader.verify_trusted_block(5, root)]

            async def verified(reader: OpenChainReader) -> list[object]:
                assert isinstance(reader, VerifiedChainReader)
                return [await outcome(c) for c in reads(reader)]

            async def trusted() -> list[object]:
                async with AsyncChainClient(rpc) as client:
                    return [await outcome(c) for c in reads(ClientChainReader(client))]

            got = with_reader(home, rpc, verified)
            commits = [int(p["height"]) if p.get("height") else None for m, p in headers.calls if m == "commit"]
        expected = asyncio.run(trusted())
    finally:
        runner.stop()
    assert got == expected
    assert got[0].id == deal_id and got[0].cur_num_data == 1  # type: ignore[attr-defined]
    assert got[1] == ("OracleError", Category.NOT_FOUND,
                      f"deal with ID {deal_id + 1} does not exist: deal is not found")
    assert got[2].certificate.unsigned_certificate.provider_address == provider.bech32()  # type: ignore[attr-defined]
    assert got[4] == provider.public_key().compressed
    assert got[5].unique_id == LOCALNET_UNIQUE_ID and got[6].unique_id == LOCALNET_UNIQUE_ID  # type: ignore[attr-defined]
    assert got[7] == ("OracleError", Category.NOT_FOUND, "oracle registration not found") and got[8] is None
    assert got[9] is None and got[10] == ("OracleError", Category.BAD_REQUEST, (
        f"failed to verify trusted block information. height(5), expected block hash({root.hex()}), "
        f"got block hash({fifth.hex()})"))
    # the root, then the latest block (asked once per read), verified from the root in one skip; then block 5
    assert commits[0] == 1 and 5 in commits and all(h in (None, 1, 5) for h in commits), commits

"""The life-cycle flows against a real node whose genesis oracle approves by hand: register → wait → receive the
oracle key; timeouts; chain rejections before any file is written; get-oracle-key; update-info."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from panacea.client import AsyncChainClient
from panacea.oracle.enclave import EnclaveKey
from panacea.oracle.errors import OracleError
from panacea.oracle.keyshare import node_key
from panacea.oracle.lifecycle import (
    ApprovalTimeout,
    Commission,
    KeySource,
    TrustedBlock,
    key_source,
    receive_oracle_key,
    register,
    update_info,
    wait_for_approval,
)
from panacea.types.dec import dec_to_wire, parse_dec
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.oracle.kit import ORACLE_ACCOUNT, OracleKit
from tests.oracle.lifecyclekit import approve_registration, joining_home, lifecycle, trusted_block

COMMISSION = Commission.parse("0.1", "0.2", "0.01")
FAILED = "transaction failed: failed to execute message; message index: 0: "  # the SDK's log of a failed msg


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def _wire(text: str) -> str:
    return dec_to_wire(parse_dec(text))


def test_register_wait_and_receive_the_oracle_key(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "erin", "erin", oracle, node)
    trusted = trusted_block(node)
    address = nodekit.key("erin").bech32()
    ticks: list[int | None] = []

    async def join() -> EnclaveKey:
        async with lifecycle(home, node) as s:
            tx = await register(s, trusted=trusted, endpoint="https://erin.test", commission=COMMISSION)
            assert tx.ok and tx.attribute("oracle_registration", "oracle_address") == address
            approver = asyncio.create_task(approve_registration(node, oracle, address))
            encrypted = await wait_for_approval(s, KeySource.REGISTRATION, timeout=60,
                                                progress=lambda _e, h: ticks.append(h), interval=0.1)
            await approver
            return await receive_oracle_key(s, KeySource.REGISTRATION, encrypted)

    key = run(join())
    assert isinstance(key, EnclaveKey) and key.public_key == oracle.key.public_key
    enclave = home.open_enclave()
    assert home.oracle_key(enclave).public_key == oracle.key.public_key  # the sealed file holds the oracle key
    assert home.trust_root() == (trusted.height, trusted.hash)
    uid = enclave.identity().unique_id_hex

    async def chain_records() -> tuple[object, object]:
        async with AsyncChainClient(node.rpc) as c:
            return await c.oracle_registration(uid, address), await c.oracle(address)

    reg, record = run(chain_records())
    assert (reg.unique_id, reg.node_pub_key, reg.trusted_block_height, reg.trusted_block_hash, reg.endpoint) == (
        uid, node_key(home, enclave).public_key.compressed, trusted.height, trusted.hash, "https://erin.test")
    assert (record.unique_id, record.endpoint, record.oracle_commission_rate, record.oracle_commission_max_rate,
            record.oracle_commission_max_change_rate) == (uid, "https://erin.test", _wire("0.1"), _wire("0.2"),
                                                          _wire("0.01"))
    assert ticks and all(isinstance(h, int) and h > 0 for h in ticks)

    async def again() -> None:
        async with lifecycle(home, node) as s:
            await receive_oracle_key(s, KeySource.REGISTRATION)

    with pytest.raises(OracleError) as e:  # §8 key: an existing oracle key is never overwritten
        run(again())
    assert e.value.message == "the oracle private key already exists"


def test_timeout_then_get_oracle_key_later(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "carol", "carol", oracle, node)
    address = nodekit.key("carol").bech32()

    async def request_and_wait() -> None:
        async with lifecycle(home, node) as s:
            await register(s, trusted=trusted_block(node), endpoint="", commission=COMMISSION)
            await wait_for_approval(s, KeySource.REGISTRATION, timeout=0.3, interval=0.1)

    with pytest.raises(ApprovalTimeout) as e:
        run(request_and_wait())
    assert e.value.message == ("the oracle registration was not approved within 300ms: run `oracled get-oracle-key "
                               "--from registration` later to receive the oracle key once it is approved")

    async def receive() -> EnclaveKey:
        async with lifecycle(home, node) as s:
            return await receive_oracle_key(s, KeySource.REGISTRATION)

    with pytest.raises(OracleError) as not_yet:
        run(receive())
    assert not_yet.value.message == "the encrypted oracle private key has not set yet. please try again later"
    run(approve_registration(node, oracle, address))
    assert run(receive()).public_key == oracle.key.public_key  # type: ignore[attr-defined]


def test_the_chain_refuses_before_anything_is_written(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "bob", "bob", oracle, node)
    trusted = trusted_block(node)

    async def attempt(commission: Commission = COMMISSION, block: TrustedBlock = trusted,
                      overwrite: bool = False) -> None:
        async with lifecycle(home, node) as s:
            await register(s, trusted=block, endpoint="", commission=commission, overwrite_node_key=overwrite)

    def refused(**kw: object) -> str:
        with pytest.raises(OracleError) as e:
            run(attempt(**kw))  # type: ignore[arg-type]
        return e.value.message

    assert refused(commission=Commission.parse("0.3", "0.2", "0.01")) == (
        "transaction failed: oracleCommissionRate must be between 0 and OracleCommissionMaxRate: invalid request")
    wrong = TrustedBlock(trusted.height, bytes(32))
    assert refused(block=wrong) == (
        f"failed to verify trusted block information. height({trusted.height}), expected block "
        f"hash({'00' * 32}), got block hash({trusted.hash.hex()})")
    assert not home.node_priv_key_file.exists() and home.trust_root() is None
    run(attempt())
    first = home.node_priv_key_file.read_bytes()
    assert refused() == f"{home.node_priv_key_file.name} already exists: it may be the node key of a pending " \
                        "registration or upgrade; pass --yes to replace it"
    address = nodekit.key("bob").bech32()
    assert refused(overwrite=True) == (
        f"{FAILED}already registered oracle. address({address}): error while registering a oracle")
    assert home.node_priv_key_file.read_bytes() == first  # the pending registration's node key is kept


def test_an_oracle_with_a_key_does_not_register(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "alice", "alice", oracle, node)
    home.seal_key(home.open_enclave(), EnclaveKey.generate(), home.oracle_priv_key_file)

    async def attempt() -> None:
        async with lifecycle(home, node) as s:
            await register(s, trusted=trusted_block(node), endpoint="", commission=COMMISSION)

    with pytest.raises(OracleError) as e:
        run(attempt())
    assert e.value.message == "the oracle private key already exists"
    assert not home.node_priv_key_file.exists()


def test_update_info(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "dave", ORACLE_ACCOUNT, oracle, node)  # the genesis oracle's account

    async def update(**kw: str) -> object:
        async with lifecycle(home, node) as s:
            return await update_info(s, **kw)

    def refused(**kw: str) -> str:
        with pytest.raises(OracleError) as e:
            run(update(**kw))
        return e.value.message

    assert refused() == "nothing to update: give a new endpoint and/or commission rate"
    assert refused(commission_rate="0.5") == (
        f"{FAILED}commission cannot be more than the max rate: error while updating oracle info")
    assert refused(commission_rate="1e-3") == (
        "invalid --oracle-commission-rate '1e-3': invalid decimal string '1e-3': expected digits with an optional "
        "'-' sign and '.' (no exponent, NaN or Infinity)")
    record = run(update(endpoint="https://dave.test", commission_rate="0.105"))
    assert (record.endpoint, record.oracle_commission_rate) == (  # type: ignore[attr-defined]
        "https://dave.test", _wire("0.105"))
    record = run(update(endpoint="https://dave2.test"))
    assert (record.endpoint, record.oracle_commission_rate) == (  # type: ignore[attr-defined]
        "https://dave2.test", _wire("0.105"))
    assert refused(commission_rate="0.11") == (
        f"{FAILED}commission cannot be changed more than once in 24h: error while updating oracle info")


def test_key_source() -> None:
    assert (key_source("registration"), key_source("upgrade")) == (KeySource.REGISTRATION, KeySource.UPGRADE)
    with pytest.raises(OracleError) as e:
        key_source("genesis")
    assert e.value.message == 'invalid --from flag input. please put "registration" or "upgrade"'


def test_trusted_block_and_commission_input() -> None:
    def bad(f: object, *args: object) -> str:
        with pytest.raises(OracleError) as e:
            f(*args)  # type: ignore[operator]
        return e.value.message

    assert TrustedBlock.parse(5, "AB" * 32) == TrustedBlock(5, b"\xab" * 32)
    assert bad(TrustedBlock.parse, 0, "AB" * 32) == "trusted block height must be greater than zero"
    assert bad(TrustedBlock.parse, 5, "AB" * 31) == (
        f"invalid trusted block hash {'AB' * 31!r}: expected the 64 hex characters of the block ID hash")
    assert Commission.parse("0.1", "1", "0") == Commission(_wire("0.1"), _wire("1"), "0")
    assert bad(Commission.parse, "0.1", "x", "0").startswith("invalid --oracle-commission-max-rate 'x': ")


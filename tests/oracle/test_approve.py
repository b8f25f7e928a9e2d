"""The RegisterOracle / UpgradeOracle handlers (oracle-reference §5, §8 "event/oracle") against a real node:
real registrations and upgrades, real reports, real chain rejections."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from panacea.client import AsyncChainClient
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, verify_message
from panacea.oracle.approve import REGISTRATION_BROADCAST_FAILED, UPGRADE_BROADCAST_FAILED, ApprovalError, Outcome
from panacea.oracle.enclave import SimulatedEnclave, report_data_for
from panacea.oracle.errors import Category
from panacea.types.pb.panacea.oracle.v2 import tx_pb2
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.oracle import followerkit as lk
from tests.oracle.followerkit import run, uid
from tests.oracle.kit import ORACLE_ADDRESS, OracleKit

T = TypeVar("T")


@pytest.fixture(scope="module")
def upgraded(oracle: OracleKit, tmp_path_factory: pytest.TempPathFactory) -> SimulatedEnclave:
    return lk.new_version(oracle, tmp_path_factory.mktemp("v2"))


@pytest.fixture(scope="module")
def node(oracle: OracleKit, upgraded: SimulatedEnclave, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = lk.start_lifecycle_node(oracle, upgraded, tmp_path_factory.mktemp("lifecycle-node"))
    yield n
    n.stop()


def fails(node: Node, body: Callable[[AsyncChainClient], Awaitable[object]]) -> ApprovalError:
    with pytest.raises(ApprovalError) as info:
        run(node, body)
    return info.value


def check_approval(oracle: OracleKit, approval: tx_pb2.ApprovalSharingOracleKey, signature: bytes,
                   target_unique_id: str, target: str, node_key: PrivateKey) -> None:
    assert approval.approver_unique_id == uid(oracle)
    assert approval.approver_oracle_address == ORACLE_ADDRESS
    assert approval.target_unique_id == target_unique_id
    assert approval.target_oracle_address == target
    assert lk.holds_oracle_key(node_key, oracle, approval.encrypted_oracle_priv_key)
    assert verify_message(oracle.key.public_key, approval.SerializeToString(deterministic=True), signature,
                          SignatureMode.SHA256)  # the chain's default signature_digest


# --- RegisterOracle -----------------------------------------------------------------------------------------
def test_registration_approved_once_with_the_oracle_key(oracle: OracleKit, node: Node) -> None:
    alice = nodekit.key("alice")

    async def body(client: AsyncChainClient) -> None:
        node_key, _ = await lk.register(client, alice, oracle.enclave)
        approver = lk.approver(oracle, client)
        msg = await approver.registration_approval(uid(oracle), alice.bech32())
        assert msg is not None
        check_approval(oracle, msg.approval_sharing_oracle_key, msg.signature, uid(oracle), alice.bech32(), node_key)

        before = await lk.sequence(client)
        outcome = await approver.approve_registration(uid(oracle), alice.bech32())
        assert outcome.result == "approved" and outcome.height > 0
        assert await lk.sequence(client) == before + 1
        [tx] = await lk.approval_txs(client, "registration", alice.bech32())
        assert (tx.tx_hash, tx.height, tx.code) == (outcome.tx_hash, outcome.height, 0)
        [sent] = await lk.broadcast_msgs(client, tx.tx_hash)  # exactly one MsgApproveOracleRegistration
        assert sent.type_url == "/panacea.oracle.v2.MsgApproveOracleRegistration"
        sent_msg = tx_pb2.MsgApproveOracleRegistration.FromString(sent.value)
        check_approval(oracle, sent_msg.approval_sharing_oracle_key, sent_msg.signature, uid(oracle), alice.bech32(),
                       node_key)
        registration = await client.oracle_registration(uid(oracle), alice.bech32())
        assert lk.holds_oracle_key(node_key, oracle, registration.encrypted_oracle_priv_key)
        registered = await client.oracle(alice.bech32())
        assert (registered.unique_id, registered.endpoint) == (uid(oracle), registration.endpoint)

        # already approved: no tx (the reference would send one that fails "already approved")
        assert await approver.registration_approval(uid(oracle), alice.bech32()) is None
        assert await approver.approve_registration(uid(oracle), alice.bech32()) == Outcome("already_approved")
        assert await lk.sequence(client) == before + 1
        assert len(await lk.approval_txs(client, "registration", alice.bech32())) == 1

    run(node, body)


def test_registration_for_another_unique_id(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    carol = nodekit.key("carol").bech32()
    run(node, lambda client: lk.register(client, nodekit.key("carol"), oracle.enclave))
    newer = upgraded.identity().unique_id_hex
    e = fails(node, lambda client: lk.approver(oracle, client, enclave=upgraded).approve_registration(
        uid(oracle), carol))
    assert e.message == (f"failed to verify oracle registration. unique ID({uid(oracle)}), target address({carol}): "
                         f"requester's unique ID is different from this binary's unique ID. expected({newer}) "
                         f"got({uid(oracle)})")
    assert (e.category, e.retryable) == (Category.BAD_REQUEST, False)


def test_registration_with_a_wrong_trusted_block(oracle: OracleKit, node: Node) -> None:
    erin = nodekit.key("erin")
    wrong = bytes.fromhex("11" * 32)

    async def body(client: AsyncChainClient) -> str:
        trusted = await lk.trusted_block(client)
        await lk.register(client, erin, oracle.enclave, trusted=lk.Trusted(trusted.height, wrong))
        with pytest.raises(ApprovalError) as info:
            await lk.approver(oracle, client).approve_registration(uid(oracle), erin.bech32())
        h = trusted.height
        assert info.value.message == (
            f"failed to verify oracle registration. unique ID({uid(oracle)}), target address({erin.bech32()}): "
            f"failed to verify trusted block information. height({h}), hash({wrong.hex().upper()}): "
            f"failed to verify trusted block information. height({h}), expected block hash({wrong.hex()}), "
            f"got block hash({trusted.block_hash.hex()})")
        return info.value.category

    assert run(node, body) == Category.BAD_REQUEST


@pytest.mark.parametrize(("name", "why"), [
    ("many", "the remote report is not signed by a trusted attestation key"),
    ("provider", "invalid data in the report"),
])
def test_registration_with_a_bad_report(oracle: OracleKit, node: Node, name: str, why: str) -> None:
    account = nodekit.key(name)
    if name == "many":  # attested by an enclave of the same code on a machine nobody trusts
        report = SimulatedEnclave(PrivateKey.generate(), os.urandom(32)).remote_report(bytes(32))
    else:  # this oracle's enclave, but over another key
        report = oracle.enclave.remote_report(report_data_for(PrivateKey.generate().public_key()))
    run(node, lambda client: lk.register(client, account, oracle.enclave, report=report))
    e = fails(node, lambda client: lk.approver(oracle, client).approve_registration(uid(oracle), account.bech32()))
    assert e.message == (f"failed to verify oracle registration. unique ID({uid(oracle)}), target address("
                         f"{account.bech32()}): failed to verify remote report: {why}")
    assert not e.retryable


def test_registration_broadcast_refused(oracle: OracleKit, node: Node) -> None:
    bob = nodekit.key("bob").bech32()
    run(node, lambda client: lk.register(client, nodekit.key("bob"), oracle.enclave))
    other = lk.NOT_AN_ORACLE.bech32()
    e = fails(node, lambda client: lk.approver(oracle, client, account=lk.NOT_AN_ORACLE).approve_registration(
        uid(oracle), bob))
    assert e.message == (f"{REGISTRATION_BROADCAST_FAILED}: failed to execute message; message index: 0: error "
                         f"occurs while checking if the oracle({other}) exists: oracle '{other}' does not exist: "
                         "oracle not found: error while approving an oracle registration")
    assert (e.category, e.retryable) == (Category.BAD_GATEWAY, True)
    assert run(node, lambda client: lk.approval_txs(client, "registration", bob)) == []


def test_registration_not_on_chain(oracle: OracleKit, node: Node) -> None:
    nobody = PrivateKey.generate().bech32()
    e = fails(node, lambda client: lk.approver(oracle, client).approve_registration(uid(oracle), nobody))
    assert e.message == (f"failed to get oracle registration. unique ID({uid(oracle)}), target address({nobody}): "
                         "oracle registration not found")
    assert (e.category, e.retryable) == (Category.NOT_FOUND, False)


# --- UpgradeOracle ------------------------------------------------------------------------------------------
def test_upgrade_approved_once_with_the_oracle_key(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    target = nodekit.key("consumer")
    newer = upgraded.identity().unique_id_hex

    async def body(client: AsyncChainClient) -> None:
        node_key, _ = await lk.upgrade(client, target, upgraded)
        approver = lk.approver(oracle, client)
        msg = await approver.upgrade_approval(newer, target.bech32())
        assert msg is not None
        check_approval(oracle, msg.approval_sharing_oracle_key, msg.signature, newer, target.bech32(), node_key)

        before = await lk.sequence(client)
        outcome = await approver.approve_upgrade(newer, target.bech32())
        assert outcome.result == "approved"
        [tx] = await lk.approval_txs(client, "upgrade", target.bech32())
        assert (tx.tx_hash, tx.code) == (outcome.tx_hash, 0)
        [sent] = await lk.broadcast_msgs(client, tx.tx_hash)
        assert sent.type_url == "/panacea.oracle.v2.MsgApproveOracleUpgrade"
        sent_msg = tx_pb2.MsgApproveOracleUpgrade.FromString(sent.value)
        check_approval(oracle, sent_msg.approval_sharing_oracle_key, sent_msg.signature, newer, target.bech32(),
                       node_key)
        record = await client.oracle_upgrade(newer, target.bech32())
        assert lk.holds_oracle_key(node_key, oracle, record.encrypted_oracle_priv_key)
        assert (await client.oracle(target.bech32())).unique_id == uid(oracle)  # switches at the upgrade height

        assert await approver.approve_upgrade(newer, target.bech32()) == Outcome("already_approved")
        assert await lk.sequence(client) == before + 1

    run(node, body)


def _upgrade_failure(oracle: OracleKit, node: Node, unique_id: str, target: str) -> str:
    e = fails(node, lambda client: lk.approver(oracle, client).approve_upgrade(unique_id, target))
    assert not e.retryable
    prefix = f"failed to verify oracle upgrade. unique ID({unique_id}), target address({target}): "
    assert e.message.startswith(prefix), e.message
    return e.message.removeprefix(prefix)


def test_upgrade_to_an_unscheduled_unique_id(oracle: OracleKit, node: Node) -> None:
    assert _upgrade_failure(oracle, node, lk.STALE_UNIQUE_ID, lk.STALE_TARGET.bech32()) == \
        "the upgrade unique ID is different from the one stored in panacea"


def test_upgrade_of_an_account_that_is_no_oracle(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    target = lk.NO_ORACLE_TARGET.bech32()
    assert _upgrade_failure(oracle, node, upgraded.identity().unique_id_hex, target) == \
        f"failed to get oracle: oracle '{target}' does not exist: oracle not found"


def test_upgrade_with_a_wrong_trusted_block(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    target = nodekit.key("stale")
    wrong = bytes.fromhex("22" * 32)
    trusted = run(node, lk.trusted_block)
    run(node, lambda client: lk.upgrade(client, target, upgraded, trusted=lk.Trusted(trusted.height, wrong)))
    h = trusted.height
    assert _upgrade_failure(oracle, node, upgraded.identity().unique_id_hex, target.bech32()) == (
        f"failed to verify trusted block information. height({h}), hash({wrong.hex().upper()}): failed to verify "
        f"trusted block information. height({h}), expected block hash({wrong.hex()}), got block hash("
        f"{trusted.block_hash.hex()})")


def test_upgrade_attested_by_the_old_version(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    target = nodekit.key("asyncer")

    async def body(client: AsyncChainClient) -> None:
        node_key = PrivateKey.generate()  # the old version's report over the key: not the new unique ID
        old_report = oracle.enclave.remote_report(report_data_for(node_key.public_key()))
        msg = tx_pb2.MsgUpgradeOracle(unique_id=upgraded.identity().unique_id_hex, oracle_address=target.bech32(),
                                      **lk.node_fields(upgraded, node_key, await lk.trusted_block(client), old_report))
        assert (await client.wallet(target).send([msg])).ok

    run(node, body)
    assert _upgrade_failure(oracle, node, upgraded.identity().unique_id_hex, target.bech32()) == \
        "failed to verify remote report: invalid unique ID in the report"


def test_upgrade_broadcast_refused(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    target = nodekit.key("gas-cli")
    newer = upgraded.identity().unique_id_hex
    run(node, lambda client: lk.upgrade(client, target, upgraded))
    other = lk.NOT_AN_ORACLE.bech32()
    e = fails(node, lambda client: lk.approver(oracle, client, account=lk.NOT_AN_ORACLE).approve_upgrade(
        newer, target.bech32()))
    assert e.message == (f"{UPGRADE_BROADCAST_FAILED}: failed to execute message; message index: 0: error occurs "
                         f"while checking if the oracle({other}) exists: oracle '{other}' does not exist: oracle not "
                         "found: error while approving oracle upgrade")
    assert e.retryable


def test_upgrade_not_on_chain(oracle: OracleKit, node: Node, upgraded: SimulatedEnclave) -> None:
    newer = upgraded.identity().unique_id_hex
    nobody = PrivateKey.generate().bech32()
    e = fails(node, lambda client: lk.approver(oracle, client).approve_upgrade(newer, nobody))
    assert e.message == (f"failed to get oracle upgrade. unique ID({newer}), target address({nobody}): "
                         "oracle upgrade not found")
    assert e.category == Category.NOT_FOUND


def test_measured_copy_is_another_version(oracle: OracleKit, upgraded: SimulatedEnclave) -> None:
    assert upgraded.identity().unique_id != oracle.enclave.identity().unique_id
    assert upgraded.attestation_public_key == oracle.enclave.attestation_public_key  # hence reports verify

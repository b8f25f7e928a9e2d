"""Spec §6 "oracle / upgrade": upgrade info, UpgradeOracle, ApproveOracleUpgrade, BeginBlocker, proposal."""

from __future__ import annotations

import pytest

from panacea.chain.errors import ErrInvalidRequest
from panacea.chain.modules.oracle.errors import ErrOracleUpgradeInfoNotFound
from panacea.chain.modules.oracle.msgs import validate_upgrade_proposal
from panacea.crypto.keys import PrivateKey
from panacea.types.events import Event
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2, proposal_pb2, tx_pb2

from .conftest import CURRENT_UID, UPGRADE_UID, Env, address, error_of, make_env


@pytest.fixture
def env() -> Env:
    e = make_env(CURRENT_UID)
    e.keeper.set_oracle_upgrade_info(e.ctx, oracle_pb2.OracleUpgradeInfo(unique_id=UPGRADE_UID, height=10))
    return e


def _approve_msg(env: Env, approver: str, target: str, approver_uid: str = CURRENT_UID,
                 target_uid: str = UPGRADE_UID) -> tx_pb2.MsgApproveOracleUpgrade:
    approval = env.approval(approver, target, approver_uid, target_uid)
    return tx_pb2.MsgApproveOracleUpgrade(approval_sharing_oracle_key=approval, signature=env.sign(approval))


def _requested(env: Env) -> tuple[str, str]:
    """An active approver and an oracle that requested the upgrade."""
    approver, target = address(), address()
    env.add_oracle(approver, CURRENT_UID, endpoint="iam-approver.com")
    env.add_oracle(target, CURRENT_UID, endpoint="test.com")
    env.keeper.upgrade_oracle(env.ctx, env.upgrade_msg(target))
    return approver, target


# --- upgrade info ---------------------------------------------------------------------------------------
def test_upgrade_info_round_trip(env: Env) -> None:
    info = oracle_pb2.OracleUpgradeInfo(unique_id=UPGRADE_UID, height=10_000_000)
    env.keeper.set_oracle_upgrade_info(env.ctx, info)
    assert env.keeper.get_oracle_upgrade_info(env.ctx) == info


def test_empty_upgrade_info() -> None:
    env = make_env(CURRENT_UID)
    err = error_of(env.keeper.get_oracle_upgrade_info, env.ctx)
    assert err.is_(ErrOracleUpgradeInfoNotFound)
    assert err.log == "oracle upgrade information not found"
    assert env.keeper.find_oracle_upgrade_info(env.ctx) is None


def test_apply_upgrade_sets_params(env: Env) -> None:
    env.keeper.apply_upgrade(env.ctx, oracle_pb2.OracleUpgradeInfo(unique_id=UPGRADE_UID, height=1))
    assert env.keeper.get_params(env.ctx).unique_id == UPGRADE_UID


# --- UpgradeOracle --------------------------------------------------------------------------------------
def test_upgrade_oracle_success(env: Env) -> None:
    addr = address()
    env.add_oracle(addr, CURRENT_UID, endpoint="test.com")
    msg = env.upgrade_msg(addr)
    env.keeper.upgrade_oracle(env.ctx, msg)
    assert env.keeper.get_oracle_upgrade(env.ctx, UPGRADE_UID, addr) == oracle_pb2.OracleUpgrade(
        unique_id=UPGRADE_UID, oracle_address=addr, node_pub_key=msg.node_pub_key,
        node_pub_key_remote_report=msg.node_pub_key_remote_report, trusted_block_height=1,
        trusted_block_hash=msg.trusted_block_hash)
    assert env.ctx.events == [Event.of("oracle_upgrade", ("unique_id", UPGRADE_UID), ("oracle_address", addr))]


def test_upgrade_oracle_mismatched_unique_id(env: Env) -> None:
    addr = address()
    env.add_oracle(addr, CURRENT_UID)
    err = error_of(env.keeper.upgrade_oracle, env.ctx, env.upgrade_msg(addr, "upgradeUniqueID2"))
    assert (err.codespace, err.code) == ("oracle", 15)
    assert err.log == "does not match the upgrade uniqueID: error while upgrading a oracle"


def test_upgrade_oracle_unknown_oracle(env: Env) -> None:
    err = error_of(env.keeper.upgrade_oracle, env.ctx, env.upgrade_msg(address()))
    assert err.log == "is not registered oracle: error while upgrading a oracle"


def test_upgrade_oracle_without_info() -> None:
    env = make_env(CURRENT_UID)
    addr = address()
    env.add_oracle(addr, CURRENT_UID)
    err = error_of(env.keeper.upgrade_oracle, env.ctx, env.upgrade_msg(addr))
    assert err.log == "failed to get oracle upgrade info: error while upgrading a oracle"


def test_upgrade_oracle_twice(env: Env) -> None:
    addr = address()
    env.add_oracle(addr, CURRENT_UID)
    env.keeper.upgrade_oracle(env.ctx, env.upgrade_msg(addr))
    err = error_of(env.keeper.upgrade_oracle, env.ctx, env.upgrade_msg(addr))
    assert err.log == (f"oracle that already received an upgrade request. address({addr}): "
                       "error while upgrading a oracle")


# --- ApproveOracleUpgrade -------------------------------------------------------------------------------
def test_approve_upgrade_success(env: Env) -> None:
    approver, target = _requested(env)
    msg = _approve_msg(env, approver, target)
    env.keeper.approve_oracle_upgrade(env.ctx, msg)
    assert env.ctx.events[-1] == Event.of("approve_oracle_upgrade", ("oracle_address", target),
                                          ("unique_id", UPGRADE_UID))
    assert [e.type for e in env.ctx.events] == ["oracle_upgrade", "approve_oracle_upgrade"]
    upgrade = env.keeper.get_oracle_upgrade(env.ctx, UPGRADE_UID, target)
    assert upgrade.encrypted_oracle_priv_key == msg.approval_sharing_oracle_key.encrypted_oracle_priv_key
    assert env.keeper.get_oracle(env.ctx, target).unique_id == CURRENT_UID  # before the upgrade height


def test_approve_upgrade_already_approved(env: Env) -> None:
    approver, target = _requested(env)
    env.keeper.approve_oracle_upgrade(env.ctx, _approve_msg(env, approver, target))
    err = error_of(env.keeper.approve_oracle_upgrade, env.ctx, _approve_msg(env, target, target))
    assert (err.codespace, err.code) == ("oracle", 17)
    assert err.log == ("already approved oracle upgrade. if you want to be shared oracle private key again, "
                       "please upgrade oracle again: error while approving oracle upgrade")


def test_approve_upgrade_invalid_target_unique_id(env: Env) -> None:
    approver, target = _requested(env)
    err = error_of(env.keeper.approve_oracle_upgrade, env.ctx,
                   _approve_msg(env, approver, target, target_uid="invalidUniqueID"))
    assert err.log == "invalid unique id: error while approving oracle upgrade"


def test_approve_upgrade_without_request(env: Env) -> None:
    approver = address()
    env.add_oracle(approver, CURRENT_UID)
    err = error_of(env.keeper.approve_oracle_upgrade, env.ctx, _approve_msg(env, approver, address()))
    assert err.log == "oracle upgrade not found: error while approving oracle upgrade"


def test_approve_upgrade_without_info() -> None:
    env = make_env(CURRENT_UID)
    approver = address()
    env.add_oracle(approver, CURRENT_UID)
    err = error_of(env.keeper.approve_oracle_upgrade, env.ctx, _approve_msg(env, approver, approver))
    assert err.log == "oracle upgrade information not found: error while approving oracle upgrade"


def test_approve_upgrade_random_key(env: Env) -> None:
    approver, target = _requested(env)
    approval = env.approval(approver, target, CURRENT_UID, UPGRADE_UID)
    msg = tx_pb2.MsgApproveOracleUpgrade(approval_sharing_oracle_key=approval,
                                         signature=env.sign(approval, PrivateKey.generate()))
    err = error_of(env.keeper.approve_oracle_upgrade, env.ctx, msg)
    assert err.log == "failed to signature validation: error while approving oracle upgrade"


def test_approve_upgrade_after_upgrade_height(env: Env) -> None:
    approver, target = address(), address()
    env.add_oracle(approver, UPGRADE_UID)
    env.add_oracle(target, CURRENT_UID)
    env.at(height=10)
    env.keeper.apply_upgrade(env.ctx, env.keeper.get_oracle_upgrade_info(env.ctx))
    env.at(height=11)
    env.keeper.upgrade_oracle(env.ctx, env.upgrade_msg(target))
    env.keeper.approve_oracle_upgrade(env.ctx, _approve_msg(env, approver, target, approver_uid=UPGRADE_UID))
    assert env.keeper.get_oracle(env.ctx, target).unique_id == UPGRADE_UID


# --- BeginBlocker ---------------------------------------------------------------------------------------
def test_begin_block_switches_approved_oracles_at_height(env: Env) -> None:
    approver, target = _requested(env)
    target2 = address()
    env.add_oracle(target2, CURRENT_UID)
    env.keeper.upgrade_oracle(env.ctx, env.upgrade_msg(target2))
    env.keeper.approve_oracle_upgrade(env.ctx, _approve_msg(env, approver, target))
    env.keeper.approve_oracle_upgrade(env.ctx, _approve_msg(env, approver, target2))
    env.at(height=10)
    env.keeper.begin_block(env.ctx)
    assert env.keeper.get_params(env.ctx).unique_id == UPGRADE_UID
    assert env.keeper.get_oracle(env.ctx, target).unique_id == UPGRADE_UID
    assert env.keeper.get_oracle(env.ctx, target2).unique_id == UPGRADE_UID
    assert env.keeper.get_oracle(env.ctx, approver).unique_id == CURRENT_UID
    assert env.keeper.find_oracle_upgrade_info(env.ctx) is not None  # the info is not deleted


def test_begin_block_leaves_unapproved_upgrades(env: Env) -> None:
    _, target = _requested(env)
    env.at(height=10)
    env.keeper.begin_block(env.ctx)
    assert env.keeper.get_oracle(env.ctx, target).unique_id == CURRENT_UID


@pytest.mark.parametrize("height", [9, 11])
def test_begin_block_other_heights_do_nothing(env: Env, height: int) -> None:
    env.at(height=height)
    env.keeper.begin_block(env.ctx)
    assert env.keeper.get_params(env.ctx).unique_id == CURRENT_UID


def test_begin_block_without_info() -> None:
    env = make_env(CURRENT_UID, height=10)
    env.keeper.begin_block(env.ctx)
    assert env.keeper.get_params(env.ctx).unique_id == CURRENT_UID


def test_begin_block_upgrade_iterator_uses_separator() -> None:
    """Departure (§3.3): an approved upgrade under "abcd" is not switched by the "abc" upgrade."""
    env = make_env(CURRENT_UID)
    env.keeper.set_oracle_upgrade_info(env.ctx, oracle_pb2.OracleUpgradeInfo(unique_id="abcd", height=10))
    approver, other = address(), address()
    env.add_oracle(approver, CURRENT_UID)
    env.add_oracle(other, CURRENT_UID)
    env.keeper.upgrade_oracle(env.ctx, env.upgrade_msg(other, "abcd"))
    env.keeper.approve_oracle_upgrade(env.ctx, _approve_msg(env, approver, other, target_uid="abcd"))
    env.keeper.set_oracle_upgrade_info(env.ctx, oracle_pb2.OracleUpgradeInfo(unique_id="abc", height=10))
    env.at(height=10)
    env.keeper.begin_block(env.ctx)
    assert env.keeper.get_params(env.ctx).unique_id == "abc"
    assert env.keeper.get_oracle(env.ctx, other).unique_id == CURRENT_UID


# --- OracleUpgradeProposal ------------------------------------------------------------------------------
def _proposal(height: int, unique_id: str = "UpgradeUniqueID", title: str = "OracleUpgradeTitle",
              description: str = "OracleUpgradeDescription") -> proposal_pb2.OracleUpgradeProposal:
    return proposal_pb2.OracleUpgradeProposal(title=title, description=description,
                                              plan=proposal_pb2.Plan(unique_id=unique_id, height=height))


def test_proposal_handler_stores_upgrade_info() -> None:
    env = make_env(CURRENT_UID)
    env.keeper.apply_upgrade_proposal(env.ctx, _proposal(10000))
    assert env.keeper.get_oracle_upgrade_info(env.ctx) == oracle_pb2.OracleUpgradeInfo(
        unique_id="UpgradeUniqueID", height=10000)


def test_proposal_handler_current_height_allowed_past_rejected() -> None:
    env = make_env(CURRENT_UID, height=100)
    env.keeper.apply_upgrade_proposal(env.ctx, _proposal(100))
    err = error_of(env.keeper.apply_upgrade_proposal, env.ctx, _proposal(99, "later"))
    assert err.is_(ErrInvalidRequest)
    assert err.log == "oracle upgrade cannot be scheduled in the past: invalid request"
    assert env.keeper.get_oracle_upgrade_info(env.ctx).height == 100


@pytest.mark.parametrize(("proposal", "text"), [
    (_proposal(10, unique_id=""), "uniqueID cannot be empty: invalid request"),
    (_proposal(0, unique_id=""), "uniqueID cannot be empty: invalid request"),
    (_proposal(0), "height must be greater than 0: invalid request"),
    (_proposal(10, title="  "), "proposal title cannot be blank: invalid proposal content"),
    (_proposal(10, title="t" * 141), "proposal title is longer than max length of 140: invalid proposal content"),
    (_proposal(10, description=""), "proposal description cannot be blank: invalid proposal content"),
    (_proposal(10, description="d" * 5001),
     "proposal description is longer than max length of 5000: invalid proposal content"),
])
def test_proposal_validate_basic(proposal: proposal_pb2.OracleUpgradeProposal, text: str) -> None:
    err = error_of(validate_upgrade_proposal, proposal)
    assert err.log == text


def test_proposal_validate_basic_ok() -> None:
    validate_upgrade_proposal(_proposal(10, title="t" * 140, description="d" * 5000))

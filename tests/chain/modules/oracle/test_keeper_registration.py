"""Spec §6 "oracle / registration & info": RegisterOracle, ApproveOracleRegistration, UpdateOracleInfo."""

from __future__ import annotations

import pytest

from panacea.chain.modules.oracle.keeper import GO_ZERO_TIME_SECONDS, go_zero_time, timestamp
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import decrypt_from
from panacea.types.events import Event
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2, tx_pb2

from .conftest import (
    ENDPOINT,
    HOUR,
    MAX_CHANGE,
    MAX_RATE,
    NEW_ENDPOINT,
    RATE,
    T0,
    UID,
    Env,
    address,
    dec,
    error_of,
    make_env,
)


@pytest.fixture
def env() -> Env:
    return make_env()


# --- RegisterOracle -------------------------------------------------------------------------------------
def test_register_success(env: Env) -> None:
    addr = address()
    msg = env.register_msg(addr)
    env.keeper.register_oracle(env.ctx, msg)
    assert env.ctx.events == [Event.of("oracle_registration", ("unique_id", UID), ("oracle_address", addr))]
    stored = env.keeper.get_oracle_registration(env.ctx, UID, addr)
    assert stored == oracle_pb2.OracleRegistration(
        unique_id=UID, oracle_address=addr, node_pub_key=msg.node_pub_key,
        node_pub_key_remote_report=msg.node_pub_key_remote_report, trusted_block_height=1,
        trusted_block_hash=msg.trusted_block_hash, endpoint=ENDPOINT, oracle_commission_rate=RATE,
        oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=MAX_CHANGE)
    assert stored.encrypted_oracle_priv_key == b""


def test_register_twice(env: Env) -> None:
    addr = address()
    env.keeper.register_oracle(env.ctx, env.register_msg(addr))
    err = error_of(env.keeper.register_oracle, env.ctx, env.register_msg(addr))
    assert (err.codespace, err.code) == ("oracle", 1)
    assert err.log == f"already registered oracle. address({addr}): error while registering a oracle"


def test_register_wrong_unique_id(env: Env) -> None:
    err = error_of(env.keeper.register_oracle, env.ctx, env.register_msg(address(), "wrongUniqueID"))
    assert err.log == "invalid unique id: error while registering a oracle"
    assert env.ctx.events == []


def test_register_zero_rate_is_stored_as_go_writes_it(env: Env) -> None:
    addr = address()
    env.keeper.register_oracle(env.ctx, env.register_msg(addr, oracle_commission_rate=""))
    assert env.keeper.get_oracle_registration(env.ctx, UID, addr).oracle_commission_rate == "0"


# --- ApproveOracleRegistration --------------------------------------------------------------------------
def _register_and_approve_msg(env: Env, approver: str, target: str, **kw: str
                              ) -> tuple[tx_pb2.ApprovalSharingOracleKey, tx_pb2.MsgApproveOracleRegistration]:
    env.keeper.register_oracle(env.ctx, env.register_msg(target))
    approval = env.approval(approver, target, **kw)
    return approval, tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval,
                                                          signature=env.sign(approval))


def test_approve_success_self_approval(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    approval, msg = _register_and_approve_msg(env, addr, addr)
    env.at(time_ns=T0 + 5)
    env.keeper.approve_oracle_registration(env.ctx, msg)
    assert env.ctx.events == [Event.of("approve_oracle_registration", ("oracle_address", addr), ("unique_id", UID))]
    oracle = env.keeper.get_oracle(env.ctx, addr)
    assert oracle == oracle_pb2.Oracle(
        oracle_address=addr, unique_id=UID, endpoint=ENDPOINT, update_time=timestamp(T0 + 5),
        oracle_commission_rate=RATE, oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=MAX_CHANGE)
    registration = env.keeper.get_oracle_registration(env.ctx, UID, addr)
    assert registration.encrypted_oracle_priv_key == approval.encrypted_oracle_priv_key
    # The shared key really is the oracle key, readable by the registering node only.
    shared = decrypt_from(env.node_priv, env.oracle_priv.public_key(), registration.encrypted_oracle_priv_key)
    assert shared == env.oracle_priv.secret


def test_approve_events_follow_registration(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    _, msg = _register_and_approve_msg(env, addr, addr)
    env.keeper.approve_oracle_registration(env.ctx, msg)
    assert [e.type for e in env.ctx.events] == ["oracle_registration", "approve_oracle_registration"]


def test_approve_new_oracle_by_other_active_oracle(env: Env) -> None:
    approver, target = address(), address()
    env.add_oracle(approver)
    _, msg = _register_and_approve_msg(env, approver, target)
    env.keeper.approve_oracle_registration(env.ctx, msg)
    assert env.keeper.get_oracle(env.ctx, target).unique_id == UID


def test_approve_invalid_approver_unique_id(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    _, msg = _register_and_approve_msg(env, addr, addr, approver_uid="uniqueID2")
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert (err.codespace, err.code) == ("oracle", 7)
    assert err.log == "invalid unique id: error while approving an oracle registration"


def test_approve_random_key_without_approver_oracle(env: Env) -> None:
    """The reference test: the approver has no Oracle record, so the activity check fails first."""
    addr = address()
    env.keeper.register_oracle(env.ctx, env.register_msg(addr))
    approval = env.approval(addr, addr)
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval,
                                              signature=env.sign(approval, PrivateKey.generate()))
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == (f"error occurs while checking if the oracle({addr}) exists: oracle '{addr}' does not exist: "
                       "oracle not found: error while approving an oracle registration")


def test_approve_random_key_with_active_approver(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    approval = env.approval(addr, addr)
    env.keeper.register_oracle(env.ctx, env.register_msg(addr))
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval,
                                              signature=env.sign(approval, PrivateKey.generate()))
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == "failed to signature validation: error while approving an oracle registration"


def test_approve_inactive_approver(env: Env) -> None:
    addr = address()
    env.add_oracle(addr, unique_id="oldUniqueID")
    _, msg = _register_and_approve_msg(env, addr, addr)
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == (f"error occurs while checking if the oracle({addr}) exists: invalid unique id: "
                       "error while approving an oracle registration")


def test_approve_malformed_signature(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    approval, _ = _register_and_approve_msg(env, addr, addr)
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval, signature=b"signature")
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == "malformed signature: no header magic: error while approving an oracle registration"


def test_approve_empty_encrypted_key(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    _, msg = _register_and_approve_msg(env, addr, addr, encrypted=b"")  # type: ignore[arg-type]
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == "encrypted oracle private key is empty: error while approving an oracle registration"


def test_approve_without_registration(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    approval = env.approval(addr, address())
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval, signature=env.sign(approval))
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == "oracle registration not found: error while approving an oracle registration"


def test_approve_target_unique_id_not_current(env: Env) -> None:
    approver, target = address(), address()
    env.add_oracle(approver)
    stale = oracle_pb2.OracleRegistration(unique_id="oldUniqueID", oracle_address=target)
    env.keeper.set_oracle_registration(env.ctx, stale)
    approval = env.approval(approver, target, target_uid="oldUniqueID")
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval, signature=env.sign(approval))
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == "invalid unique id: error while approving an oracle registration"


def test_approve_already_approved(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    registration = oracle_pb2.OracleRegistration(unique_id=UID, oracle_address=addr,
                                                 encrypted_oracle_priv_key=b"already registered")
    env.keeper.set_oracle_registration(env.ctx, registration)
    approval = env.approval(addr, addr)
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval, signature=env.sign(approval))
    err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
    assert err.log == ("already approved oracle registration. if you want to be shared oracle private key again, "
                       "please register oracle again: error while approving an oracle registration")


# --- UpdateOracleInfo -----------------------------------------------------------------------------------
def _update(addr: str, rate: str | None = None, endpoint: str = NEW_ENDPOINT) -> tx_pb2.MsgUpdateOracleInfo:
    return tx_pb2.MsgUpdateOracleInfo(oracle_address=addr, endpoint=endpoint,
                                      oracle_commission_rate=dec(rate) if rate is not None else "")


def test_update_after_30h(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    env.at(time_ns=T0 + 30 * HOUR)
    env.keeper.update_oracle_info(env.ctx, _update(addr, "0.11"))
    oracle = env.keeper.get_oracle(env.ctx, addr)
    assert (oracle.endpoint, oracle.oracle_commission_rate) == (NEW_ENDPOINT, dec("0.11"))
    assert oracle.update_time == timestamp(T0 + 30 * HOUR)
    assert env.ctx.events == []


def test_update_unchanged_rate_keeps_update_time(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    env.keeper.update_oracle_info(env.ctx, _update(addr, "0.1"))
    oracle = env.keeper.get_oracle(env.ctx, addr)
    assert (oracle.endpoint, oracle.oracle_commission_rate, oracle.update_time) == (NEW_ENDPOINT, RATE, timestamp(T0))


def test_update_without_rate_or_endpoint(env: Env) -> None:
    addr = address()
    env.add_oracle(addr)
    env.keeper.update_oracle_info(env.ctx, _update(addr, None, endpoint=""))
    oracle = env.keeper.get_oracle(env.ctx, addr)
    assert (oracle.endpoint, oracle.oracle_commission_rate) == (ENDPOINT, RATE)


@pytest.mark.parametrize(("elapsed", "ok"), [(0, False), (24 * HOUR - 1, False), (24 * HOUR, True)])
def test_update_24h_rule(env: Env, elapsed: int, ok: bool) -> None:
    addr = address()
    env.add_oracle(addr)
    env.at(time_ns=T0 + elapsed)
    if ok:
        env.keeper.update_oracle_info(env.ctx, _update(addr, "0.11"))
        return
    err = error_of(env.keeper.update_oracle_info, env.ctx, _update(addr, "0.11"))
    assert (err.codespace, err.code) == ("oracle", 8)
    assert err.log == "commission cannot be changed more than once in 24h: error while updating oracle info"


@pytest.mark.parametrize(("rate", "max_change", "text"), [
    ("0.12", "0.01", "commission cannot be changed more than max change rate"),
    ("0.3", "0.3", "commission cannot be more than the max rate"),
    ("-0.1", "0.01", "commission must be positive"),
])
def test_update_commission_rules(env: Env, rate: str, max_change: str, text: str) -> None:
    addr = address()
    env.add_oracle(addr, max_change=dec(max_change))
    env.at(time_ns=T0 + 30 * HOUR)
    err = error_of(env.keeper.update_oracle_info, env.ctx, _update(addr, rate))
    assert err.log == f"{text}: error while updating oracle info"


def test_update_large_decrease_allowed(env: Env) -> None:
    """REF (§3.7): the max-change check is one-sided."""
    addr = address()
    env.add_oracle(addr)
    env.at(time_ns=T0 + 30 * HOUR)
    env.keeper.update_oracle_info(env.ctx, _update(addr, "0"))
    assert env.keeper.get_oracle(env.ctx, addr).oracle_commission_rate == "0"


def test_update_genesis_oracle_with_zero_time_immediately(env: Env) -> None:
    addr = address()
    oracle = oracle_pb2.Oracle(oracle_address=addr, unique_id=UID, oracle_commission_rate=RATE,
                               oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=MAX_CHANGE)
    env.keeper.set_oracle(env.ctx, oracle)
    assert env.keeper.get_oracle(env.ctx, addr).update_time.seconds == GO_ZERO_TIME_SECONDS
    env.keeper.update_oracle_info(env.ctx, _update(addr, "0.11"))
    assert env.keeper.get_oracle(env.ctx, addr).update_time == timestamp(T0)
    assert go_zero_time().ToJsonString() == "0001-01-01T00:00:00Z"


def test_update_unknown_oracle(env: Env) -> None:
    addr = address()
    err = error_of(env.keeper.update_oracle_info, env.ctx, _update(addr, "0.11"))
    assert err.log == f"oracle '{addr}' does not exist: oracle not found: error while updating oracle info"


def test_verify_oracle(env: Env) -> None:
    addr, old = address(), address()
    env.add_oracle(addr)
    env.add_oracle(old, unique_id="oldUniqueID")
    env.keeper.verify_oracle(env.ctx, addr)
    missing = address()
    assert error_of(env.keeper.verify_oracle, env.ctx, missing).log == (
        f"failed to oracle validation. address({missing}) oracle '{missing}' does not exist: oracle not found")
    assert error_of(env.keeper.verify_oracle, env.ctx, old).log == (
        f"is not active an oracle. oracleAddress({old}), oracleUniqueID(oldUniqueID), activeUniqueID({UID})")

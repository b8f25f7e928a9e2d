"""ValidateBasic of the oracle msgs: each check in the reference order, exact texts (chain-reference §3.4–§3.9)."""

from __future__ import annotations

from typing import Any

import pytest

from panacea.chain.errors import ErrInvalidRequest
from panacea.chain.modules.oracle import msgs
from panacea.chain.modules.oracle.module import OracleModule
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2, tx_pb2

from .conftest import Env, address, dec, error_of, make_env


@pytest.fixture
def env() -> Env:
    return make_env()


def _text(fn: Any, msg: Any) -> str:
    err = error_of(fn, msg)
    assert err.is_(ErrInvalidRequest)
    return err.log


def test_register_valid(env: Env) -> None:
    msgs.validate_register_oracle(env.register_msg(address()))
    msgs.validate_register_oracle(env.register_msg(address(), endpoint=""))  # endpoint unchecked


def test_register_sequence(env: Env) -> None:
    a = address()
    steps: list[tuple[dict[str, Any], str]] = [
        ({"unique_id": "", "oracle_address": "", "node_pub_key": b""}, "uniqueID is empty: invalid request"),
        ({"oracle_address": "", "node_pub_key": b""},
         "oracleAddress is invalid. address: , error: empty address string is not allowed: invalid request"),
        ({"node_pub_key": b"", "node_pub_key_remote_report": b""}, "node public key is empty: invalid request"),
        ({"node_pub_key": b"\x02" + bytes(32), "node_pub_key_remote_report": b""},
         "invalid node public key: invalid request"),
        ({"node_pub_key_remote_report": b"", "trusted_block_height": 0},
         "remote report of node public key is empty: invalid request"),
        ({"trusted_block_height": -1, "trusted_block_hash": b""},
         "trusted block height must be greater than zero: invalid request"),
        ({"trusted_block_hash": b"", "oracle_commission_max_rate": dec("1.01")},
         "trusted block hash should not be nil: invalid request"),
        ({"oracle_commission_max_rate": dec("1.01"), "oracle_commission_rate": dec("-1")},
         "OracleCommissionMaxRate must be between 0 and 1: invalid request"),
        ({"oracle_commission_max_rate": dec("-0.1")},
         "OracleCommissionMaxRate must be between 0 and 1: invalid request"),
        ({"oracle_commission_rate": dec("0.3"), "oracle_commission_max_change_rate": dec("2")},
         "oracleCommissionRate must be between 0 and OracleCommissionMaxRate: invalid request"),
        ({"oracle_commission_rate": dec("-0.01")},
         "oracleCommissionRate must be between 0 and OracleCommissionMaxRate: invalid request"),
        # REF (§3.4): MsgRegisterOracle bounds the max change rate by max_rate (0.2), not by 1.
        ({"oracle_commission_max_change_rate": dec("0.21")},
         "OracleCommissionMaxChangeRate must be between 0 and OracleCommissionMaxRate: invalid request"),
        ({"oracle_commission_max_change_rate": dec("-0.01")},
         "OracleCommissionMaxChangeRate must be between 0 and OracleCommissionMaxRate: invalid request"),
    ]
    for fields, text in steps:
        assert _text(msgs.validate_register_oracle, env.register_msg(a, **fields)) == text


def test_register_accepts_hybrid_and_uncompressed_node_keys(env: Env) -> None:
    uncompressed = env.node_priv.public_key().uncompressed()
    msgs.validate_register_oracle(env.register_msg(address(), node_pub_key=uncompressed))
    hybrid = bytes([6 | (uncompressed[64] & 1)]) + uncompressed[1:]
    msgs.validate_register_oracle(env.register_msg(address(), node_pub_key=hybrid))


def _approve(approval: tx_pb2.ApprovalSharingOracleKey, signature: bytes = b"signature"
             ) -> tx_pb2.MsgApproveOracleRegistration:
    return tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval, signature=signature)


APPROVAL_STEPS: list[tuple[dict[str, Any], str]] = [
    ({"approver_unique_id": "", "target_unique_id": ""}, "approver uniqueID is empty: invalid request"),
    ({"target_unique_id": "", "approver_oracle_address": ""}, "target uniqueID is empty: invalid request"),
    ({"approver_oracle_address": "", "target_oracle_address": ""},
     "approverOracleAddress is invalid. address: , error: empty address string is not allowed: invalid request"),
    ({"target_oracle_address": "panacea1xyz", "encrypted_oracle_priv_key": b""},
     "targetOracleAddress is invalid. address: panacea1xyz, error: decoding bech32 failed: invalid separator "
     "index 7: invalid request"),
    ({"encrypted_oracle_priv_key": b""}, "encryptedOraclePrivKey is empty: invalid request"),
]


def _approval(env: Env, **fields: Any) -> tx_pb2.ApprovalSharingOracleKey:
    a = env.approval(address(), address())
    for k, v in fields.items():
        setattr(a, k, v)
    return a


def test_approve_registration_sequence(env: Env) -> None:
    msgs.validate_approve_oracle_registration(_approve(_approval(env)))
    for fields, text in APPROVAL_STEPS:
        assert _text(msgs.validate_approve_oracle_registration, _approve(_approval(env, **fields))) == text
    assert _text(msgs.validate_approve_oracle_registration, _approve(_approval(env), b"")) == \
        "signature is empty: invalid request"


def test_approve_upgrade_sequence_double_wrapped(env: Env) -> None:
    def upgrade(a: tx_pb2.ApprovalSharingOracleKey, sig: bytes = b"signature") -> tx_pb2.MsgApproveOracleUpgrade:
        return tx_pb2.MsgApproveOracleUpgrade(approval_sharing_oracle_key=a, signature=sig)

    msgs.validate_approve_oracle_upgrade(upgrade(_approval(env)))
    for fields, text in APPROVAL_STEPS:
        assert _text(msgs.validate_approve_oracle_upgrade, upgrade(_approval(env, **fields))) == \
            f"{text}: invalid request"
    assert _text(msgs.validate_approve_oracle_upgrade, upgrade(_approval(env), b"")) == \
        "signature is empty: invalid request"


def test_update_oracle_info(env: Env) -> None:
    msgs.validate_update_oracle_info(tx_pb2.MsgUpdateOracleInfo(oracle_address=address()))
    msgs.validate_update_oracle_info(tx_pb2.MsgUpdateOracleInfo(oracle_address=address(),
                                                                oracle_commission_rate=dec("-5")))
    assert _text(msgs.validate_update_oracle_info, tx_pb2.MsgUpdateOracleInfo(endpoint="x")) == \
        "oracleAddress is invalid. address: , error: empty address string is not allowed: invalid request"


def test_upgrade_oracle_sequence(env: Env) -> None:
    a = address()
    msgs.validate_upgrade_oracle(env.upgrade_msg(a))
    steps: list[tuple[dict[str, Any], str]] = [
        ({"unique_id": "", "oracle_address": ""}, "uniqueID is empty: invalid request"),
        ({"oracle_address": "", "node_pub_key": b""},
         "oracleAddress is invalid. address: , error: empty address string is not allowed: invalid request"),
        ({"node_pub_key": b"", "node_pub_key_remote_report": b""}, "node public key is empty: invalid request"),
        ({"node_pub_key": b"\x05" * 33}, "invalid node public key: invalid request"),
        ({"node_pub_key_remote_report": b"", "trusted_block_height": 0},
         "remote report of node public key is empty: invalid request"),
        ({"trusted_block_height": 0, "trusted_block_hash": b""},
         "trusted block height must be greater than zero: invalid request"),
        ({"trusted_block_hash": b""}, "trusted block hash should not be nil: invalid request"),
    ]
    for fields, text in steps:
        assert _text(msgs.validate_upgrade_oracle, env.upgrade_msg(a, **fields)) == text


def test_routes_actions_signers_and_module_events(env: Env) -> None:
    routes = {r.action: r for r in OracleModule(env.keeper).routes()}
    assert list(routes) == ["RegisterOracle", "ApproveOracleRegistration", "UpdateOracleInfo", "UpgradeOracle",
                            "ApproveOracleUpgrade"]
    assert routes["RegisterOracle"].type_url == "/panacea.oracle.v2.MsgRegisterOracle"
    approver, target = address(), address()
    approval = env.approval(approver, target)
    assert routes["ApproveOracleRegistration"].signers(_approve(approval)) == [approver]
    assert routes["ApproveOracleUpgrade"].signers(
        tx_pb2.MsgApproveOracleUpgrade(approval_sharing_oracle_key=approval)) == [approver]
    assert routes["UpdateOracleInfo"].signers(tx_pb2.MsgUpdateOracleInfo(oracle_address=target)) == [target]

    resp = routes["RegisterOracle"].handle(env.ctx, env.register_msg(target))
    assert resp == tx_pb2.MsgRegisterOracleResponse()
    assert [(e.type, e.attributes) for e in env.ctx.events][-1] == ("message", (("module", "oracle"),))

    # REF (§3.8): no message{module} event after UpgradeOracle.
    env.keeper.set_oracle_upgrade_info(env.ctx, oracle_pb2.OracleUpgradeInfo(unique_id="u2", height=5))
    env.add_oracle(target)
    env.at()
    routes["UpgradeOracle"].handle(env.ctx, env.upgrade_msg(target, "u2"))
    assert [e.type for e in env.ctx.events] == ["oracle_upgrade"]

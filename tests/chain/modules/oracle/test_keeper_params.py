"""Params, gov param changes and the signature-digest departure (chain-reference §3.2, §2.7, §7.1)."""

from __future__ import annotations

import base64

import pytest

from panacea.chain.context import BlockInfo, Context
from panacea.chain.errors import ErrInvalidRequest, ErrPanic
from panacea.chain.kv import CacheKV, MemKV
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.modules.oracle.queries import OracleQueries
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2, query_pb2, tx_pb2

from .conftest import UID, Env, address, error_of, make_env

DEFAULT = genesis_pb2.Params(signature_digest="sha256")


def _bare() -> tuple[OracleKeeper, Context]:
    return OracleKeeper(), Context(CacheKV(MemKV()), BlockInfo(1, 0, "testchain"))


# --- params ---------------------------------------------------------------------------------------------
def test_default_params_round_trip_keeper_and_query() -> None:
    keeper, ctx = _bare()
    assert keeper.get_params(ctx) == DEFAULT  # nothing stored yet
    keeper.set_params(ctx, DEFAULT)
    assert keeper.get_params(ctx) == DEFAULT
    resp = OracleQueries(keeper).params(ctx, query_pb2.QueryOracleParamsRequest())
    assert resp == query_pb2.QueryParamsResponse(params=DEFAULT)


@pytest.mark.parametrize(("params", "text"), [
    (genesis_pb2.Params(oracle_public_key="not base64!"), "illegal base64 data at input byte 3"),
    (genesis_pb2.Params(oracle_public_key="AAAA"), "invalid pub key length 3"),
    (genesis_pb2.Params(oracle_public_key=base64.b64encode(b"\x05" + bytes(32)).decode()),
     "invalid magic in compressed pubkey string: 5"),
    (genesis_pb2.Params(oracle_pub_key_remote_report="abc"), "illegal base64 data at input byte 0"),
    (genesis_pb2.Params(signature_digest="SHA256"),
     "invalid signature digest 'SHA256': must be \"sha256\" or \"legacy\""),
])
def test_set_params_validates(params: genesis_pb2.Params, text: str) -> None:
    keeper, ctx = _bare()
    err = error_of(keeper.set_params, ctx, params)
    assert err.is_(ErrInvalidRequest)
    assert err.log == f"{text}: invalid request"


@pytest.mark.parametrize("digest", ["", "sha256", "legacy"])
def test_signature_digest_values(digest: str) -> None:
    keeper, ctx = _bare()
    keeper.set_params(ctx, genesis_pb2.Params(signature_digest=digest))
    expected = SignatureMode.LEGACY if digest == "legacy" else SignatureMode.SHA256
    assert keeper.signature_mode(ctx) is expected


def test_param_change_each_key() -> None:
    keeper, ctx = _bare()
    pub = PrivateKey.generate().public_key().to_base64()
    keeper.param_change(ctx, "OraclePublicKey", f'"{pub}"')
    keeper.param_change(ctx, "OraclePubKeyRemoteReport", '"cmVwb3J0"')
    keeper.param_change(ctx, "UniqueID", '"abc"')
    keeper.param_change(ctx, "SignatureDigest", '"legacy"')
    assert keeper.get_params(ctx) == genesis_pb2.Params(
        oracle_public_key=pub, oracle_pub_key_remote_report="cmVwb3J0", unique_id="abc", signature_digest="legacy")
    keeper.param_change(ctx, "UniqueID", '""')
    assert keeper.get_params(ctx).unique_id == ""


@pytest.mark.parametrize(("key", "value", "text"), [
    ("UniqueID", "abc", "invalid character 'a' looking for beginning of value"),
    ("UniqueID", "", "UnmarshalJSON cannot decode empty bytes"),
    ("UniqueID", "12", "json: cannot unmarshal number into Go value of type string"),
    ("SignatureDigest", '"md5"', "invalid signature digest 'md5': must be \"sha256\" or \"legacy\""),
    ("OraclePublicKey", '"AAAA"', "invalid pub key length 3"),
])
def test_param_change_errors(key: str, value: str, text: str) -> None:
    keeper, ctx = _bare()
    err = error_of(keeper.param_change, ctx, key, value)
    assert (err.codespace, err.code, err.log) == ("undefined", 1, text)
    assert keeper.get_params(ctx) == DEFAULT


def test_param_change_unknown_key_is_a_panic() -> None:
    keeper, ctx = _bare()
    err = error_of(keeper.param_change, ctx, "Nope", '"x"')
    assert err.is_(ErrPanic)
    assert err.log == "parameter Nope not registered: panic"


# --- verify_oracle_signature ----------------------------------------------------------------------------
def test_verify_signature_raises_for_malformed_der_and_missing_key() -> None:
    env = make_env()
    err = error_of(env.keeper.verify_oracle_signature, env.ctx, b"message", b"\x30\x02")
    assert err.log == "malformed signature: too short"
    keeper, ctx = _bare()
    sig = sign_message(PrivateKey.generate(), b"message", SignatureMode.SHA256)
    assert error_of(keeper.verify_oracle_signature, ctx, b"message", sig).log == "pubkey string is empty"


@pytest.mark.parametrize("digest", ["sha256", "legacy"])
def test_verify_signature_modes(digest: str) -> None:
    env = make_env(digest=digest)
    message = b"x" * 40
    mode = SignatureMode(digest)
    assert env.keeper.verify_oracle_signature(env.ctx, message, sign_message(env.oracle_priv, message, mode))
    assert not env.keeper.verify_oracle_signature(env.ctx, message,
                                                  sign_message(PrivateKey.generate(), message, mode))
    other = SignatureMode.LEGACY if mode is SignatureMode.SHA256 else SignatureMode.SHA256
    assert not env.keeper.verify_oracle_signature(env.ctx, message, sign_message(env.oracle_priv, message, other))


def _approval_pair(env: Env) -> tuple[tx_pb2.ApprovalSharingOracleKey, tx_pb2.ApprovalSharingOracleKey, str]:
    """Two approvals whose encodings share the first 32 bytes (same approver_unique_id and approver)."""
    approver = address()
    env.add_oracle(approver)
    a = env.approval(approver, address())
    b = env.approval(approver, address())
    bz_a, bz_b = a.SerializeToString(deterministic=True), b.SerializeToString(deterministic=True)
    assert bz_a[:32] == bz_b[:32] and bz_a != bz_b
    return a, b, approver


@pytest.mark.parametrize(("digest", "accepted"), [("legacy", True), ("sha256", False), ("", False)])
def test_approval_signed_over_other_approval(digest: str, accepted: bool) -> None:
    env = make_env(digest=digest)
    a, b, _ = _approval_pair(env)
    env.keeper.register_oracle(env.ctx, env.register_msg(b.target_oracle_address))
    msg = tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=b, signature=env.sign(a))
    if accepted:  # REF (§2.7): only the first 32 bytes are authenticated
        env.keeper.approve_oracle_registration(env.ctx, msg)
        assert env.keeper.get_oracle(env.ctx, b.target_oracle_address).unique_id == UID
    else:
        err = error_of(env.keeper.approve_oracle_registration, env.ctx, msg)
        assert err.log == "failed to signature validation: error while approving an oracle registration"
        assert env.keeper.get_oracle_registration(env.ctx, UID, b.target_oracle_address) \
            .encrypted_oracle_priv_key == b""


def test_legacy_mode_approve_upgrade_with_foreign_signature() -> None:
    env = make_env(digest="legacy")
    env.keeper.set_oracle_upgrade_info(env.ctx, oracle_pb2.OracleUpgradeInfo(unique_id="u2", height=100))
    a, b, _ = _approval_pair(env)
    b.target_unique_id = "u2"
    env.add_oracle(b.target_oracle_address)
    env.keeper.upgrade_oracle(env.ctx, env.upgrade_msg(b.target_oracle_address, "u2"))
    env.keeper.approve_oracle_upgrade(env.ctx, tx_pb2.MsgApproveOracleUpgrade(
        approval_sharing_oracle_key=b, signature=env.sign(a)))
    assert env.keeper.get_oracle_upgrade(env.ctx, "u2", b.target_oracle_address).encrypted_oracle_priv_key

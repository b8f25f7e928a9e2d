from __future__ import annotations

import pytest
from google.protobuf import any_pb2

from panacea.types import (
    ACCOUNT_REGISTRY,
    CONTENT_REGISTRY,
    DEFAULT_REGISTRY,
    MSG_REGISTRY,
    PUBKEY_REGISTRY,
    AnyDecodeError,
    UnknownTypeURLError,
    pack_any,
    type_url,
    unpack_any,
)
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as datadeal_tx_pb2


def test_pack_uses_cosmos_type_url() -> None:
    msg = datadeal_tx_pb2.MsgDeactivateDeal(deal_id=3, requester_address="panacea1x")
    packed = pack_any(msg)
    assert packed.type_url == "/panacea.datadeal.v2.MsgDeactivateDeal"
    assert packed.value == msg.SerializeToString()
    assert type_url(datadeal_tx_pb2.MsgDeactivateDeal) == packed.type_url
    assert unpack_any(packed) == msg


def test_unpack_base_account_with_pub_key() -> None:
    account = auth_pb2.BaseAccount(
        address="panacea1x", pub_key=pack_any(keys_pb2.PubKey(key=b"\x02" * 33)), account_number=5
    )
    out = unpack_any(pack_any(account))
    assert isinstance(out, auth_pb2.BaseAccount)
    assert isinstance(unpack_any(out.pub_key, PUBKEY_REGISTRY), keys_pb2.PubKey)


def test_unknown_type_url() -> None:
    with pytest.raises(UnknownTypeURLError, match=r"^unable to resolve type URL /foo\.Bar$") as info:
        unpack_any(any_pb2.Any(type_url="/foo.Bar"))
    assert info.value.type_url == "/foo.Bar"
    # google's host-prefixed form is not what Cosmos uses
    with pytest.raises(UnknownTypeURLError):
        unpack_any(any_pb2.Any(type_url="type.googleapis.com/cosmos.bank.v1beta1.MsgSend"))
    # a type known in general but not in the interface asked for
    with pytest.raises(UnknownTypeURLError):
        unpack_any(pack_any(keys_pb2.PubKey(key=b"k")), MSG_REGISTRY)


def test_undecodable_value() -> None:
    with pytest.raises(AnyDecodeError, match=r"^cannot decode /cosmos\.bank\.v1beta1\.MsgSend"):
        unpack_any(any_pb2.Any(type_url="/cosmos.bank.v1beta1.MsgSend", value=b"\xff"))


def test_registries() -> None:
    assert sorted(MSG_REGISTRY) == [
        "/cosmos.bank.v1beta1.MsgMultiSend",
        "/cosmos.bank.v1beta1.MsgSend",
        "/cosmos.gov.v1beta1.MsgDeposit",
        "/cosmos.gov.v1beta1.MsgSubmitProposal",
        "/cosmos.gov.v1beta1.MsgVote",
        "/cosmos.gov.v1beta1.MsgVoteWeighted",
        "/panacea.datadeal.v2.MsgCreateDeal",
        "/panacea.datadeal.v2.MsgDeactivateDeal",
        "/panacea.datadeal.v2.MsgSubmitConsent",
        "/panacea.did.v2.MsgCreateDID",
        "/panacea.did.v2.MsgDeactivateDID",
        "/panacea.did.v2.MsgUpdateDID",
        "/panacea.oracle.v2.MsgApproveOracleRegistration",
        "/panacea.oracle.v2.MsgApproveOracleUpgrade",
        "/panacea.oracle.v2.MsgRegisterOracle",
        "/panacea.oracle.v2.MsgUpdateOracleInfo",
        "/panacea.oracle.v2.MsgUpgradeOracle",
    ]
    assert sorted(PUBKEY_REGISTRY) == ["/cosmos.crypto.ed25519.PubKey", "/cosmos.crypto.secp256k1.PubKey"]
    assert sorted(CONTENT_REGISTRY) == [
        "/cosmos.gov.v1beta1.TextProposal",
        "/cosmos.params.v1beta1.ParameterChangeProposal",
        "/panacea.oracle.v2.OracleUpgradeProposal",
    ]
    assert sorted(ACCOUNT_REGISTRY) == [
        "/cosmos.auth.v1beta1.BaseAccount",
        "/cosmos.auth.v1beta1.ModuleAccount",
    ]
    assert "/cosmos.tx.v1beta1.Tx" in DEFAULT_REGISTRY
    for table in (MSG_REGISTRY, PUBKEY_REGISTRY, CONTENT_REGISTRY, ACCOUNT_REGISTRY):
        assert set(table) <= set(DEFAULT_REGISTRY)
    with pytest.raises(TypeError):
        MSG_REGISTRY["/x"] = auth_pb2.BaseAccount  # type: ignore[index]

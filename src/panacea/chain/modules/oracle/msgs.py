"""ValidateBasic and signers of the oracle msgs and of OracleUpgradeProposal (chain-reference §3.5–§3.10)."""

from __future__ import annotations

from typing import Final

from panacea.chain.errors import ChainError, register
from panacea.chain.modules.oracle.validation import (
    invalid,
    validate_address_field,
    validate_commission,
    validate_node_fields,
)
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2, tx_pb2

# x/gov ValidateAbstract (SDK 0.45) limits and error, for OracleUpgradeProposal.
MAX_TITLE_LENGTH: Final = 140
MAX_DESCRIPTION_LENGTH: Final = 5000
ErrInvalidProposalContent = register("gov", 5, "invalid proposal content")


def validate_register_oracle(msg: tx_pb2.MsgRegisterOracle) -> None:
    validate_node_fields(msg)
    validate_commission(msg.oracle_commission_rate, msg.oracle_commission_max_rate,
                        msg.oracle_commission_max_change_rate, change_bound_is_max_rate=True)


def validate_approval(a: tx_pb2.ApprovalSharingOracleKey) -> None:
    if not a.approver_unique_id:
        raise invalid("approver uniqueID is empty")
    if not a.target_unique_id:
        raise invalid("target uniqueID is empty")
    validate_address_field("approverOracleAddress", a.approver_oracle_address)
    validate_address_field("targetOracleAddress", a.target_oracle_address)
    if not a.encrypted_oracle_priv_key:
        raise invalid("encryptedOraclePrivKey is empty")


def validate_approve_oracle_registration(msg: tx_pb2.MsgApproveOracleRegistration) -> None:
    validate_approval(msg.approval_sharing_oracle_key)
    if not msg.signature:
        raise invalid("signature is empty")


def validate_update_oracle_info(msg: tx_pb2.MsgUpdateOracleInfo) -> None:
    validate_address_field("oracleAddress", msg.oracle_address)


def validate_upgrade_oracle(msg: tx_pb2.MsgUpgradeOracle) -> None:
    validate_node_fields(msg)


def validate_approve_oracle_upgrade(msg: tx_pb2.MsgApproveOracleUpgrade) -> None:
    try:
        validate_approval(msg.approval_sharing_oracle_key)
    except ChainError as e:
        raise invalid(e.log) from None  # REF: wrapped in ErrInvalidRequest a second time
    if not msg.signature:
        raise invalid("signature is empty")


def approval_signers(msg: tx_pb2.MsgApproveOracleRegistration | tx_pb2.MsgApproveOracleUpgrade) -> list[str]:
    return [msg.approval_sharing_oracle_key.approver_oracle_address]


def validate_upgrade_proposal(p: proposal_pb2.OracleUpgradeProposal) -> None:
    """Plan.ValidateBasic, then gov ValidateAbstract (lengths are UTF-8 byte counts like Go)."""
    if not p.plan.unique_id:
        raise invalid("uniqueID cannot be empty")
    if p.plan.height <= 0:
        raise invalid("height must be greater than 0")
    if not p.title.strip():
        raise ErrInvalidProposalContent.wrap("proposal title cannot be blank")
    if len(p.title.encode()) > MAX_TITLE_LENGTH:
        raise ErrInvalidProposalContent.wrap(f"proposal title is longer than max length of {MAX_TITLE_LENGTH}")
    if not p.description:
        raise ErrInvalidProposalContent.wrap("proposal description cannot be blank")
    if len(p.description.encode()) > MAX_DESCRIPTION_LENGTH:
        raise ErrInvalidProposalContent.wrap(
            f"proposal description is longer than max length of {MAX_DESCRIPTION_LENGTH}")

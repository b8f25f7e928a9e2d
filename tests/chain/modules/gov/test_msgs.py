"""ValidateBasic of the gov msgs and proposal contents: exact SDK texts, codespaces and codes."""

from __future__ import annotations

import pytest
from google.protobuf import any_pb2
from google.protobuf.message import Message

from panacea.chain.errors import ChainError
from panacea.chain.modules.gov.msgs import (
    validate_deposit,
    validate_submit_proposal,
    validate_vote,
    validate_vote_weighted,
)
from panacea.types.anyutil import pack_any
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, tx_pb2
from panacea.types.pb.cosmos.params.v1beta1 import params_pb2
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2

from .conftest import PROPOSER, V1, param_change, text_proposal, umed, upgrade_proposal


def submit(content: Message | None, deposit: list[coin_pb2.Coin] | None = None,
           proposer: str = PROPOSER) -> tx_pb2.MsgSubmitProposal:
    msg = tx_pb2.MsgSubmitProposal(initial_deposit=deposit if deposit is not None else umed(1), proposer=proposer)
    if content is not None:
        msg.content.CopyFrom(pack_any(content))
    return msg


def error_of(fn: object, msg: Message) -> tuple[str, int, str]:
    with pytest.raises(ChainError) as e:
        fn(msg)  # type: ignore[operator]
    return e.value.codespace, e.value.code, e.value.log


@pytest.mark.parametrize("content", [text_proposal(), upgrade_proposal(),
                                     param_change(("oracle", "UniqueID", '"x"'))])
def test_valid_submissions(content: Message) -> None:
    validate_submit_proposal(submit(content))
    validate_submit_proposal(submit(content, deposit=[]))  # an empty initial deposit is valid


@pytest.mark.parametrize(("content", "expected"), [
    (gov_pb2.TextProposal(title=" \t", description="d"),
     ("gov", 5, "proposal title cannot be blank: invalid proposal content")),
    (gov_pb2.TextProposal(title="é" * 71, description="d"),  # 142 UTF-8 bytes
     ("gov", 5, "proposal title is longer than max length of 140: invalid proposal content")),
    (gov_pb2.TextProposal(title="t", description=""),
     ("gov", 5, "proposal description cannot be blank: invalid proposal content")),
    (gov_pb2.TextProposal(title="t", description="d" * 5001),
     ("gov", 5, "proposal description is longer than max length of 5000: invalid proposal content")),
    (proposal_pb2.OracleUpgradeProposal(title="", description="", plan=proposal_pb2.Plan(height=5)),
     ("sdk", 18, "uniqueID cannot be empty: invalid request")),
    (proposal_pb2.OracleUpgradeProposal(title="", description="", plan=proposal_pb2.Plan(unique_id="u")),
     ("sdk", 18, "height must be greater than 0: invalid request")),
    (proposal_pb2.OracleUpgradeProposal(title="", description="d", plan=proposal_pb2.Plan(unique_id="u", height=1)),
     ("gov", 5, "proposal title cannot be blank: invalid proposal content")),
    (params_pb2.ParameterChangeProposal(title="t", description="d"),
     ("params", 4, "submitted parameter changes are empty")),
    (param_change(("", "k", "v")), ("params", 5, "parameter subspace is empty")),
    (param_change(("oracle", "", "v")), ("params", 6, "parameter key is empty")),
    (param_change(("oracle", "k", "")), ("params", 7, "parameter value is empty")),
    (params_pb2.ParameterChangeProposal(title="", description="d"),
     ("gov", 5, "proposal title cannot be blank: invalid proposal content")),
])
def test_invalid_contents(content: Message, expected: tuple[str, int, str]) -> None:
    assert error_of(validate_submit_proposal, submit(content)) == expected


def test_invalid_submit_fields() -> None:
    assert error_of(validate_submit_proposal, submit(text_proposal(), proposer="")) == ("sdk", 7, ": invalid address")
    assert error_of(validate_submit_proposal, submit(text_proposal(), deposit=umed(0))) == (
        "sdk", 10, "0umed: invalid coins")
    unsorted = [coin_pb2.Coin(denom="umed", amount="1"), coin_pb2.Coin(denom="uatom", amount="1")]
    assert error_of(validate_submit_proposal, submit(text_proposal(), deposit=unsorted)) == (
        "sdk", 10, "1umed,1uatom: invalid coins")
    assert error_of(validate_submit_proposal, submit(None)) == (
        "gov", 5, "missing content: invalid proposal content")
    unknown = submit(None)
    unknown.content.CopyFrom(any_pb2.Any(type_url="/cosmos.upgrade.v1beta1.SoftwareUpgradeProposal"))
    assert error_of(validate_submit_proposal, unknown) == (
        "sdk", 2, "no concrete type registered for type URL /cosmos.upgrade.v1beta1.SoftwareUpgradeProposal "
                  "against interface *types.Content: tx parse error")


def test_deposit_validate_basic() -> None:
    validate_deposit(tx_pb2.MsgDeposit(proposal_id=1, depositor=PROPOSER, amount=umed(0)))  # sanitised away
    assert error_of(validate_deposit, tx_pb2.MsgDeposit(proposal_id=1, amount=umed(1))) == (
        "sdk", 7, ": invalid address")
    assert error_of(validate_deposit, tx_pb2.MsgDeposit(proposal_id=1, depositor=PROPOSER, amount=umed(-5))) == (
        "sdk", 10, "-5umed: invalid coins")


def test_vote_validate_basic() -> None:
    validate_vote(tx_pb2.MsgVote(proposal_id=1, voter=V1, option=gov_pb2.VOTE_OPTION_NO_WITH_VETO))
    assert error_of(validate_vote, tx_pb2.MsgVote(proposal_id=1, voter=V1)) == (
        "gov", 7, "VOTE_OPTION_UNSPECIFIED: invalid vote option")
    assert error_of(validate_vote, tx_pb2.MsgVote(proposal_id=1, voter=V1, option=9)) == (  # type: ignore[arg-type]
        "gov", 7, "9: invalid vote option")
    assert error_of(validate_vote, tx_pb2.MsgVote(proposal_id=1, option=gov_pb2.VOTE_OPTION_YES)) == (
        "sdk", 7, ": invalid address")


def weighted(*options: tuple[int, str]) -> tx_pb2.MsgVoteWeighted:
    return tx_pb2.MsgVoteWeighted(proposal_id=1, voter=V1, options=[
        gov_pb2.WeightedVoteOption(option=o, weight=w) for o, w in options])  # type: ignore[arg-type]


def test_weighted_vote_validate_basic() -> None:
    half = "500000000000000000"
    validate_vote_weighted(weighted((1, half), (3, half)))
    assert error_of(validate_vote_weighted, weighted()) == ("sdk", 18, ": invalid request")
    assert error_of(validate_vote_weighted, weighted((1, half))) == (
        "gov", 7, "Total weight lower than 1.00: invalid vote option")
    assert error_of(validate_vote_weighted, weighted((1, half), (3, half), (2, half))) == (
        "gov", 7, "Total weight overflow 1.00: invalid vote option")
    assert error_of(validate_vote_weighted, weighted((1, half), (1, half))) == (
        "gov", 7, "Duplicated vote option: invalid vote option")
    assert error_of(validate_vote_weighted, weighted((1, "0"), (3, "1000000000000000000"))) == (
        "gov", 7, '{"option":1,"weight":"0.000000000000000000"}: invalid vote option')
    assert error_of(validate_vote_weighted, weighted((0, "1000000000000000000"))) == (
        "gov", 7, '{"weight":"1.000000000000000000"}: invalid vote option')
    assert error_of(validate_vote_weighted, weighted((1, "1.5"))) == (
        "sdk", 2, "invalid decimal wire string '1.5': expected an integer scaled by 10^18: tx parse error")

"""ValidateBasic and signers of the gov msgs (SDK 0.45 ``types/msgs.go``)."""

from __future__ import annotations

from collections.abc import Iterable

from panacea.chain.coins import Coin, coins_from_pb, coins_str, coins_valid
from panacea.chain.decmath import ONE, ZERO, add
from panacea.chain.errors import ErrInvalidAddress, ErrInvalidCoins, ErrInvalidRequest, ErrTxDecode
from panacea.chain.modules.gov.content import Content, unpack_content, validate_content
from panacea.chain.modules.gov.errors import ErrInvalidProposalContent, ErrInvalidVote
from panacea.chain.modules.gov.keeper import option_str, options_str, valid_weighted_option
from panacea.chain.modules.gov.tally import WeightedOption
from panacea.types.dec import dec_from_wire
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, tx_pb2


def proposal_content(msg: tx_pb2.MsgSubmitProposal) -> Content:
    if not msg.HasField("content"):
        raise ErrInvalidProposalContent.wrap("missing content")
    return unpack_content(msg.content)


def validate_submit_proposal(msg: tx_pb2.MsgSubmitProposal) -> None:
    if not msg.proposer:
        raise ErrInvalidAddress.wrap(msg.proposer)
    deposit = coins_from_pb(msg.initial_deposit)
    if not coins_valid(deposit):
        raise ErrInvalidCoins.wrap(coins_str(deposit))
    validate_content(proposal_content(msg))


def validate_deposit(msg: tx_pb2.MsgDeposit) -> None:
    if not msg.depositor:
        raise ErrInvalidAddress.wrap(msg.depositor)
    amount = sorted(c for c in coins_from_pb(msg.amount) if c.amount != 0)  # sdk.NewCoins sanitises first
    if not coins_valid(amount):
        raise ErrInvalidCoins.wrap(coins_str(amount))


def validate_vote(msg: tx_pb2.MsgVote) -> None:
    if not msg.voter:
        raise ErrInvalidAddress.wrap(msg.voter)
    if not valid_weighted_option(WeightedOption(msg.option, ONE)):
        raise ErrInvalidVote.wrap(vote_option_name(msg.option))


def validate_vote_weighted(msg: tx_pb2.MsgVoteWeighted) -> None:
    if not msg.voter:
        raise ErrInvalidAddress.wrap(msg.voter)
    options = weighted_options(msg.options)
    if not options:
        raise ErrInvalidRequest.wrap(options_str(options))
    total = ZERO
    used: set[int] = set()
    for o in options:
        if not valid_weighted_option(o):
            raise ErrInvalidVote.wrap(option_str(o))
        total = add(total, o.weight)
        if o.option in used:
            raise ErrInvalidVote.wrap("Duplicated vote option")
        used.add(o.option)
    if total > ONE:
        raise ErrInvalidVote.wrap("Total weight overflow 1.00")
    if total < ONE:
        raise ErrInvalidVote.wrap("Total weight lower than 1.00")


def weighted_options(options: Iterable[gov_pb2.WeightedVoteOption]) -> list[WeightedOption]:
    out = []
    for o in options:
        try:
            out.append(WeightedOption(o.option, dec_from_wire(o.weight)))
        except ValueError as e:
            raise ErrTxDecode.wrap(str(e)) from None
    return out


def vote_option_name(option: int) -> str:
    """The generated VoteOption.String(): the enum name, or the number when unknown."""
    try:
        return gov_pb2.VoteOption.Name(option)
    except ValueError:
        return str(option)


def deposit_coins(msg: tx_pb2.MsgDeposit | tx_pb2.MsgSubmitProposal) -> list[Coin]:
    return coins_from_pb(msg.amount if isinstance(msg, tx_pb2.MsgDeposit) else msg.initial_deposit)


def submit_proposal_signers(msg: tx_pb2.MsgSubmitProposal) -> list[str]:
    return [msg.proposer]


def deposit_signers(msg: tx_pb2.MsgDeposit) -> list[str]:
    return [msg.depositor]


def vote_signers(msg: tx_pb2.MsgVote | tx_pb2.MsgVoteWeighted) -> list[str]:
    return [msg.voter]

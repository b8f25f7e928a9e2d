"""cosmos.gov.v1beta1.Query handlers: filters, pagination and the SDK's error texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from google.protobuf.message import Message

from panacea.chain.errors import ChainError
from panacea.chain.module import QueryRoute
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, query_pb2

from .conftest import DEPOSITOR, MIN_DEPOSIT, PROPOSER, V1, V2, V3, Env, text_proposal

YES, NO = gov_pb2.VOTE_OPTION_YES, gov_pb2.VOTE_OPTION_NO


def handler(env: Env, method: str) -> Callable[[Any], Any]:
    routes: dict[str, QueryRoute] = {r.path: r for r in env.module.queries()}
    route = routes["/cosmos.gov.v1beta1.Query/" + method]
    return lambda req: route.handle(env.ctx, req)


def error_of(fn: Callable[[Any], Any], req: Message) -> tuple[str, int, str]:
    with pytest.raises(ChainError) as e:
        fn(req)
    return e.value.codespace, e.value.code, e.value.log


def test_proposal_query(env: Env) -> None:
    proposal = handler(env, "Proposal")
    pid = env.submit(text_proposal(), 1)
    assert proposal(query_pb2.QueryProposalRequest(proposal_id=pid)).proposal == env.proposal(pid)
    assert error_of(proposal, query_pb2.QueryProposalRequest()) == (
        "sdk", 18, "proposal id can not be 0: invalid request")
    assert error_of(proposal, query_pb2.QueryProposalRequest(proposal_id=5)) == (
        "sdk", 22, "proposal 5 doesn't exist: key not found")


def test_proposals_filters_and_pagination(env: Env) -> None:
    one = env.activated(text_proposal())
    env.vote(one, V1, YES)
    two = env.submit(text_proposal(), 5, proposer=DEPOSITOR)
    three = env.activated(text_proposal())
    proposals = handler(env, "Proposals")

    def ids(**kw: Any) -> list[int]:
        return [p.proposal_id for p in proposals(query_pb2.QueryProposalsRequest(**kw)).proposals]

    assert ids() == [one, two, three]
    assert ids(proposal_status=gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD) == [one, three]
    assert ids(proposal_status=gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD) == [two]
    assert ids(voter=V1) == [one]
    assert ids(depositor=DEPOSITOR) == [two]
    assert ids(depositor=PROPOSER, proposal_status=gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD) == [one, three]
    resp = proposals(query_pb2.QueryProposalsRequest(pagination=pagination_pb2.PageRequest(limit=1)))
    assert [p.proposal_id for p in resp.proposals] == [one]
    assert resp.pagination.next_key == (two).to_bytes(8, "big")
    assert resp.pagination.total == 0
    resp = proposals(query_pb2.QueryProposalsRequest(
        pagination=pagination_pb2.PageRequest(key=resp.pagination.next_key, limit=5)))
    assert [p.proposal_id for p in resp.proposals] == [two, three]
    resp = proposals(query_pb2.QueryProposalsRequest(
        proposal_status=gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,
        pagination=pagination_pb2.PageRequest(offset=1, limit=1, count_total=True)))
    assert [p.proposal_id for p in resp.proposals] == [three]
    assert resp.pagination.total == 2
    resp = proposals(query_pb2.QueryProposalsRequest())  # no limit: SDK counts the total
    assert resp.pagination.total == 3
    assert error_of(proposals, query_pb2.QueryProposalsRequest(voter="nope")) == (
        "sdk", 18, "decoding bech32 failed: invalid bech32 string length 4: invalid request")


def test_vote_and_votes_queries(env: Env) -> None:
    pid = env.activated(text_proposal())
    env.vote(pid, V2, NO)
    env.vote(pid, V1, YES)
    vote = handler(env, "Vote")
    got = vote(query_pb2.QueryVoteRequest(proposal_id=pid, voter=V1)).vote
    assert got == gov_pb2.Vote(proposal_id=pid, voter=V1, option=YES, options=[
        gov_pb2.WeightedVoteOption(option=YES, weight="1000000000000000000")])
    assert error_of(vote, query_pb2.QueryVoteRequest(voter=V1)) == (
        "sdk", 18, "proposal id can not be 0: invalid request")
    assert error_of(vote, query_pb2.QueryVoteRequest(proposal_id=pid)) == (
        "sdk", 18, "empty voter address: invalid request")
    assert error_of(vote, query_pb2.QueryVoteRequest(proposal_id=pid, voter=V3)) == (
        "sdk", 18, f"voter: {V3} not found for proposal: {pid}: invalid request")
    votes = handler(env, "Votes")(query_pb2.QueryVotesRequest(proposal_id=pid)).votes
    assert [(v.voter, v.option) for v in votes] == [(V1, YES), (V2, NO)]


def test_params_query(env: Env) -> None:
    params = handler(env, "Params")
    deposit = params(query_pb2.QueryParamsRequest(params_type="deposit"))
    assert deposit.deposit_params.max_deposit_period.seconds == 172_800
    assert [(c.denom, c.amount) for c in deposit.deposit_params.min_deposit] == [("umed", str(MIN_DEPOSIT))]
    assert not deposit.HasField("tally_params") or deposit.tally_params == gov_pb2.TallyParams()
    assert params(query_pb2.QueryParamsRequest(params_type="voting")).voting_params.voting_period.seconds == 172_800
    tally = params(query_pb2.QueryParamsRequest(params_type="tallying")).tally_params
    assert (tally.quorum, tally.threshold, tally.veto_threshold) == (
        b"334000000000000000", b"500000000000000000", b"334000000000000000")
    assert error_of(params, query_pb2.QueryParamsRequest(params_type="staking")) == (
        "sdk", 18, "staking is not a valid parameter type: invalid request")


def test_deposit_and_deposits_queries(env: Env) -> None:
    pid = env.submit(text_proposal(), 3)
    env.deposit(pid, 4)
    env.deposit(pid, 5)
    deposit = handler(env, "Deposit")
    got = deposit(query_pb2.QueryDepositRequest(proposal_id=pid, depositor=DEPOSITOR)).deposit
    assert (got.depositor, [(c.denom, c.amount) for c in got.amount]) == (DEPOSITOR, [("umed", "9")])
    assert error_of(deposit, query_pb2.QueryDepositRequest(proposal_id=pid)) == (
        "sdk", 18, "empty depositor address: invalid request")
    assert error_of(deposit, query_pb2.QueryDepositRequest(proposal_id=pid, depositor=V1)) == (
        "sdk", 18, f"depositer: {V1} not found for proposal: {pid}: invalid request")
    deposits = handler(env, "Deposits")
    resp = deposits(query_pb2.QueryDepositsRequest(proposal_id=pid, pagination=pagination_pb2.PageRequest(limit=1)))
    assert [d.depositor for d in resp.deposits] == [PROPOSER]
    resp = deposits(query_pb2.QueryDepositsRequest(
        proposal_id=pid, pagination=pagination_pb2.PageRequest(key=resp.pagination.next_key)))
    assert [d.depositor for d in resp.deposits] == [DEPOSITOR]
    assert error_of(deposits, query_pb2.QueryDepositsRequest()) == (
        "sdk", 18, "proposal id can not be 0: invalid request")


def test_tally_result_query(env: Env) -> None:
    tally = handler(env, "TallyResult")
    waiting = env.submit(text_proposal(), 1)
    assert tally(query_pb2.QueryTallyResultRequest(proposal_id=waiting)).tally == gov_pb2.TallyResult(
        yes="0", abstain="0", no="0", no_with_veto="0")
    pid = env.activated(text_proposal())
    env.vote(pid, V1, YES)
    env.vote(pid, V3, NO)
    live = gov_pb2.TallyResult(yes="10", abstain="0", no="30", no_with_veto="0")
    assert tally(query_pb2.QueryTallyResultRequest(proposal_id=pid)).tally == live
    assert len(env.gov.votes(env.ctx, pid)) == 2  # a query never consumes votes
    end = env.proposal(pid).voting_end_time
    env.at(end.seconds * 1_000_000_000 + end.nanos)
    env.gov.end_block(env.ctx)
    assert env.proposal(pid).status == gov_pb2.PROPOSAL_STATUS_REJECTED
    assert tally(query_pb2.QueryTallyResultRequest(proposal_id=pid)).tally == live
    assert error_of(tally, query_pb2.QueryTallyResultRequest(proposal_id=99)) == (
        "sdk", 22, "proposal 99 doesn't exist: key not found")

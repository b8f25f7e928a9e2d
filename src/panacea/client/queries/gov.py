"""Queries of ``cosmos.gov.v1beta1`` (the one place their paths are spelled in the client)."""

from __future__ import annotations

from typing import cast

from panacea.client.queries.base import PagedQuery, Query
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2 as q

_Q = "/cosmos.gov.v1beta1.Query/"
PARAMS_TYPES = ("voting", "deposit", "tallying")


def proposal(proposal_id: int) -> Query[q.QueryProposalResponse, gov_pb2.Proposal]:
    """Proposal ``proposal_id``."""
    return Query(_Q + "Proposal", q.QueryProposalRequest(proposal_id=proposal_id), q.QueryProposalResponse,
                 lambda r: r.proposal)


def proposals(status: int = 0, voter: str = "", depositor: str = "") -> PagedQuery[q.QueryProposalsResponse,
                                                                                   gov_pb2.Proposal]:
    """Proposals, optionally only those in ``status`` (ProposalStatus number) or touched by voter/depositor."""
    wanted = cast(gov_pb2.ProposalStatus, status)
    return PagedQuery(_Q + "Proposals", lambda p: q.QueryProposalsRequest(proposal_status=wanted, voter=voter,
                                                                   depositor=depositor, pagination=p),
                      q.QueryProposalsResponse, lambda r: list(r.proposals))


def vote(proposal_id: int, voter: str) -> Query[q.QueryVoteResponse, gov_pb2.Vote]:
    """``voter``'s vote on ``proposal_id``."""
    return Query(_Q + "Vote", q.QueryVoteRequest(proposal_id=proposal_id, voter=voter), q.QueryVoteResponse,
                 lambda r: r.vote)


def votes(proposal_id: int) -> PagedQuery[q.QueryVotesResponse, gov_pb2.Vote]:
    """The votes on ``proposal_id``."""
    return PagedQuery(_Q + "Votes", lambda p: q.QueryVotesRequest(proposal_id=proposal_id, pagination=p),
                      q.QueryVotesResponse, lambda r: list(r.votes))


def deposit(proposal_id: int, depositor: str) -> Query[q.QueryDepositResponse, gov_pb2.Deposit]:
    """``depositor``'s deposit on ``proposal_id``."""
    return Query(_Q + "Deposit", q.QueryDepositRequest(proposal_id=proposal_id, depositor=depositor),
                 q.QueryDepositResponse,
                 lambda r: r.deposit)


def deposits(proposal_id: int) -> PagedQuery[q.QueryDepositsResponse, gov_pb2.Deposit]:
    """The deposits on ``proposal_id``."""
    return PagedQuery(_Q + "Deposits", lambda p: q.QueryDepositsRequest(proposal_id=proposal_id, pagination=p),
                      q.QueryDepositsResponse, lambda r: list(r.deposits))


def tally(proposal_id: int) -> Query[q.QueryTallyResultResponse, gov_pb2.TallyResult]:
    """The current tally of ``proposal_id``."""
    return Query(_Q + "TallyResult", q.QueryTallyResultRequest(proposal_id=proposal_id), q.QueryTallyResultResponse,
                 lambda r: r.tally)


def gov_params(params_type: str) -> Query[q.QueryParamsResponse, q.QueryParamsResponse]:
    """One kind of gov params: ``params_type`` is ``voting``, ``tallying`` or ``deposit``."""
    return Query(_Q + "Params", q.QueryParamsRequest(params_type=params_type), q.QueryParamsResponse, lambda r: r)

"""``cosmos.gov.v1beta1.Query`` (SDK 0.45 ``keeper/grpc_query.go``); gRPC InvalidArgument maps to
ErrInvalidRequest and NotFound to ErrKeyNotFound, as baseapp does for ABCI queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.errors import ErrInvalidRequest, ErrKeyNotFound
from panacea.chain.kv import KVStore, prefix_end
from panacea.chain.module import Queries, QueryRoute
from panacea.chain.modules.gov.keeper import GovKeeper, with_legacy_option
from panacea.chain.modules.gov.keys import DEPOSITS_PREFIX, PROPOSALS_PREFIX, STORE, VOTES_PREFIX, be64
from panacea.chain.modules.gov.tally import empty_result
from panacea.chain.pagination import DEFAULT_LIMIT, page_request, paginate
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, query_pb2

PATH: Final = "/cosmos.gov.v1beta1.Query/"
PARAMS_DEPOSIT: Final = "deposit"
PARAMS_VOTING: Final = "voting"
PARAMS_TALLYING: Final = "tallying"
FILTERABLE_STATUSES: Final = (gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD, gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,
                       gov_pb2.PROPOSAL_STATUS_PASSED, gov_pb2.PROPOSAL_STATUS_REJECTED,
                       gov_pb2.PROPOSAL_STATUS_FAILED)


def _require_id(proposal_id: int) -> None:
    if proposal_id == 0:
        raise ErrInvalidRequest.wrap("proposal id can not be 0")


def filtered_paginate(kv: KVStore, prefix: bytes, page: pagination_pb2.PageRequest | None,
                      matches: Callable[[bytes], bool]) -> tuple[list[bytes], pagination_pb2.PageResponse]:
    """query.FilteredPaginate: offsets and limits count matching entries only; returns their values."""
    page = page if page is not None else pagination_pb2.PageRequest()
    if page.offset and page.key:
        raise ErrInvalidRequest.wrap("invalid request, either offset or key is expected, got both")
    limit, count_total = (page.limit, page.count_total) if page.limit else (DEFAULT_LIMIT, True)
    n = len(prefix)
    resp = pagination_pb2.PageResponse()
    hits: list[bytes] = []
    if page.key:
        start = prefix + page.key
        it = kv.iterate(prefix, start + b"\x00", True) if page.reverse else kv.iterate(start, prefix_end(prefix))
        for k, v in it:
            if len(hits) == limit:
                resp.next_key = k[n:]
                break
            if matches(v):
                hits.append(v)
        return hits, resp
    end = page.offset + limit
    found = 0
    for k, v in kv.iterate(prefix, prefix_end(prefix), page.reverse):
        if not matches(v):
            continue
        if page.offset <= found < end:
            hits.append(v)
        found += 1
        if found == end + 1:
            resp.next_key = k[n:]
            if not count_total:
                break
    if count_total:
        resp.total = found
    return hits, resp


class GovQueries(Queries[GovKeeper]):
    def routes(self) -> list[QueryRoute]:
        return [
            QueryRoute(PATH + "Proposal", query_pb2.QueryProposalRequest, self.proposal),
            QueryRoute(PATH + "Proposals", query_pb2.QueryProposalsRequest, self.proposals),
            QueryRoute(PATH + "Vote", query_pb2.QueryVoteRequest, self.vote),
            QueryRoute(PATH + "Votes", query_pb2.QueryVotesRequest, self.votes),
            QueryRoute(PATH + "Params", query_pb2.QueryParamsRequest, self.params),
            QueryRoute(PATH + "Deposit", query_pb2.QueryDepositRequest, self.deposit),
            QueryRoute(PATH + "Deposits", query_pb2.QueryDepositsRequest, self.deposits),
            QueryRoute(PATH + "TallyResult", query_pb2.QueryTallyResultRequest, self.tally_result),
        ]

    def _existing(self, ctx: Context, proposal_id: int) -> gov_pb2.Proposal:
        _require_id(proposal_id)
        proposal = self.keeper.get_proposal(ctx, proposal_id)
        if proposal is None:
            raise ErrKeyNotFound.wrap(f"proposal {proposal_id} doesn't exist")
        return proposal

    def proposal(self, ctx: Context, req: query_pb2.QueryProposalRequest) -> query_pb2.QueryProposalResponse:
        return query_pb2.QueryProposalResponse(proposal=self._existing(ctx, req.proposal_id))

    def proposals(self, ctx: Context, req: query_pb2.QueryProposalsRequest) -> query_pb2.QueryProposalsResponse:
        voter = addr.parse_or(req.voter, ErrInvalidRequest.error()) if req.voter else None
        depositor = addr.parse_or(req.depositor, ErrInvalidRequest.error()) if req.depositor else None

        def matches(value: bytes) -> bool:
            p = gov_pb2.Proposal.FromString(value)
            if req.proposal_status in FILTERABLE_STATUSES and p.status != req.proposal_status:
                return False
            if voter is not None and self.keeper.get_vote(ctx, p.proposal_id, voter) is None:
                return False
            return depositor is None or self.keeper.get_deposit(ctx, p.proposal_id, depositor) is not None

        values, page = filtered_paginate(ctx.kv(STORE), PROPOSALS_PREFIX, page_request(req), matches)
        return query_pb2.QueryProposalsResponse(proposals=[gov_pb2.Proposal.FromString(v) for v in values],
                                                pagination=page)

    def vote(self, ctx: Context, req: query_pb2.QueryVoteRequest) -> query_pb2.QueryVoteResponse:
        _require_id(req.proposal_id)
        if not req.voter:
            raise ErrInvalidRequest.wrap("empty voter address")
        vote = self.keeper.get_vote(ctx, req.proposal_id, addr.parse_or(req.voter))
        if vote is None:
            raise ErrInvalidRequest.wrap(f"voter: {req.voter} not found for proposal: {req.proposal_id}")
        return query_pb2.QueryVoteResponse(vote=vote)

    def votes(self, ctx: Context, req: query_pb2.QueryVotesRequest) -> query_pb2.QueryVotesResponse:
        _require_id(req.proposal_id)
        items, page = paginate(ctx.kv(STORE), VOTES_PREFIX + be64(req.proposal_id), page_request(req),
                               lambda _k, v: with_legacy_option(gov_pb2.Vote.FromString(v)))
        return query_pb2.QueryVotesResponse(votes=items, pagination=page)

    def params(self, ctx: Context, req: query_pb2.QueryParamsRequest) -> query_pb2.QueryParamsResponse:
        if req.params_type == PARAMS_DEPOSIT:
            return query_pb2.QueryParamsResponse(deposit_params=self.keeper.deposit_params(ctx).to_pb())
        if req.params_type == PARAMS_VOTING:
            return query_pb2.QueryParamsResponse(voting_params=self.keeper.voting_params(ctx).to_pb())
        if req.params_type == PARAMS_TALLYING:
            return query_pb2.QueryParamsResponse(tally_params=self.keeper.tally_params(ctx).to_pb())
        raise ErrInvalidRequest.wrap(f"{req.params_type} is not a valid parameter type")

    def deposit(self, ctx: Context, req: query_pb2.QueryDepositRequest) -> query_pb2.QueryDepositResponse:
        _require_id(req.proposal_id)
        if not req.depositor:
            raise ErrInvalidRequest.wrap("empty depositor address")
        deposit = self.keeper.get_deposit(ctx, req.proposal_id, addr.parse_or(req.depositor))
        if deposit is None:
            # (sic) "depositer", as in the SDK
            raise ErrInvalidRequest.wrap(f"depositer: {req.depositor} not found for proposal: {req.proposal_id}")
        return query_pb2.QueryDepositResponse(deposit=deposit)

    def deposits(self, ctx: Context, req: query_pb2.QueryDepositsRequest) -> query_pb2.QueryDepositsResponse:
        _require_id(req.proposal_id)
        items, page = paginate(ctx.kv(STORE), DEPOSITS_PREFIX + be64(req.proposal_id), page_request(req),
                               lambda _k, v: gov_pb2.Deposit.FromString(v))
        return query_pb2.QueryDepositsResponse(deposits=items, pagination=page)

    def tally_result(self, ctx: Context,
                     req: query_pb2.QueryTallyResultRequest) -> query_pb2.QueryTallyResultResponse:
        proposal = self._existing(ctx, req.proposal_id)
        if proposal.status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD:
            result = empty_result()
        elif proposal.status in (gov_pb2.PROPOSAL_STATUS_PASSED, gov_pb2.PROPOSAL_STATUS_REJECTED):
            result = proposal.final_tally_result
        else:  # REF: FAILED proposals are re-tallied too (their votes are gone, so all zero)
            result = self.keeper.tally(ctx, proposal, consume_votes=False).result
        return query_pb2.QueryTallyResultResponse(tally=result)

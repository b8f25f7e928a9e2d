"""``panacea.datadeal.v2.Query`` handlers (spec §2.9)."""

from __future__ import annotations

from typing import Final

from panacea.chain.context import Context
from panacea.chain.module import Queries, QueryRoute
from panacea.chain.modules.datadeal import keys
from panacea.chain.modules.datadeal.errors import ErrGetConsent, ErrGetDeal
from panacea.chain.modules.datadeal.keeper import DatadealKeeper, decode_stored
from panacea.chain.pagination import paginate
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, query_pb2

PATH: Final = "/panacea.datadeal.v2.Query/"


def _deal(_key: bytes, value: bytes) -> deal_pb2.Deal:
    return decode_stored(value, deal_pb2.Deal, ErrGetDeal)


def _consent(_key: bytes, value: bytes) -> consent_pb2.Consent:
    return decode_stored(value, consent_pb2.Consent, ErrGetConsent)


class DatadealQueries(Queries[DatadealKeeper]):
    def routes(self) -> list[QueryRoute]:
        return [
            QueryRoute(PATH + "Deals", query_pb2.QueryDealsRequest, self.deals),
            QueryRoute(PATH + "Deal", query_pb2.QueryDealRequest, self.deal),
            QueryRoute(PATH + "Consents", query_pb2.QueryConsents, self.consents),
            QueryRoute(PATH + "Consent", query_pb2.QueryConsent, self.consent),
        ]

    def deals(self, ctx: Context, req: query_pb2.QueryDealsRequest) -> query_pb2.QueryDealsResponse:
        page = req.pagination if req.HasField("pagination") else None
        items, page_response = paginate(ctx.kv(keys.STORE), keys.DEAL_PREFIX, page, _deal)
        return query_pb2.QueryDealsResponse(deals=items, pagination=page_response)

    def deal(self, ctx: Context, req: query_pb2.QueryDealRequest) -> query_pb2.QueryDealResponse:
        return query_pb2.QueryDealResponse(deal=self.keeper.get_deal(ctx, req.deal_id))

    def consents(self, ctx: Context, req: query_pb2.QueryConsents) -> query_pb2.QueryConsentsResponse:
        page = req.pagination if req.HasField("pagination") else None
        items, page_response = paginate(ctx.kv(keys.STORE), keys.consents_prefix(req.deal_id), page, _consent)
        return query_pb2.QueryConsentsResponse(consents=items, pagination=page_response)

    def consent(self, ctx: Context, req: query_pb2.QueryConsent) -> query_pb2.QueryConsentResponse:
        return query_pb2.QueryConsentResponse(consent=self.keeper.get_consent(ctx, req.deal_id, req.data_hash))

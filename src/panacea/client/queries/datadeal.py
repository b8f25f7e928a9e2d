"""Queries of ``panacea.datadeal.v2`` (the one place their paths are spelled in the client)."""

from __future__ import annotations

from panacea.client.queries.base import PagedQuery, Query
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import query_pb2 as q

_Q = "/panacea.datadeal.v2.Query/"


def deal(deal_id: int) -> Query[q.QueryDealResponse, deal_pb2.Deal]:
    """Deal ``deal_id``."""
    return Query(_Q + "Deal", q.QueryDealRequest(deal_id=deal_id), q.QueryDealResponse, lambda r: r.deal)


def deals() -> PagedQuery[q.QueryDealsResponse, deal_pb2.Deal]:
    """Every deal, by id."""
    return PagedQuery(_Q + "Deals", lambda p: q.QueryDealsRequest(pagination=p), q.QueryDealsResponse,
                      lambda r: list(r.deals))


def consent(deal_id: int, data_hash: str) -> Query[q.QueryConsentResponse, consent_pb2.Consent]:
    """The consent for ``data_hash`` in deal ``deal_id``."""
    return Query(_Q + "Consent", q.QueryConsent(deal_id=deal_id, data_hash=data_hash), q.QueryConsentResponse,
                 lambda r: r.consent)


def consents(deal_id: int) -> PagedQuery[q.QueryConsentsResponse, consent_pb2.Consent]:
    """The consents of deal ``deal_id``."""
    return PagedQuery(_Q + "Consents", lambda p: q.QueryConsents(deal_id=deal_id, pagination=p),
                      q.QueryConsentsResponse,
                      lambda r: list(r.consents))

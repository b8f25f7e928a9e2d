"""Query service (§2.9) through the module's routes, with pagination."""

from __future__ import annotations

import pytest

from panacea.chain.errors import ChainError
from panacea.chain.module import QueryRoute
from panacea.chain.modules.datadeal.errors import ErrConsentNotFound, ErrDealNotFound
from panacea.chain.modules.datadeal.module import DatadealModule
from panacea.chain.modules.datadeal.queries import DatadealQueries
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, query_pb2

from .conftest import Env, key, make_deal

ORACLE = key("oracle-operator").bech32()
PROVIDER = key("provider").bech32()


def routes(env: Env) -> dict[str, QueryRoute]:
    return {r.path.rsplit("/", 1)[1]: r for r in DatadealModule(env.datadeal).queries()}


def queries(env: Env) -> DatadealQueries:
    return DatadealQueries(env.datadeal)


def consent(deal_id: int, cert_deal_id: int, data_hash: str, agreements: bool = False) -> consent_pb2.Consent:
    return consent_pb2.Consent(
        deal_id=deal_id,
        certificate=consent_pb2.Certificate(
            unsigned_certificate=consent_pb2.UnsignedCertificate(
                oracle_address=ORACLE, deal_id=cert_deal_id, provider_address=PROVIDER, data_hash=data_hash),
            signature=b"signature"),
        agreements=[consent_pb2.Agreement(term_id=1, agreement=True)] if agreements else [])


def test_paths(sha_env: Env) -> None:
    assert sorted(r.path for r in DatadealModule(sha_env.datadeal).queries()) == [
        "/panacea.datadeal.v2.Query/Consent", "/panacea.datadeal.v2.Query/Consents",
        "/panacea.datadeal.v2.Query/Deal", "/panacea.datadeal.v2.Query/Deals"]


def test_query_deal(sha_env: Env) -> None:
    env = sha_env
    deal = make_deal(1, env.consumer, 100)
    env.datadeal.set_deal(env.ctx, deal)
    env.datadeal.set_next_deal_number(env.ctx, 2)
    res = routes(env)["Deal"].handle(env.ctx, query_pb2.QueryDealRequest(deal_id=1))
    assert res == query_pb2.QueryDealResponse(deal=deal)
    with pytest.raises(ChainError) as info:
        routes(env)["Deal"].handle(env.ctx, query_pb2.QueryDealRequest(deal_id=2))
    assert info.value.is_(ErrDealNotFound)
    assert info.value.log == "deal with ID 2 does not exist: deal is not found"


def test_query_deals_with_pagination(sha_env: Env) -> None:
    env = sha_env
    deals = [make_deal(i, env.consumer, 100 if i == 1 else 10) for i in (1, 2, 3)]
    for d in reversed(deals):
        env.datadeal.set_deal(env.ctx, d)
    q = queries(env)
    res = q.deals(env.ctx, query_pb2.QueryDealsRequest())
    assert list(res.deals) == deals and res.pagination.next_key == b""
    res = q.deals(env.ctx, query_pb2.QueryDealsRequest(
        pagination=pagination_pb2.PageRequest(limit=2, count_total=True)))
    assert list(res.deals) == deals[:2]
    assert res.pagination.total == 3 and res.pagination.next_key == (3).to_bytes(8, "big")
    res = q.deals(env.ctx, query_pb2.QueryDealsRequest(pagination=pagination_pb2.PageRequest(
        key=res.pagination.next_key, limit=2)))
    assert list(res.deals) == deals[2:] and res.pagination.next_key == b""
    res = q.deals(env.ctx, query_pb2.QueryDealsRequest(pagination=pagination_pb2.PageRequest(offset=1, limit=1)))
    assert list(res.deals) == deals[1:2]
    res = q.deals(env.ctx, query_pb2.QueryDealsRequest(pagination=pagination_pb2.PageRequest(reverse=True)))
    assert list(res.deals) == deals[::-1]
    assert list(env.datadeal.iterate_deals(env.ctx)) == deals


def test_query_consent(sha_env: Env) -> None:
    env = sha_env
    c = consent(1, 1, "dataHash", agreements=True)
    env.datadeal.set_consent(env.ctx, c)
    res = routes(env)["Consent"].handle(env.ctx, query_pb2.QueryConsent(deal_id=1, data_hash="dataHash"))
    assert res == query_pb2.QueryConsentResponse(consent=c)
    with pytest.raises(ChainError) as info:
        routes(env)["Consent"].handle(env.ctx, query_pb2.QueryConsent(deal_id=1, data_hash="datahash"))
    assert info.value.is_(ErrConsentNotFound)
    assert info.value.log == "consent is not found"


def test_query_consents_keyed_by_certificate_deal_id(sha_env: Env) -> None:
    env = sha_env
    c1, c2, c3 = consent(1, 1, "dataHash", True), consent(1, 1, "dataHash2"), consent(1, 2, "dataHash2")
    for c in (c3, c2, c1):
        env.datadeal.set_consent(env.ctx, c)
    q = queries(env)
    res = q.consents(env.ctx, query_pb2.QueryConsents(deal_id=1, pagination=pagination_pb2.PageRequest()))
    assert list(res.consents) == [c1, c2]
    res = q.consents(env.ctx, query_pb2.QueryConsents(deal_id=2))
    assert list(res.consents) == [c3]
    res = q.consents(env.ctx, query_pb2.QueryConsents(deal_id=1, pagination=pagination_pb2.PageRequest(limit=1)))
    assert list(res.consents) == [c1] and res.pagination.next_key == b"\xffdataHash2"
    res = q.consents(env.ctx, query_pb2.QueryConsents(deal_id=1, pagination=pagination_pb2.PageRequest(
        key=res.pagination.next_key)))
    assert list(res.consents) == [c2]
    assert list(env.datadeal.iterate_consents(env.ctx)) == [c1, c2, c3]
    assert list(env.datadeal.iterate_consents(env.ctx, 2)) == [c3]
    assert list(q.consents(env.ctx, query_pb2.QueryConsents(deal_id=3)).consents) == []

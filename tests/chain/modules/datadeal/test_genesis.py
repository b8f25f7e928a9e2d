"""Genesis (§2.11): default, validation in order, init, export, JSON round trip, and TestExportGenesis."""

from __future__ import annotations

import pytest

from panacea.chain.errors import ChainError, ErrInvalidRequest
from panacea.chain.module import JSON
from panacea.chain.modules.datadeal.errors import ErrDealNotInitialized, ErrSubmitConsent
from panacea.chain.modules.datadeal.module import DatadealModule
from panacea.crypto.signature import SignatureMode
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, genesis_pb2, tx_pb2
from panacea.types.protojson import from_json, to_json

from .conftest import DEFAULT_FUNDS, Env, agreements_for, make_deal


def module(env: Env) -> DatadealModule:
    return DatadealModule(env.datadeal)


def signed_consent(env: Env, deal: deal_pb2.Deal, cert_to_sign: consent_pb2.UnsignedCertificate | None = None,
                   data_hash: str = "dataHash") -> consent_pb2.Consent:
    cert = env.certificate(deal.id, data_hash)
    return env.consent(cert, signature=env.sign(cert_to_sign or cert), agreements=agreements_for(deal, False))


def test_default_genesis(sha_env: Env) -> None:
    m = module(sha_env)
    assert m.default_genesis() == {"next_deal_number": "1", "deals": [], "consents": []}
    m.validate_genesis(m.default_genesis())


def test_init_genesis(sha_env: Env) -> None:
    """TestInitGenesis: next_deal_number 1 is accepted alongside deals 1 and 2."""
    env = sha_env
    env.store_oracle()
    deal1, deal2 = make_deal(1, env.consumer, 100), make_deal(2, env.consumer, 100)
    consent1 = signed_consent(env, deal1)
    consent2 = signed_consent(env, deal2, cert_to_sign=env.certificate(1))
    state = genesis_pb2.GenesisState(next_deal_number=1, deals=[deal1, deal2], consents=[consent1, consent2])
    fresh = Env(env.mode)
    m = module(fresh)
    m.validate_genesis(to_json(state))
    m.init_genesis(fresh.ctx, to_json(state))
    assert fresh.datadeal.get_deal(fresh.ctx, 1) == deal1
    assert fresh.datadeal.get_deal(fresh.ctx, 2) == deal2
    assert fresh.datadeal.get_consent(fresh.ctx, 1, "dataHash") == consent1
    assert fresh.datadeal.get_consent(fresh.ctx, 2, "dataHash") == consent2
    assert fresh.datadeal.get_next_deal_number(fresh.ctx) == 1
    assert fresh.auth.get_account(fresh.ctx, fresh.datadeal.deal_address(1)) is None  # no accounts, no funds
    assert m.export_genesis(fresh.ctx) == to_json(state)


def export_genesis_case(env: Env) -> None:
    """TestExportGenesis: init {deal1, next 2, consent1}; CreateDeal; SubmitConsent for deal 2 carrying a
    signature made over certificate #1's bytes."""
    env.store_oracle()
    deal1, deal2 = make_deal(1, env.consumer, 100), make_deal(2, env.consumer, 100)
    consent1 = signed_consent(env, deal1)
    m = module(env)
    m.init_genesis(env.ctx, to_json(genesis_pb2.GenesisState(next_deal_number=2, deals=[deal1],
                                                             consents=[consent1])))
    env.fund(env.consumer)
    msg = tx_pb2.MsgCreateDeal(data_schema=deal2.data_schema, budget=deal2.budget, max_num_data=deal2.max_num_data,
                               consumer_address=deal2.consumer_address, agreement_terms=deal2.agreement_terms)
    assert env.datadeal.create_deal(env.ctx, msg) == 2
    consent2 = signed_consent(env, deal2, cert_to_sign=env.certificate(1))
    env.datadeal.submit_consent(env.ctx, consent2)

    exported = _parse(m.export_genesis(env.ctx))
    assert [d.id for d in exported.deals] == [1, 2]
    assert [d.address for d in exported.deals] == [deal1.address, deal2.address]
    assert [d.consumer_address for d in exported.deals] == [env.consumer] * 2
    assert [list(d.data_schema) for d in exported.deals] == [list(deal1.data_schema)] * 2
    assert [d.budget for d in exported.deals] == [deal1.budget, deal2.budget]
    assert exported.deals[1].cur_num_data == 1
    assert exported.next_deal_number == 3
    assert list(exported.consents) == [consent1, consent2]
    # P = 10^9 / 100 = 10^7; rate 0.1.
    assert env.balance(env.provider) == 9_000_000 and env.balance(env.oracle_account) == 1_000_000
    assert env.balance(env.consumer) == DEFAULT_FUNDS - 1_000_000_000


def _parse(state: JSON) -> genesis_pb2.GenesisState:
    return from_json(state, genesis_pb2.GenesisState)


def test_export_genesis_legacy(legacy_env: Env) -> None:
    export_genesis_case(legacy_env)


def test_export_genesis_sha256_rejects_cross_certificate(sha_env: Env) -> None:
    assert sha_env.mode is SignatureMode.SHA256
    with pytest.raises(ChainError) as info:
        export_genesis_case(sha_env)
    assert info.value.is_(ErrSubmitConsent)
    assert info.value.log == "failed to signature validation: error while submit consent"


def test_export_without_next_deal_number(sha_env: Env) -> None:
    env = Env(sha_env.mode)
    env.ctx.kv(b"datadeal/").delete(b"\x01")
    with pytest.raises(ChainError) as info:
        module(env).export_genesis(env.ctx)
    assert info.value.is_(ErrDealNotInitialized)


def test_round_trip_after_activity(sha_env: Env) -> None:
    env = sha_env
    env.store_oracle()
    d1 = env.create_deal(budget=10_000, max_num_data=2)
    env.create_deal(budget=5_000, max_num_data=3)
    env.submit(d1, "h1")
    env.submit(d1, "h2")
    env.submit(2, "h1")
    exported = module(env).export_genesis(env.ctx)
    fresh = Env(env.mode)
    module(fresh).validate_genesis(exported)
    module(fresh).init_genesis(fresh.ctx, exported)
    assert module(fresh).export_genesis(fresh.ctx) == exported
    assert exported["next_deal_number"] == "3"
    assert [d["status"] for d in exported["deals"]] == ["DEAL_STATUS_COMPLETED", "DEAL_STATUS_ACTIVE"]


def _deal_error(mutate: object) -> str:
    deal = make_deal(1, Env(SignatureMode.SHA256).consumer, 10)
    mutate(deal)  # type: ignore[operator]
    with pytest.raises(ChainError) as info:
        module(Env(SignatureMode.SHA256)).validate_genesis(to_json(genesis_pb2.GenesisState(deals=[deal])))
    return info.value.log


def test_validate_genesis_deal_errors() -> None:
    def consumer(d: deal_pb2.Deal) -> None:
        d.consumer_address = ""
        d.id = 0

    assert _deal_error(consumer) == "consumer address is invalid. address: : empty address string is not allowed"

    def no_schema(d: deal_pb2.Deal) -> None:
        del d.data_schema[:]
        d.id = 0

    assert _deal_error(no_schema) == "there is no data schema: invalid request"
    assert _deal_error(lambda d: setattr(d, "id", 0)) == "ID should be bigger than 0: invalid request"
    assert _deal_error(lambda d: setattr(d, "max_num_data", 0)) == "MaxNumData should be bigger than 0: invalid request"
    assert _deal_error(lambda d: d.ClearField("budget")) == "budget is empty: invalid request"
    assert _deal_error(lambda d: setattr(d.budget, "amount", "-1")) == (
        "budget is not a valid Coin object: invalid request")
    assert _deal_error(lambda d: setattr(d, "cur_num_data", 11)) == (
        "CurNumData can not be bigger than MaxNumData: invalid request")
    assert _deal_error(lambda d: setattr(d.agreement_terms[1], "title", "")) == (
        "invalid agreement term: the title of agreement term shouldn't be empty: invalid request")
    assert _deal_error(lambda d: setattr(d, "consumer_service_endpoint", "")) == (
        "consumer service endpoint is empty: invalid request")


def test_validate_genesis_accepts_pd_only_deal(sha_env: Env) -> None:
    """Departure from §2.11 REF: data_schema OR presentation_definition, like CreateDeal."""
    deal = make_deal(1, sha_env.consumer, 10)
    del deal.data_schema[:]
    deal.presentation_definition = b'{"id":"p","input_descriptors":[{"id":"a","schema":[{"uri":"u"}]}]}'
    module(sha_env).validate_genesis(to_json(genesis_pb2.GenesisState(next_deal_number=2, deals=[deal])))


def test_validate_genesis_consent_errors(sha_env: Env) -> None:
    env = sha_env
    deal = make_deal(1, env.consumer, 10)
    good = signed_consent(env, deal)

    def error(c: consent_pb2.Consent) -> str:
        with pytest.raises(ChainError) as info:
            module(env).validate_genesis(to_json(genesis_pb2.GenesisState(consents=[c])))
        assert info.value.is_(ErrInvalidRequest)
        return info.value.log

    c = consent_pb2.Consent(deal_id=1)
    assert error(c) == "certificate is empty: invalid request"
    c.CopyFrom(good)
    c.certificate.unsigned_certificate.data_hash = ""
    assert error(c) == "failed to validation unsignedCertificate: dataHash is empty: invalid request"
    c.CopyFrom(good)
    c.certificate.signature = b""
    assert error(c) == "signature is empty: invalid request"
    c.CopyFrom(good)
    c.deal_id = 2
    assert error(c) == "the certificate is not for the deal 2: invalid request"
    module(env).validate_genesis(to_json(genesis_pb2.GenesisState(consents=[good])))


def test_validate_genesis_bad_json(sha_env: Env) -> None:
    with pytest.raises(ChainError) as info:
        module(sha_env).validate_genesis({"next_deal_number": "x"})
    assert info.value.is_(ErrInvalidRequest)

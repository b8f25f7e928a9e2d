"""ValidateBasic of the datadeal messages: every check, in the reference order, with exact texts."""

from __future__ import annotations

import json

import pytest

from panacea.chain.errors import ChainError, ErrInvalidAddress, ErrInvalidRequest
from panacea.chain.modules.datadeal import msgs
from panacea.chain.modules.datadeal.presentation import (
    InvalidPresentationDefinition,
    validate_presentation_definition,
)
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, tx_pb2

from .conftest import ENDPOINT, key

CONSUMER = key("consumer").bech32()
ORACLE = key("oracle-operator").bech32()
PROVIDER = key("provider").bech32()

PD = {
    "id": "c1b88ce1-8460-4baf-8f16-4759a2f055fd",
    "purpose": "To sell you a drink we need to know that you are an adult.",
    "input_descriptors": [{
        "id": "age_descriptor",
        "purpose": "Your age should be greater or equal to 18.",
        "schema": [{"uri": "https://www.w3.org/2018/credentials#VerifiableCredential"},
                   {"uri": "https://w3id.org/security/bbs/v1"}],
        "constraints": {"limit_disclosure": "required", "fields": [{
            "path": ["$.credentialSubject.age"], "filter": {"type": "integer", "minimum": 18, "maximum": 30}}]},
    }],
}


def _error(fn: object, msg: object) -> ChainError:
    with pytest.raises(ChainError) as info:
        fn(msg)  # type: ignore[operator]
    return info.value


def create_msg() -> tx_pb2.MsgCreateDeal:
    return tx_pb2.MsgCreateDeal(
        data_schema=["https://jsonld.com"], budget=coin_pb2.Coin(denom="umed", amount="10000"), max_num_data=10,
        consumer_address=CONSUMER,
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="title", description="description")],
        consumer_service_endpoint=ENDPOINT)


def test_create_deal_valid() -> None:
    msgs.validate_create_deal(create_msg())
    assert msgs.create_deal_signers(create_msg()) == [CONSUMER]


def test_create_deal_with_presentation_definition_only() -> None:
    msg = create_msg()
    del msg.data_schema[:]
    msg.presentation_definition = json.dumps(PD).encode()
    msgs.validate_create_deal(msg)


def test_create_deal_errors_in_order() -> None:
    """Each step fixed in turn, like TestMsgCreateDealValidateBasicEmptyValue (plus PD and endpoint)."""
    v = msgs.validate_create_deal
    msg = tx_pb2.MsgCreateDeal(budget=coin_pb2.Coin(denom="umed", amount="10000"), max_num_data=0)
    e = _error(v, msg)
    assert e.is_(ErrInvalidRequest)
    assert e.log == "one of data schema and presentation definition can be provided: invalid request"
    msg.presentation_definition = b"{}"
    msg.data_schema.append("https://jsonld.com")
    assert _error(v, msg).log == "one of data schema and presentation definition can be provided: invalid request"
    del msg.data_schema[:]
    assert _error(v, msg).log == "invalid presentation definition: invalid request"
    msg.presentation_definition = b""
    msg.data_schema.append("https://jsonld.com")
    assert _error(v, msg).log == "max num of data is negative number: invalid request"
    msg.max_num_data = 10
    msg.ClearField("budget")
    assert _error(v, msg).log == "budget is empty: invalid request"
    msg.budget.CopyFrom(coin_pb2.Coin(denom="umed", amount="-1"))
    e = _error(v, msg)
    assert e.is_(ErrInvalidRequest)
    assert e.log == "budget is not a valid Coin object: invalid request"
    msg.budget.amount = "10000"
    e = _error(v, msg)
    assert e.is_(ErrInvalidAddress)
    assert e.log == "invalid consumer address (empty address string is not allowed): invalid address"
    msg.consumer_address = CONSUMER
    msg.agreement_terms.add(id=1, title="", description="description")
    e = _error(v, msg)
    assert e.is_(ErrInvalidRequest)
    assert e.log == "invalid agreement term: the title of agreement term shouldn't be empty: invalid request"
    msg.agreement_terms[0].title = "title"
    msg.agreement_terms[0].description = ""
    assert _error(v, msg).log == (
        "invalid agreement term: the description of agreement term shouldn't be empty: invalid request")
    msg.agreement_terms[0].description = "description"
    assert _error(v, msg).log == "consumer service endpoint is empty: invalid request"
    msg.consumer_service_endpoint = ENDPOINT
    v(msg)


@pytest.mark.parametrize("budget", [coin_pb2.Coin(denom="umed", amount="0"), coin_pb2.Coin(denom="uatom", amount="5")],
                         ids=["zero", "non-umed"])
def test_create_deal_zero_and_non_umed_budget_pass(budget: coin_pb2.Coin) -> None:
    msg = create_msg()
    msg.budget.CopyFrom(budget)
    msgs.validate_create_deal(msg)


@pytest.mark.parametrize("budget", [
    coin_pb2.Coin(denom="u", amount="5"),  # denom too short
    coin_pb2.Coin(denom="1med", amount="5"),
    coin_pb2.Coin(denom="umed", amount=""),
    coin_pb2.Coin(denom="umed", amount="1.5"),
    coin_pb2.Coin(denom="umed", amount=str(2**256)),
])
def test_create_deal_invalid_budget_coin(budget: coin_pb2.Coin) -> None:
    msg = create_msg()
    msg.budget.CopyFrom(budget)
    assert _error(msgs.validate_create_deal, msg).log == "budget is not a valid Coin object: invalid request"


def test_create_deal_invalid_pd_descriptor_without_id() -> None:
    """TestCreateDealInvalidPD: an input descriptor without ``id``."""
    pd = {"id": PD["id"], "purpose": PD["purpose"],
          "input_descriptors": [{"schema": [{"uri": "https://www.w3.org/2018/credentials#VerifiableCredential"}]}]}
    msg = create_msg()
    del msg.data_schema[:]
    msg.presentation_definition = json.dumps(pd).encode()
    assert _error(msgs.validate_create_deal, msg).log == "invalid presentation definition: invalid request"


def test_create_deal_both_schema_and_pd() -> None:
    msg = create_msg()
    msg.presentation_definition = json.dumps(PD).encode()
    assert _error(msgs.validate_create_deal, msg).log == (
        "one of data schema and presentation definition can be provided: invalid request")


@pytest.mark.parametrize("pd", [
    b"not json", b"null", b"[]", b'"x"',
    b'{"input_descriptors": [{"id": "a", "schema": [{"uri": "u"}]}]}',  # no id
    b'{"id": "", "input_descriptors": [{"id": "a", "schema": [{"uri": "u"}]}]}',  # omitempty drops ""
    b'{"id": 5, "input_descriptors": [{"id": "a", "schema": [{"uri": "u"}]}]}',
    b'{"id": "p"}',
    b'{"id": "p", "input_descriptors": []}',
    b'{"id": "p", "input_descriptors": {}}',
    b'{"id": "p", "input_descriptors": ["a"]}',
    b'{"id": "p", "input_descriptors": [{"id": "a"}]}',  # no schema
    b'{"id": "p", "input_descriptors": [{"id": "a", "schema": []}]}',
    b'{"id": "p", "input_descriptors": [{"id": "a", "schema": [{}]}]}',  # schema entry without uri
    b'{"id": "p", "input_descriptors": [{"id": "a", "schema": [{"uri": "u", "required": "yes"}]}]}',
    b'{"id": "p", "name": 1, "input_descriptors": [{"id": "a", "schema": [{"uri": "u"}]}]}',
    b"\xff\xfe",
])
def test_presentation_definition_rejected(pd: bytes) -> None:
    with pytest.raises(InvalidPresentationDefinition):
        validate_presentation_definition(pd)


def test_presentation_definition_minimal_accepted() -> None:
    validate_presentation_definition(b'{"id": "p", "input_descriptors": [{"id": "a", "schema": [{"uri": "u"}]}]}')


# --- MsgSubmitConsent -----------------------------------------------------------------------------------
def submit_msg() -> tx_pb2.MsgSubmitConsent:
    return tx_pb2.MsgSubmitConsent(consent=consent_pb2.Consent(
        deal_id=1,
        certificate=consent_pb2.Certificate(
            unsigned_certificate=consent_pb2.UnsignedCertificate(
                unique_id="uniqueID", oracle_address=ORACLE, deal_id=1, provider_address=PROVIDER,
                data_hash="dataHash"),
            signature=b"signature"),
        agreements=[consent_pb2.Agreement(term_id=1, agreement=True)]))


def test_submit_consent_valid() -> None:
    msgs.validate_submit_consent(submit_msg())
    assert msgs.submit_consent_signers(submit_msg()) == [PROVIDER]


def test_submit_consent_errors_in_order() -> None:
    v = msgs.validate_submit_consent
    outer, inner = "failed to validation certificate", "failed to validation unsignedCertificate"
    msg = tx_pb2.MsgSubmitConsent()
    assert _error(v, msg).log == "consent is empty: invalid request"
    msg.consent.SetInParent()
    assert _error(v, msg).log == f"{outer}: certificate is empty: invalid request"
    msg.consent.certificate.SetInParent()
    assert _error(v, msg).log == f"{outer}: unsignedCertificate is empty: invalid request"
    cert = msg.consent.certificate.unsigned_certificate
    cert.SetInParent()
    e = _error(v, msg)
    assert e.is_(ErrInvalidRequest)
    assert e.log == f"{outer}: {inner}: uniqueId is empty: invalid request"
    cert.unique_id = "uniqueID"
    assert _error(v, msg).log == (f"{outer}: {inner}: oracleAddress is invalid. address: , "
                                  "error: empty address string is not allowed: invalid request")
    cert.oracle_address = ORACLE
    assert _error(v, msg).log == f"{outer}: {inner}: dealId is greater than 0: invalid request"
    cert.deal_id = 1
    # REF (§2.6): the provider error names the oracle address.
    assert _error(v, msg).log == (f"{outer}: {inner}: providerAddress is invalid. address: {ORACLE}, "
                                  "error: empty address string is not allowed: invalid request")
    cert.provider_address = PROVIDER
    assert _error(v, msg).log == f"{outer}: {inner}: dataHash is empty: invalid request"
    cert.data_hash = "dataHash"
    assert _error(v, msg).log == f"{outer}: signature is empty: invalid request"
    msg.consent.certificate.signature = b"signature"
    assert _error(v, msg).log == f"{outer}: the certificate is not for the deal 0: invalid request"
    msg.consent.deal_id = 2
    assert _error(v, msg).log == f"{outer}: the certificate is not for the deal 2: invalid request"
    msg.consent.deal_id = 1
    v(msg)


def test_submit_consent_bad_bech32_oracle_address() -> None:
    msg = submit_msg()
    msg.consent.certificate.unsigned_certificate.oracle_address = "panacea1xyz"
    log = _error(msgs.validate_submit_consent, msg).log
    assert log.startswith("failed to validation certificate: failed to validation unsignedCertificate: "
                          "oracleAddress is invalid. address: panacea1xyz, error: ")
    assert log.endswith(": invalid request")


# --- MsgDeactivateDeal ----------------------------------------------------------------------------------
def test_deactivate_deal_valid_and_errors_in_order() -> None:
    v = msgs.validate_deactivate_deal
    v(tx_pb2.MsgDeactivateDeal(deal_id=1, requester_address=CONSUMER))
    assert msgs.deactivate_deal_signers(tx_pb2.MsgDeactivateDeal(deal_id=1, requester_address=CONSUMER)) == [CONSUMER]
    msg = tx_pb2.MsgDeactivateDeal()
    e = _error(v, msg)
    assert e.is_(ErrInvalidRequest)
    assert e.log == ("requesterAddress is invalid. address: , error: empty address string is not allowed: "
                     "invalid request")
    msg.requester_address = CONSUMER
    assert _error(v, msg).log == "dealId is greater than 0: invalid request"

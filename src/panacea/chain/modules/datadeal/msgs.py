"""ValidateBasic and signers of the datadeal messages (spec §2.3–§2.6), and the stored-type checks
genesis reuses (§2.11). All texts and the order of checks are the reference's."""

from __future__ import annotations

from collections.abc import Iterable

from panacea.chain import addr
from panacea.chain.coins import valid_coin
from panacea.chain.errors import ChainError, ErrInvalidAddress, ErrInvalidRequest
from panacea.chain.modules.datadeal.presentation import InvalidPresentationDefinition, validate_presentation_definition
from panacea.crypto.errors import CryptoError
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, tx_pb2


def _bech32_error(address: str) -> str | None:
    try:
        addr.parse(address)
    except CryptoError as e:
        return str(e)
    return None


def validate_agreement_terms(terms: Iterable[deal_pb2.AgreementTerm]) -> None:
    for term in terms:
        try:
            if not term.title:
                raise ErrInvalidRequest.wrap("the title of agreement term shouldn't be empty")
            if not term.description:
                raise ErrInvalidRequest.wrap("the description of agreement term shouldn't be empty")
        except ChainError as e:
            raise e.wrap("invalid agreement term") from None


def validate_budget(msg: tx_pb2.MsgCreateDeal | deal_pb2.Deal) -> None:
    if not msg.HasField("budget"):
        raise ErrInvalidRequest.wrap("budget is empty")
    if not valid_coin(msg.budget):
        raise ErrInvalidRequest.wrap("budget is not a valid Coin object")


def validate_create_deal(msg: tx_pb2.MsgCreateDeal) -> None:
    has_schema, has_pd = len(msg.data_schema) > 0, len(msg.presentation_definition) > 0
    if has_schema == has_pd:
        raise ErrInvalidRequest.wrap("one of data schema and presentation definition can be provided")
    if has_pd:
        try:
            validate_presentation_definition(msg.presentation_definition)
        except InvalidPresentationDefinition:
            raise ErrInvalidRequest.wrap("invalid presentation definition") from None
    if msg.max_num_data == 0:
        raise ErrInvalidRequest.wrap("max num of data is negative number")
    validate_budget(msg)
    cause = _bech32_error(msg.consumer_address)
    if cause is not None:
        raise ErrInvalidAddress.wrap(f"invalid consumer address ({cause})")
    validate_agreement_terms(msg.agreement_terms)
    if not msg.consumer_service_endpoint:
        raise ErrInvalidRequest.wrap("consumer service endpoint is empty")


def validate_deactivate_deal(msg: tx_pb2.MsgDeactivateDeal) -> None:
    cause = _bech32_error(msg.requester_address)
    if cause is not None:
        raise ErrInvalidRequest.wrap(
            f"requesterAddress is invalid. address: {msg.requester_address}, error: {cause}")
    if msg.deal_id == 0:
        raise ErrInvalidRequest.wrap("dealId is greater than 0")  # wording inverted upstream (§2.5)


def validate_unsigned_certificate(cert: consent_pb2.UnsignedCertificate) -> None:
    if not cert.unique_id:
        raise ErrInvalidRequest.wrap("uniqueId is empty")
    cause = _bech32_error(cert.oracle_address)
    if cause is not None:
        raise ErrInvalidRequest.wrap(f"oracleAddress is invalid. address: {cert.oracle_address}, error: {cause}")
    if cert.deal_id == 0:
        raise ErrInvalidRequest.wrap("dealId is greater than 0")
    cause = _bech32_error(cert.provider_address)
    if cause is not None:
        # REF (§2.6): the text names the oracle address, not the provider address.
        raise ErrInvalidRequest.wrap(f"providerAddress is invalid. address: {cert.oracle_address}, error: {cause}")
    if not cert.data_hash:
        raise ErrInvalidRequest.wrap("dataHash is empty")


def validate_consent(consent: consent_pb2.Consent) -> None:
    """Consent.ValidateBasic (genesis uses it bare; MsgSubmitConsent wraps it)."""
    if not consent.HasField("certificate"):
        raise ErrInvalidRequest.wrap("certificate is empty")
    certificate = consent.certificate
    if not certificate.HasField("unsigned_certificate"):
        raise ErrInvalidRequest.wrap("unsignedCertificate is empty")
    try:
        validate_unsigned_certificate(certificate.unsigned_certificate)
    except ChainError as e:
        raise e.wrap("failed to validation unsignedCertificate") from None
    if not certificate.signature:
        raise ErrInvalidRequest.wrap("signature is empty")
    if certificate.unsigned_certificate.deal_id != consent.deal_id:
        raise ErrInvalidRequest.wrap(f"the certificate is not for the deal {consent.deal_id}")


def validate_submit_consent(msg: tx_pb2.MsgSubmitConsent) -> None:
    if not msg.HasField("consent"):
        raise ErrInvalidRequest.wrap("consent is empty")
    try:
        validate_consent(msg.consent)
    except ChainError as e:
        raise e.wrap("failed to validation certificate") from None


def validate_deal(deal: deal_pb2.Deal) -> None:
    """Deal.ValidateBasic for genesis (spec §2.11)."""
    cause = _bech32_error(deal.consumer_address)
    if cause is not None:
        raise ChainError("undefined", 1, f"consumer address is invalid. address: {deal.consumer_address}: {cause}")
    # Departure: a deal needs a data schema OR a presentation definition (like CreateDeal); the
    # reference requires data_schema, so PD-only deals it created itself could not be re-imported.
    if not deal.data_schema and not deal.presentation_definition:
        raise ErrInvalidRequest.wrap("there is no data schema")
    if deal.id == 0:
        raise ErrInvalidRequest.wrap("ID should be bigger than 0")
    if deal.max_num_data == 0:
        raise ErrInvalidRequest.wrap("MaxNumData should be bigger than 0")
    validate_budget(deal)
    if deal.cur_num_data > deal.max_num_data:
        raise ErrInvalidRequest.wrap("CurNumData can not be bigger than MaxNumData")
    validate_agreement_terms(deal.agreement_terms)
    if not deal.consumer_service_endpoint:
        raise ErrInvalidRequest.wrap("consumer service endpoint is empty")


def create_deal_signers(msg: tx_pb2.MsgCreateDeal) -> list[str]:
    return [msg.consumer_address]


def deactivate_deal_signers(msg: tx_pb2.MsgDeactivateDeal) -> list[str]:
    return [msg.requester_address]


def submit_consent_signers(msg: tx_pb2.MsgSubmitConsent) -> list[str]:
    """The provider signs; "data provided by its owner" rests on this signature alone (§2.3)."""
    return [msg.consent.certificate.unsigned_certificate.provider_address]

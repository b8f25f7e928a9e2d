"""ValidateData (oracle-reference §2): steps 1-13, in the reference's order and with its texts; step 14 (the
HTTP response) is the HTTP layer's. Chain reads, VP validation and the upload go through the interfaces of
:mod:`panacea.oracle.interfaces`; the oracle key never leaves its :class:`EnclaveKey`.

Departures (docs/decisions.md): each error has a category (the HTTP status); the signature digest follows
the chain's ``signature_digest`` param (``sha256`` unless ``legacy``); the schema and VP failures add a
one-line reason after the reference text.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from panacea.crypto.address import bech32_decode
from panacea.crypto.errors import CryptoError
from panacea.crypto.jcs import data_hash as jcs_data_hash
from panacea.crypto.keys import PublicKey
from panacea.crypto.signature import SignatureMode
from panacea.oracle.enclave import EnclaveIdentity, EnclaveKey
from panacea.oracle.errors import Category, OracleError, require_caller
from panacea.oracle.interfaces import ChainReader, PresentationValidator, Uploader, account_key
from panacea.oracle.schemas import SchemaError, SchemaRegistry
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2

PARAMS_TTL = 10.0  # seconds the chain's signature digest is reused before it is read again


@dataclass(frozen=True)
class ValidateDataRequest:
    """The body of ``POST /v0/data-deal/deals/{deal_id}/data`` once the HTTP layer has decoded it."""

    deal_id: int
    provider_address: str
    encrypted_data: bytes
    data_hash: str


def signature_mode(digest_param: str) -> SignatureMode:
    """The chain's rule: ``legacy`` signs the first 32 bytes, anything else (default empty) SHA-256."""
    return SignatureMode.LEGACY if digest_param == SignatureMode.LEGACY.value else SignatureMode.SHA256


def _check_request(request: ValidateDataRequest, caller: str | None) -> None:
    try:  # step 1
        bech32_decode(request.provider_address)
    except CryptoError as e:
        raise OracleError(f"invalid provider address: {e}") from None
    if not request.encrypted_data:
        raise OracleError("encrypted data is empty in request")
    if not request.data_hash:
        raise OracleError("data hash is empty in request")
    issuer = require_caller(caller)  # step 2
    if issuer != request.provider_address:
        raise OracleError(f"data provider and token issuer do not matched.  provider: {request.provider_address}, "
                          f"jwt issuer: {issuer}", Category.FORBIDDEN)


class DataValidator:
    """The ValidateData core: one instance per oracle process, shared by every request."""

    def __init__(self, *, key: EnclaveKey, identity: EnclaveIdentity, oracle_address: str, chain: ChainReader,
                 schemas: SchemaRegistry, uploader: Uploader,
                 presentations: PresentationValidator | None = None) -> None:
        self._key = key
        self._unique_id = identity.unique_id_hex
        self._oracle_address = oracle_address
        self._chain = chain
        self._schemas = schemas
        self._uploader = uploader
        self._presentations = presentations
        self._mode: tuple[float, SignatureMode] | None = None

    async def validate(self, request: ValidateDataRequest, caller: str | None) -> consent_pb2.Certificate:
        """Steps 1-13: check, decrypt, hash, validate, re-encrypt, upload, then sign the certificate."""
        _check_request(request, caller)
        try:  # step 3
            deal = await self._chain.deal(request.deal_id)
        except OracleError as e:
            raise e.wrap("failed to get deal. ") from None
        if deal.status != deal_pb2.DEAL_STATUS_ACTIVE:  # step 4
            raise OracleError("cannot provide data to INACTIVE/COMPLETED deal", Category.CONFLICT)
        provider = await self._provider_key(request.provider_address)  # step 5
        try:  # step 6
            raw = self._key.decrypt_from(provider, request.encrypted_data)
        except CryptoError:
            raise OracleError("failed to decrypt data") from None
        try:  # step 7
            computed = jcs_data_hash(raw)
        except CryptoError:
            raise OracleError("invalid JSON format") from None
        if computed != request.data_hash:  # step 8
            raise OracleError("data hash mismatch")
        await self._validate_content(deal, raw)  # steps 9-10
        try:  # step 11
            ciphertext = self._key.encrypt_for_deal(request.deal_id, computed, raw)
        except CryptoError:
            raise OracleError("failed to re-encrypt data with the combined key", Category.INTERNAL) from None
        await self._uploader.upload(deal.consumer_service_endpoint, request.deal_id, request.data_hash,
                                    ciphertext)  # step 12: no certificate unless the upload succeeded
        return await self._certificate(request, computed)  # step 13

    async def _provider_key(self, address: str) -> PublicKey:
        return await account_key(self._chain, address, failed="failed to get provider's account: ",
                                 missing=f"failed to get public key of provider's account: {address}",
                                 unparsable="failed to parse provider's public key: ")

    async def _validate_content(self, deal: deal_pb2.Deal, raw: bytes) -> None:
        if deal.data_schema:
            document: Any = json.loads(raw)  # JCS (step 7) already proved it is strict JSON
            for uri in deal.data_schema:
                try:
                    await self._schemas.validate(uri, document)
                except SchemaError as e:
                    raise e.wrap("failed to validate data: ") from None
                except OracleError as e:
                    raise OracleError(f"failed to validate data: {e.message}") from None
        if deal.presentation_definition:
            if self._presentations is None:
                raise OracleError("failed to validate VP: this oracle does not validate presentations",
                                  Category.UNAVAILABLE)
            try:
                await self._presentations.validate(raw, deal.presentation_definition)
            except OracleError as e:
                raise e.wrap("failed to validate VP: ") from None

    async def _signature_mode(self) -> SignatureMode:
        now = asyncio.get_running_loop().time()
        if self._mode is None or now - self._mode[0] > PARAMS_TTL:
            try:
                params = await self._chain.oracle_params()
            except OracleError as e:
                raise e.wrap("failed to create signature of data certificate: ") from None
            self._mode = (now, signature_mode(params.signature_digest))
        return self._mode[1]

    async def _certificate(self, request: ValidateDataRequest, computed: str) -> consent_pb2.Certificate:
        unsigned = consent_pb2.UnsignedCertificate(
            unique_id=self._unique_id, oracle_address=self._oracle_address, deal_id=request.deal_id,
            provider_address=request.provider_address, data_hash=computed)
        message = unsigned.SerializeToString(deterministic=True)  # gogoproto order: fields 1-5, empty omitted
        signature = self._key.sign(message, await self._signature_mode())
        return consent_pb2.Certificate(unsigned_certificate=unsigned, signature=signature)

"""Chain-side helpers for the oracle core tests: deals made through ChainClient, provider data, the cores
wired to the real node, and the consent submitted with the oracle's certificate."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from panacea.client import AsyncChainClient, ChainClient
from panacea.client.types import TxResponse
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import encrypt_for
from panacea.oracle.chain import ClientChainReader
from panacea.oracle.interfaces import PresentationValidator
from panacea.oracle.schemas import SchemaRegistry
from panacea.oracle.secretkey import SecretKeyService
from panacea.oracle.ssrf import AddressPolicy, GuardedHttp
from panacea.oracle.upload import ConsumerUploader
from panacea.oracle.validate import DataValidator, ValidateDataRequest
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.oracle.kit import ORACLE_ADDRESS, OracleKit

CONSUMER = nodekit.key("consumer")
PROVIDER = nodekit.key("provider")
SCHEMA_URI = "https://schemas.test/person.json"
SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["name", "age"],
          "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}}}
DATA = b'{ "age": 30,\n  "name": "alice" }'  # not canonical: the hash is of its JCS form


def create_deal(node: Node, endpoint: str, *, schema: str = SCHEMA_URI, budget: int = 10000,
                max_num_data: int = 10, pd: bytes = b"") -> int:
    """A deal of CONSUMER's; its id (the largest on chain)."""
    msg = deal_tx.MsgCreateDeal(
        data_schema=[schema] if schema else [], budget=coin_pb2.Coin(denom="umed", amount=str(budget)),
        max_num_data=max_num_data, consumer_address=CONSUMER.bech32(), consumer_service_endpoint=endpoint,
        presentation_definition=pd,
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="share", description="my data")])
    with node.client() as client:
        resp = client.wallet(CONSUMER).send([msg])
        assert resp.ok, resp.raw_log
        wait_past(client, resp.height)  # an oracle's verified reads see the deal only from the next block
        return max(d.id for d in client.deals())


def deactivate(node: Node, deal_id: int) -> None:
    """MsgDeactivateDeal by CONSUMER."""
    with node.client() as client:
        resp = client.wallet(CONSUMER).send([deal_tx.MsgDeactivateDeal(
            deal_id=deal_id, requester_address=CONSUMER.bech32())])
        assert resp.ok, resp.raw_log


def request(oracle: OracleKit, deal_id: int, raw: bytes = DATA, provider: PrivateKey = PROVIDER,
            hash_hex: str | None = None) -> ValidateDataRequest:
    """What a provider sends: raw data encrypted for the oracle key, with its JCS hash."""
    return ValidateDataRequest(deal_id, provider.bech32(), encrypt_for(provider, oracle.key.public_key, raw),
                               data_hash(raw) if hash_hex is None else hash_hex)


@dataclass
class Cores:
    """The two cores over one AsyncChainClient (open inside the test's event loop)."""

    validator: DataValidator
    secret_keys: SecretKeyService
    registry: SchemaRegistry


@asynccontextmanager
async def cores(oracle: OracleKit, node: Node, schemas_dir: Path, *, deadline: float = 5.0,
                allow: tuple[str, ...] = ("127.0.0.0/8",),
                presentations: PresentationValidator | None = None) -> AsyncIterator[Cores]:
    """DataValidator + SecretKeyService against the real node, uploads through the SSRF guard."""
    registry = SchemaRegistry(schemas_dir, fetch=False)
    if SCHEMA_URI not in registry.index():
        registry.add(SCHEMA_URI, json.dumps(SCHEMA).encode())
    http = GuardedHttp(AddressPolicy(allow))
    async with AsyncChainClient(node.rpc) as client:
        chain = ClientChainReader(client)
        uploader = ConsumerUploader(http, oracle.key, ORACLE_ADDRESS, timeout=5.0, deadline=deadline)
        try:
            yield Cores(DataValidator(key=oracle.key, identity=oracle.enclave.identity(), oracle_address=ORACLE_ADDRESS,
                                      chain=chain, schemas=registry, uploader=uploader, presentations=presentations),
                        SecretKeyService(key=oracle.key, chain=chain), registry)
        finally:
            await http.close()


def submit_consent(node: Node, certificate: consent_pb2.Certificate, provider: PrivateKey = PROVIDER) -> TxResponse:
    """MsgSubmitConsent with the oracle's certificate, the deal's one term agreed."""
    consent = consent_pb2.Consent(deal_id=certificate.unsigned_certificate.deal_id, certificate=certificate,
                                  agreements=[consent_pb2.Agreement(term_id=1, agreement=True)])
    with node.client() as client:
        return client.wallet(provider).send([deal_tx.MsgSubmitConsent(consent=consent)])


def fee_paid(resp: TxResponse) -> int:
    """The umed fee the tx's signer paid (the ``tx`` event)."""
    fee = resp.attribute("tx", "fee") or "0umed"
    return int(fee.removesuffix("umed") or 0)


def balance(node: Node, address: str) -> int:
    """The address's umed balance."""
    with node.client() as client:
        return client.balance(address)


def register_pubkey(node: Node, key: PrivateKey) -> None:
    """A first tx (1umed to itself) so the chain knows the account's public key; returns once the next block
    exists (an oracle's verified reads are of the state before the newest block)."""
    with node.client() as client:
        if client.account(key.bech32()).pubkey is not None:
            return
        resp = client.wallet(key).send([nodekit.send_msg(key.bech32(), key.bech32(), 1)])
        assert resp.ok, resp.raw_log
        wait_past(client, resp.height)


def wait_past(client: ChainClient, height: int) -> None:
    """Returns once a block above `height` exists (the state of `height` is then provable)."""
    deadline = time.monotonic() + 30
    while client.status().latest_height <= height:
        assert time.monotonic() < deadline
        time.sleep(0.05)

"""ValidateData (oracle-reference §2, §8 "datadeal service") against a real embedded node, real crypto and a
loopback consumer service; the certificate is then accepted by the chain, which pays exactly."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest

from panacea.client import SimulationError
from panacea.crypto import aes
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import decrypt_from
from panacea.crypto.signature import SignatureMode, verify_message
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.interfaces import PresentationValidator
from panacea.oracle.validate import ValidateDataRequest, signature_mode
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.oracle import chainkit as ck
from tests.oracle.kit import ORACLE_ADDRESS, ConsumerService, OracleKit


@pytest.fixture(scope="module", autouse=True)
def provider_has_pubkey(node: Node) -> None:
    ck.register_pubkey(node, ck.PROVIDER)


async def _validate(oracle: OracleKit, node: Node, tmp: Path, req: ValidateDataRequest, caller: str | None,
                    deadline: float = 5.0) -> object:
    async with ck.cores(oracle, node, tmp, deadline=deadline) as c:
        return await c.validator.validate(req, caller)


def _error(oracle: OracleKit, node: Node, tmp: Path, req: ValidateDataRequest, caller: str | None = None,
           deadline: float = 5.0) -> OracleError:
    with pytest.raises(OracleError) as info:
        asyncio.run(_validate(oracle, node, tmp, req, req.provider_address if caller is None else caller, deadline))
    return info.value


def test_validate_data_success_consent_accepted_and_paid(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                                        tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)
    req = ck.request(oracle, deal_id)
    cert = asyncio.run(_validate(oracle, node, tmp_path, req, ck.PROVIDER.bech32()))
    u = cert.unsigned_certificate  # type: ignore[attr-defined]
    assert (u.unique_id, u.oracle_address, u.deal_id, u.provider_address, u.data_hash) == (
        oracle.enclave.identity().unique_id_hex, ORACLE_ADDRESS, deal_id, ck.PROVIDER.bech32(), data_hash(ck.DATA))
    assert verify_message(oracle.key.public_key, u.SerializeToString(deterministic=True),
                          cert.signature, SignatureMode.SHA256)  # type: ignore[attr-defined]
    assert consumer.issuers == [ORACLE_ADDRESS]
    stored = consumer.objects[(str(deal_id), req.data_hash)]

    provider_before, oracle_before = ck.balance(node, ck.PROVIDER.bech32()), ck.balance(node, ORACLE_ADDRESS)
    resp = ck.submit_consent(node, cert)  # type: ignore[arg-type]
    assert resp.ok, resp.raw_log
    assert ck.balance(node, ORACLE_ADDRESS) - oracle_before == 100  # 10000 / 10 × commission 0.1
    assert ck.balance(node, ck.PROVIDER.bech32()) - provider_before + ck.fee_paid(resp) == 900

    async def key() -> bytes:  # §2.2: the consumer's decryption path, through GetSecretKey
        async with ck.cores(oracle, node, tmp_path) as c:
            return await c.secret_keys.encrypted_secret_key(deal_id, req.data_hash, ck.CONSUMER.bech32())

    secret = decrypt_from(ck.CONSUMER, oracle.key.public_key, asyncio.run(key()))
    assert aes.decrypt(secret, stored) == ck.DATA  # the original, non-canonical bytes


def test_the_same_data_twice_is_refused_by_the_chain(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                                    tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)
    req = ck.request(oracle, deal_id)
    first = asyncio.run(_validate(oracle, node, tmp_path, req, req.provider_address))
    again = asyncio.run(_validate(oracle, node, tmp_path, ck.request(oracle, deal_id), req.provider_address))
    assert len(consumer.objects) == 1  # idempotent: one object per deal + hash
    assert ck.submit_consent(node, first).ok  # type: ignore[arg-type]
    with pytest.raises(SimulationError) as info:
        ck.submit_consent(node, again)  # type: ignore[arg-type]
    assert info.value.log == "failed to execute message; message index: 0: already provided consent: error while " \
                             "submit consent"


def test_invalid_requests_in_order(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    good = ck.request(oracle, 1)
    bad_addr = ValidateDataRequest(1, "cosmos1abc", good.encrypted_data, good.data_hash)
    assert _error(oracle, node, tmp_path, bad_addr, "x").message.startswith("invalid provider address: ")
    empty = ValidateDataRequest(1, good.provider_address, b"", good.data_hash)
    assert _error(oracle, node, tmp_path, empty).message == "encrypted data is empty in request"
    no_hash = ValidateDataRequest(1, good.provider_address, good.encrypted_data, "")
    assert _error(oracle, node, tmp_path, no_hash).message == "data hash is empty in request"
    e = _error(oracle, node, tmp_path, good, "")
    assert (e.message, e.category) == ("failed to get request address. missing authorization header",
                                       Category.UNAUTHORIZED)
    other = nodekit.key("other").bech32()
    e = _error(oracle, node, tmp_path, good, other)
    assert e.message == (f"data provider and token issuer do not matched.  provider: {good.provider_address}, "
                         f"jwt issuer: {other}")
    assert e.status == 403


def test_missing_deal(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    e = _error(oracle, node, tmp_path, ck.request(oracle, 999))
    assert (e.message, e.status) == ("failed to get deal. deal with ID 999 does not exist: deal is not found", 404)


def test_inactive_deal(oracle: OracleKit, node: Node, consumer: ConsumerService, tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)
    ck.deactivate(node, deal_id)
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id))
    assert (e.message, e.status) == ("cannot provide data to INACTIVE/COMPLETED deal", 409)


def test_completed_deal(oracle: OracleKit, node: Node, consumer: ConsumerService, tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url, max_num_data=1, budget=1000)
    cert = asyncio.run(_validate(oracle, node, tmp_path, ck.request(oracle, deal_id), ck.PROVIDER.bech32()))
    assert ck.submit_consent(node, cert).ok  # type: ignore[arg-type]
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, b'{"name": "bob", "age": 1}'))
    assert e.message == "cannot provide data to INACTIVE/COMPLETED deal"


def test_provider_without_pubkey(oracle: OracleKit, node: Node, consumer: ConsumerService, tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)
    erin = nodekit.key("erin")  # funded at genesis, never sent a tx
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, provider=erin))
    assert (e.message, e.status) == (f"failed to get public key of provider's account: {erin.bech32()}", 400)
    stranger = PrivateKey(b"\x07" * 32)
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, provider=stranger))
    assert e.message.startswith("failed to get provider's account: ") and e.status == 404


def test_bad_ciphertext_hash_json_and_schema(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                            tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)
    good = ck.request(oracle, deal_id)
    for garbage in (b"\x01" * 5, b"\x02" * 40):
        e = _error(oracle, node, tmp_path, ValidateDataRequest(deal_id, good.provider_address, garbage, good.data_hash))
        assert e.message == "failed to decrypt data"
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, hash_hex=good.data_hash.upper()))
    assert e.message == "data hash mismatch"
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, b'{"a": 1, "a": 2}', hash_hex="00"))
    assert e.message == "invalid JSON format"
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, b'{"name": "x", "age": -1}'))
    assert (e.message, e.status) == ("failed to validate data: age: -1 is less than the minimum of 0", 400)
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id, b'{"name": "x"}'))
    assert e.message == 'failed to validate data: (root): "age" is a required property'
    assert consumer.objects == {}  # nothing delivered for rejected data


def test_unknown_schema_with_fetch_off(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                      tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url, schema="https://schemas.test/unknown.json")
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id))
    assert (e.message, e.status) == ("failed to validate data: the deal's data schema is not in this oracle's schema "
                                     "registry and fetching is off", 503)


def test_no_certificate_unless_the_upload_succeeded(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                                   tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)
    consumer.fail_next = 1_000_000
    e = _error(oracle, node, tmp_path, ck.request(oracle, deal_id), deadline=0.0)
    assert (e.message, e.status) == ("failed to add data to consumer service: request failed with status code 503 "
                                     "(gave up after 1 attempts)", 502)
    consumer.fail_next = 2  # storage back after two failures: the retry succeeds within the deadline
    cert = asyncio.run(_validate(oracle, node, tmp_path, ck.request(oracle, deal_id), ck.PROVIDER.bech32()))
    assert consumer.fail_next == 0 and len(consumer.objects) == 1
    assert cert.unsigned_certificate.deal_id == deal_id  # type: ignore[attr-defined]


def test_consumer_endpoint_refused_by_the_ssrf_guard(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                                    tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url)

    async def go() -> None:
        async with ck.cores(oracle, node, tmp_path, allow=()) as c:
            await c.validator.validate(ck.request(oracle, deal_id), ck.PROVIDER.bech32())

    with pytest.raises(OracleError) as info:
        asyncio.run(go())
    assert info.value.message == ("failed to add data to consumer service: the endpoint resolves to a private, "
                                  "loopback, link-local, multicast or reserved address")
    assert consumer.url not in info.value.message and consumer.objects == {}


def test_signature_mode_follows_the_chain_param() -> None:
    assert [signature_mode(v) for v in ("", "sha256", "legacy", "other")] == [
        SignatureMode.SHA256, SignatureMode.SHA256, SignatureMode.LEGACY, SignatureMode.SHA256]
    assert base64  # std base64 of signatures is the HTTP layer's


PD = b'{"id": "pd", "input_descriptors": [{"id": "vc", "schema": [{"uri": "https://schemas.test/vc"}]}]}'


class StubPresentations:
    """A PresentationValidator (the VP engine is panacea.oracle.vp's): accepts VPs whose "ok" is true."""

    def __init__(self) -> None:
        self.seen: list[tuple[bytes, bytes]] = []

    async def validate(self, vp_bytes: bytes, presentation_definition: bytes) -> None:
        self.seen.append((vp_bytes, presentation_definition))
        if b'"ok": true' not in vp_bytes:
            raise OracleError("input descriptor vc is not satisfied")


def test_presentation_definition_deals_go_through_the_vp_interface(oracle: OracleKit, node: Node,
                                                                   consumer: ConsumerService, tmp_path: Path) -> None:
    deal_id = ck.create_deal(node, consumer.url, schema="", pd=PD)
    stub = StubPresentations()

    async def go(raw: bytes, presentations: StubPresentations | None) -> str:
        async with ck.cores(oracle, node, tmp_path, presentations=presentations) as c:
            try:
                cert = await c.validator.validate(ck.request(oracle, deal_id, raw), ck.PROVIDER.bech32())
                return cert.unsigned_certificate.data_hash
            except OracleError as e:
                return f"{e.status} {e.message}"

    assert asyncio.run(go(b'{"ok": true}', stub)) == data_hash(b'{"ok": true}')
    assert asyncio.run(go(b'{"ok": false}', stub)) == "400 failed to validate VP: input descriptor vc is not satisfied"
    assert stub.seen == [(b'{"ok": true}', PD), (b'{"ok": false}', PD)]
    assert asyncio.run(go(b'{"ok": true}', None)) == \
        "503 failed to validate VP: this oracle does not validate presentations"
    assert isinstance(stub, PresentationValidator)


def test_the_vp_engine_plugs_into_the_core(oracle: OracleKit, node: Node, consumer: ConsumerService,
                                           tmp_path: Path) -> None:
    """panacea.oracle.vp's validator behind the core's interface: a didkit-made VP passes, one whose embedded
    VC was tampered with is refused with the engine's reason."""
    from panacea.oracle.vp import DefaultPresentationValidator

    fixtures = Path(__file__).parent / "vp" / "fixtures"
    pd_doc = json.loads((fixtures / "pd_adult.json").read_bytes())
    for descriptor in pd_doc["input_descriptors"]:  # the chain takes PE v1 definitions: a schema on each
        descriptor["schema"] = [{"uri": "https://example.org/panacea/HealthCredential"}]
    pd = json.dumps(pd_doc).encode()
    deal_id = ck.create_deal(node, consumer.url, schema="", pd=pd)
    engine = DefaultPresentationValidator()
    assert isinstance(engine, PresentationValidator)

    async def go(raw: bytes) -> str:
        async with ck.cores(oracle, node, tmp_path, presentations=engine) as c:
            try:
                cert = await c.validator.validate(ck.request(oracle, deal_id, raw), ck.PROVIDER.bech32())
                return cert.unsigned_certificate.data_hash
            except OracleError as e:
                return f"{e.status} {e.message}"

    good = (fixtures / "vp_ldp.json").read_bytes()
    assert asyncio.run(go(good)) == data_hash(good)
    assert asyncio.run(go((fixtures / "vp_tampered_vc.json").read_bytes())) == (
        "400 failed to validate VP: credential 0: signature does not verify")

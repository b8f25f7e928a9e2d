"""The oracle API over HTTP: the oracle app and a real consumerd under uvicorn on loopback, the real embedded node
and real deals; the certificate the API returns is accepted by the chain, which pays exactly."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from panacea.client.services import ConsumerServiceClient
from panacea.crypto import aes
from panacea.crypto.jcs import data_hash
from panacea.crypto.secret import decrypt_from
from panacea.crypto.signature import SignatureMode, verify_message
from panacea.oracle.home import OracleHome
from panacea.oracle.openapi import OPENAPI
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceThread, bearer, service_config, token
from tests.oracle import chainkit as ck
from tests.oracle.appkit import BODY_LIMIT, OracleThread, auth, body, certificate, error, oracle_config
from tests.oracle.kit import ORACLE_ADDRESS, OracleKit

OTHER = nodekit.key("other")
MISSING_AUTH = {"code": 16, "message": "failed to get request address. missing authorization header"}


@pytest.fixture(scope="module", autouse=True)
def pubkeys(node: Node) -> None:
    ck.register_pubkey(node, ck.PROVIDER)
    ck.register_pubkey(node, OTHER)


@pytest.fixture(scope="module")
def consumerd(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceThread]:
    with ServiceThread(tmp_path_factory.mktemp("consumerd"), service_config(node.rpc, free_port())) as s:
        yield s


@pytest.fixture(scope="module")
def api(oracle: OracleKit, node: Node) -> Iterator[httpx.Client]:
    with OracleThread(oracle.home.root, oracle_config(oracle, node, free_port())) as s, \
            httpx.Client(base_url=s.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def deal_id(node: Node, consumerd: ServiceThread) -> int:
    return ck.create_deal(node, consumerd.url)


def _validate(api: httpx.Client, deal: int, doc: object, headers: dict[str, str] | None = None) -> httpx.Response:
    return api.post(f"/v0/data-deal/deals/{deal}/data", json=doc, headers=headers or {})


def test_validate_consent_paid_and_secret_key_decrypts(oracle: OracleKit, node: Node, api: httpx.Client,
                                                       consumerd: ServiceThread, deal_id: int) -> None:
    req = ck.request(oracle, deal_id)
    resp = _validate(api, deal_id, body(req), auth(ck.PROVIDER))
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    assert doc["certificate"]["unsignedCertificate"] == {
        "uniqueId": oracle.enclave.identity().unique_id_hex, "oracleAddress": ORACLE_ADDRESS, "dealId": str(deal_id),
        "providerAddress": ck.PROVIDER.bech32(), "dataHash": data_hash(ck.DATA)}
    cert = certificate(doc)
    assert verify_message(oracle.key.public_key, cert.unsigned_certificate.SerializeToString(deterministic=True),
                          cert.signature, SignatureMode.SHA256)

    provider_before, oracle_before = ck.balance(node, ck.PROVIDER.bech32()), ck.balance(node, ORACLE_ADDRESS)
    tx = ck.submit_consent(node, cert)
    assert tx.ok, tx.raw_log
    assert ck.balance(node, ORACLE_ADDRESS) - oracle_before == 100  # 10000 / 10 × commission 0.1
    assert ck.balance(node, ck.PROVIDER.bech32()) - provider_before + ck.fee_paid(tx) == 900

    for params in ({"deal_id": deal_id, "data_hash": req.data_hash}, {"deal-id": deal_id, "data-hash": req.data_hash}):
        resp = api.get("/v0/data-deal/secret-key", params=params, headers=auth(ck.CONSUMER))
        assert resp.status_code == 200, resp.text
        assert list(resp.json()) == ["encrypted_secret_key"]
        secret = decrypt_from(ck.CONSUMER, oracle.key.public_key, base64.b64decode(resp.json()["encrypted_secret_key"]))
        with ConsumerServiceClient(consumerd.url) as storage:
            stored = storage.get(deal_id, req.data_hash, token(ck.CONSUMER))
        assert aes.decrypt(secret, stored) == ck.DATA  # the original, non-canonical bytes


def test_the_same_data_twice_uploads_the_same_object(oracle: OracleKit, api: httpx.Client,
                                                    consumerd: ServiceThread, deal_id: int) -> None:
    """Issue 11 item 7: the upload is idempotent (same deal + hash → same object), so a provider may retry."""
    raw = b'{"name": "twice", "age": 3}'
    answers = [_validate(api, deal_id, body(ck.request(oracle, deal_id, raw)), auth(ck.PROVIDER)) for _ in range(2)]
    assert [r.status_code for r in answers] == [200, 200], answers[1].text
    assert answers[0].json()["certificate"]["unsignedCertificate"] == answers[1].json()["certificate"][
        "unsignedCertificate"]
    with ConsumerServiceClient(consumerd.url) as storage:
        listed = storage.list(deal_id, token(ck.CONSUMER))
    assert sum(1 for item in listed.data if item.data_hash == data_hash(raw)) == 1


def test_older_body_spelling_and_url_base64(oracle: OracleKit, api: httpx.Client, deal_id: int) -> None:
    req = ck.request(oracle, deal_id, b'{"name": "carol", "age": 7}')
    doc = body(req, "encrypted_data_base64")
    doc["encrypted_data_base64"] = base64.urlsafe_b64encode(req.encrypted_data).decode().rstrip("=")
    doc["deal_id"] = "999"  # the path's deal id wins; unknown fields are ignored
    doc["extra"] = [1, 2]
    resp = _validate(api, deal_id, doc, auth(ck.PROVIDER))
    assert resp.status_code == 200, resp.text
    assert resp.json()["certificate"]["unsignedCertificate"]["dealId"] == str(deal_id)


def test_auth_failures(oracle: OracleKit, api: httpx.Client, deal_id: int) -> None:
    # data of its own, so the tests do not depend on each other's uploads
    doc = body(ck.request(oracle, deal_id, b'{"name": "auth", "age": 2}'))
    assert error(_validate(api, deal_id, doc)) == (401, MISSING_AUTH)
    assert error(_validate(api, deal_id, doc, {"Authorization": "Basic abc"})) == (401, MISSING_AUTH)
    assert error(_validate(api, deal_id, doc, {"Authorization": "Bearer abc"})) == (401, {
        "code": 16, "message": "invalid bearer token. token must have 3 dot-separated parts, got 1"})
    forged = token(OTHER, issuer=ck.PROVIDER.bech32(), audience=ORACLE_ADDRESS)
    assert error(_validate(api, deal_id, doc, bearer(forged))) == (401, {
        "code": 16, "message": "jwt signature verification failed. failed to verify signature"})
    assert error(_validate(api, deal_id, doc, auth(ck.PROVIDER, audience="panacea1other"))) == (401, {
        "code": 16, "message": "jwt signature verification failed. aud not satisfied"})
    assert error(_validate(api, deal_id, doc, auth(ck.PROVIDER, jti=None))) == (401, {
        "code": 16, "message": "jwt signature verification failed. jti claim is required"})
    once = auth(ck.PROVIDER, jti="once")
    assert _validate(api, deal_id, doc, once).status_code == 200
    assert error(_validate(api, deal_id, doc, once)) == (401, {"code": 16, "message": "jwt replay rejected. jti "
                                                                                      "already used"})


def test_wrong_caller(oracle: OracleKit, api: httpx.Client, deal_id: int) -> None:
    req = ck.request(oracle, deal_id)
    assert error(_validate(api, deal_id, body(req), auth(OTHER))) == (403, {
        "code": 7, "message": f"data provider and token issuer do not matched.  provider: {ck.PROVIDER.bech32()}, "
                             f"jwt issuer: {OTHER.bech32()}"})
    params = {"deal_id": deal_id, "data_hash": req.data_hash}
    assert error(api.get("/v0/data-deal/secret-key", params=params, headers=auth(ck.PROVIDER))) == (403, {
        "code": 7, "message": "only consumer request secret key"})
    assert error(api.get("/v0/data-deal/secret-key", params=params)) == (401, MISSING_AUTH)


def test_missing_deal_and_consent(oracle: OracleKit, api: httpx.Client, deal_id: int) -> None:
    assert error(_validate(api, 999, body(ck.request(oracle, 999)), auth(ck.PROVIDER))) == (404, {
        "code": 5, "message": "failed to get deal. deal with ID 999 does not exist: deal is not found"})
    resp = api.get("/v0/data-deal/secret-key", params={"deal_id": deal_id, "data_hash": "ab" * 32},
                   headers=auth(ck.CONSUMER))
    assert error(resp) == (404, {"code": 5, "message": f"failed to get consent(dealID: {deal_id}, dataHash "
                                                       f"{'ab' * 32}). consent is not found"})


def test_inactive_deal(oracle: OracleKit, node: Node, api: httpx.Client, consumerd: ServiceThread) -> None:
    deal = ck.create_deal(node, consumerd.url)
    ck.deactivate(node, deal)
    inactive = (409, {"code": 6, "message": "cannot provide data to INACTIVE/COMPLETED deal"})
    deadline = time.monotonic() + 20  # verified reads are of the state before the newest block, cached ~1 s
    while (answer := error(_validate(api, deal, body(ck.request(oracle, deal)), auth(ck.PROVIDER)))) != inactive:
        # until the oracle reads the deactivation, the consumer service (reading the newest state) refuses
        assert answer == (502, {"code": 14, "message": "failed to add data to consumer service: request failed "
                                                       "with status code 409"}), answer
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_consumer_service_down(oracle: OracleKit, node: Node, api: httpx.Client) -> None:
    deal = ck.create_deal(node, f"http://127.0.0.1:{free_port()}")
    assert error(_validate(api, deal, body(ck.request(oracle, deal)), auth(ck.PROVIDER))) == (502, {
        "code": 14, "message": "failed to add data to consumer service: cannot connect to the endpoint (gave up "
                               "after 1 attempts)"})


def test_body_too_large(api: httpx.Client, deal_id: int) -> None:
    big = b"{" + b" " * BODY_LIMIT + b"}"
    too_large = (413, {"code": 8, "message": "request body too large"})
    assert error(api.post(f"/v0/data-deal/deals/{deal_id}/data", content=big)) == too_large
    assert error(api.post(f"/v0/data-deal/deals/{deal_id}/data", content=iter([big[:100], big[100:]]))) == too_large


@pytest.mark.parametrize(("path_id", "content", "message"), [
    ("1", b"{", "invalid JSON body"),
    ("1", b"[1]", "invalid request body: expected a JSON object"),
    ("1", b'{"encrypted_data": "***"}', "invalid request body: encrypted_data must be a base64 string"),
    ("1", b'{"encrypted_data": "abcde"}', "invalid request body: encrypted_data must be a base64 string"),
    ("1", b'{"provider_address": 7}', "invalid request body: provider_address must be a string"),
    ("1", b'{"data_hash": null}', "invalid request body: data_hash must be a string"),
    ("abc", b"{}", "invalid deal_id: must be an unsigned 64-bit integer"),
    ("18446744073709551616", b"{}", "invalid deal_id: must be an unsigned 64-bit integer"),
])
def test_bad_bodies(api: httpx.Client, path_id: str, content: bytes, message: str) -> None:
    assert error(api.post(f"/v0/data-deal/deals/{path_id}/data", content=content)) == (400, {"code": 3,
                                                                                           "message": message})


def test_hostile_bodies_never_500(api: httpx.Client) -> None:
    hostile = [b"[" * 100_000, b'{"a":' + b"1" * 5000 + b"}", b"\xff\xfe", b"null", b'"x"', b"1e999999",
               b'{"encrypted_data": "' + b"A" * 60000 + b'"}', b'{"provider_address": "\\ud800"}',
               b'{"encrypted_data": {"$ne": 1}}', b"{}" * 1000]
    for content in hostile:
        status, doc = error(api.post("/v0/data-deal/deals/1/data", content=content))
        assert 400 <= status < 500 and isinstance(doc, dict) and set(doc) == {"code", "message"}, content[:40]
    for query in ("deal_id=-1&data_hash=ab", "deal_id=1", "data_hash=ab", "deal_id=%00&data_hash=%00"):
        status, _ = error(api.get(f"/v0/data-deal/secret-key?{query}"))
        assert status == 400, query


def test_status_and_openapi(oracle: OracleKit, api: httpx.Client) -> None:
    identity = oracle.enclave.identity()
    status = api.get("/v0/status", headers={"Authorization": "Bearer garbage"}).json()
    assert status == {
        "oracle_account_address": ORACLE_ADDRESS, "api": {"enabled": True, "listen_addr": api.base_url.netloc.decode()},
        "grpc": {"listen_addr": ""},
        "enclave_info": {"product_id": base64.b64encode(identity.product_id).decode(),
                         "unique_id": identity.unique_id_hex},
        "chain": {"verification": "light-client", "description": status["chain"]["description"],
                  "trusted_height": status["chain"]["trusted_height"]},
        "follower": None,  # no event follower in this process (oracled start runs it)
        "oracle": {"registered": True, "active_unique_id": identity.unique_id_hex, "active": True,
                   "endpoint": "https://oracle.test"}}
    assert status["chain"]["description"].startswith("chain reads verified by a light client from trusted block 1 (")
    assert int(status["chain"]["trusted_height"]) >= 1
    assert api.get("/openapi.json").json() == OPENAPI
    assert error(api.get("/v0/nope")) == (404, {"code": 5, "message": "Not Found"})


def test_the_home_is_checked_before_serving(tmp_path: Path) -> None:
    from panacea.oracle.app import create_app
    from panacea.oracle.errors import OracleError

    with pytest.raises(OracleError) as info:
        create_app(tmp_path)
    assert info.value.message == f"no config.toml in {tmp_path}: run oracled init"


def test_chain_unreachable_is_503(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    gone = replace(oracle_config(oracle, node, free_port()), data_dir=str(tmp_path), panacea=replace(
        oracle.home.config.panacea, rpc_addr=f"tcp://127.0.0.1:{free_port()}",  # own store: the module's is open
        verification="trusted"))  # a verifying oracle does not start without its node (test_the_node_is_needed)
    with OracleThread(oracle.home.root, gone) as s, httpx.Client(base_url=s.url, timeout=30) as api:
        unreachable = {"code": 14, "message": "cannot query account pubkey. failed to query account: chain unreachable"}
        assert error(_validate(api, 1, body(ck.request(oracle, 1)), auth(ck.PROVIDER))) == (503, unreachable)
        assert error(api.get("/v0/data-deal/secret-key?deal_id=1&data_hash=ab", headers=auth(ck.CONSUMER))) == (
            503, unreachable)
        assert api.get("/v0/status").status_code == 200  # status reads no chain state


def test_requests_in_flight_and_write_timeout_are_bounded(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    import socket
    import threading

    from panacea.oracle.config import seconds

    with socket.socket() as silent:  # a consumer service that accepts and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        deal = ck.create_deal(node, f"http://127.0.0.1:{silent.getsockname()[1]}")
        config = replace(oracle_config(oracle, node, free_port(), max_connections=1, write_timeout=seconds(1)),
                         data_dir=str(tmp_path))
        root = oracle.home.trust_root()
        assert root is not None
        OracleHome(oracle.home.root, config).write_trust_root(*root)  # the trust root lives in the data dir
        with OracleThread(oracle.home.root, config) as s:
            first: list[tuple[int, object]] = []
            hanging = threading.Thread(target=lambda: first.append(error(httpx.post(
                f"{s.url}/v0/data-deal/deals/{deal}/data", json=body(ck.request(oracle, deal)),
                headers=auth(ck.PROVIDER), timeout=30))))
            hanging.start()
            deadline = time.monotonic() + 10
            busy = (503, {"code": 14, "message": "too many requests in progress. please retry later"})
            while True:  # the second request finds the first still in flight
                answer = error(httpx.post(f"{s.url}/v0/data-deal/deals/{deal}/data", json={}, timeout=30))
                if answer == busy or time.monotonic() > deadline or not hanging.is_alive():
                    break
            hanging.join(30)
            assert answer == busy
            assert first == [(503, {"code": 14, "message": "the request took too long. please retry later"})]

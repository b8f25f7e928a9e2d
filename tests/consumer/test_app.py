"""The consumer API served by uvicorn on a loopback port, against the real embedded node and real deals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from panacea.client import ChainClient
from tests.client.nodekit import Node, free_port, key
from tests.consumer.kit import (
    CONSUMER,
    ORACLE_SHARED_KEY,
    OTHER,
    STALE,
    ServiceThread,
    bearer,
    create_deal,
    deactivate_deal,
    oracle_token,
    service_config,
    token,
)

LIMIT = 4096
H1, H2 = "ab" * 32, "cd" * 32


@pytest.fixture(scope="module")
def service(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceThread]:
    home = tmp_path_factory.mktemp("consumerd")
    with ServiceThread(home, service_config(node.rpc, free_port(), max_upload_bytes=LIMIT)) as s:
        yield s


@pytest.fixture(scope="module")
def deal_id(chain: ChainClient) -> int:
    return create_deal(chain)


@pytest.fixture()
def http(service: ServiceThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=10) as c:
        yield c


def upload(http: httpx.Client, deal: int | str, data_hash: str, body: bytes, tok: str | None = None) -> httpx.Response:
    return http.post(f"/v0/deals/{deal}/data/{data_hash}", content=body, headers=bearer(tok or oracle_token()))


def error(resp: httpx.Response, status: int) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/json"
    body = resp.json()
    assert set(body) == {"code", "message"}
    return str(body["message"])


def test_upload_is_atomic_idempotent_and_conflicts(http: httpx.Client, service: ServiceThread, deal_id: int) -> None:
    r = upload(http, deal_id, H1.upper(), b"ciphertext-1")
    assert r.status_code == 200
    assert r.json() == {"deal_id": str(deal_id), "data_hash": H1, "size": "12", "created": True}
    stored = service.home / "data" / str(deal_id) / H1
    assert stored.read_bytes() == b"ciphertext-1"
    mtime = stored.stat().st_mtime_ns
    again = upload(http, deal_id, H1, b"ciphertext-1")
    assert again.json() == {"deal_id": str(deal_id), "data_hash": H1, "size": "12", "created": False}
    assert stored.stat().st_mtime_ns == mtime
    assert error(upload(http, deal_id, H1, b"other bytes"), 409) == "data already stored with different content"
    assert stored.read_bytes() == b"ciphertext-1"
    assert [p.name for p in stored.parent.iterdir()] == [H1]  # no temporary file left behind


def test_consumer_lists_pages_and_reads(http: httpx.Client, chain: ChainClient) -> None:
    deal = create_deal(chain)
    hashes = [f"{i:02x}" * 32 for i in (5, 1, 4, 2, 3)]
    for h in hashes:
        assert upload(http, deal, h, h.encode()).status_code == 200
    pages, after = [], ""
    while True:
        r = http.get(f"/v0/deals/{deal}/data", params={"limit": 2, **({"after": after} if after else {})},
                     headers=bearer(token(CONSUMER)))
        assert r.status_code == 200, r.text
        pages.append([d["data_hash"] for d in r.json()["data"]])
        after = r.json()["next_after"]
        if not after:
            break
    assert pages == [[f"{i:02x}" * 32 for i in (1, 2)], [f"{i:02x}" * 32 for i in (3, 4)], ["05" * 32]]
    whole = http.get(f"/v0/deals/{deal}/data", headers=bearer(token(CONSUMER))).json()
    assert whole["data"][0] == {"data_hash": "01" * 32, "size": "64"}
    got = http.get(f"/v0/deals/{deal}/data/{'03' * 32}", headers=bearer(token(CONSUMER)))
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, ("03" * 32).encode(),
                                                                           "application/octet-stream")
    missing = http.get(f"/v0/deals/{deal}/data/{'09' * 32}", headers=bearer(token(CONSUMER)))
    assert error(missing, 404) == "data not found"


def test_another_consumer_gets_the_404_of_a_missing_deal(http: httpx.Client, deal_id: int) -> None:
    upload(http, deal_id, H2, b"x")
    for path in (f"/v0/deals/{deal_id}/data", f"/v0/deals/{deal_id}/data/{H2}"):
        assert error(http.get(path, headers=bearer(token(OTHER))), 404) == f"deal {deal_id} not found"
    assert error(http.get("/v0/deals/999999/data", headers=bearer(token(CONSUMER))), 404) == "deal 999999 not found"


def test_upload_needs_an_active_existing_deal(http: httpx.Client, chain: ChainClient) -> None:
    assert error(upload(http, 999999, H1, b"x"), 404) == "deal 999999 not found"
    deal = create_deal(chain)
    deactivate_deal(chain, deal)
    assert error(upload(http, deal, H1, b"x"), 409) == "cannot store data for INACTIVE deal"


def test_oracle_key_auth_failures(http: httpx.Client, deal_id: int) -> None:
    url = f"/v0/deals/{deal_id}/data/{H1}"
    cases = {
        None: "missing authorization header",
        "Bearer": "invalid bearer token",
        "bea123er abc": "invalid bearer token",
        "Bearer a b": "invalid bearer token",
        "Bearer abcdef": "invalid jwt. token must have 3 dot-separated parts, got 1",
        "Bearer YQ.e30.e30": "invalid jwt. invalid header JSON",
        f"Bearer {token(CONSUMER)}": "jwt signature verification failed. failed to verify signature",
        f"Bearer {oracle_token(jti=None)}": "jwt signature verification failed. jti claim is required",
        f"Bearer {oracle_token(seconds=301)}": "jwt signature verification failed. token lifetime exceeds 300s",
        f"Bearer {oracle_token(seconds=1, now=1000)}": "jwt signature verification failed. token is expired",
        f"Bearer {oracle_token(audience='panacea1else')}": "jwt signature verification failed. aud not satisfied",
    }
    for header, message in cases.items():
        headers = {} if header is None else {"Authorization": header}
        assert error(http.post(url, content=b"x", headers=headers), 401) == message, header
    stored = f"/v0/deals/{deal_id}/data/{'ef' * 32}"  # other bytes already stored there: its own, not another test's
    assert http.post(stored, content=b"y", headers=bearer(token(ORACLE_SHARED_KEY, jti="j0"))).status_code == 200
    assert http.post(stored, content=b"x", headers=bearer(token(ORACLE_SHARED_KEY, jti="j1"))).status_code == 409
    assert error(http.post(stored, content=b"x", headers=bearer(token(ORACLE_SHARED_KEY, jti="j1"))), 401) == \
        "jwt replay rejected. jti already used"


def test_account_key_auth_failures(http: httpx.Client, deal_id: int) -> None:
    url = f"/v0/deals/{deal_id}/data"
    fresh = key("never-funded")
    cases = {
        f"Bearer {token(STALE)}": "cannot query account pubkey. no pubkey registered to the account yet",
        f"Bearer {token(fresh)}": f"cannot query account pubkey. failed to query account: account {fresh.bech32()} "
                                  "not found: not found",
        f"Bearer {token(ORACLE_SHARED_KEY, issuer=CONSUMER.bech32())}":
            "jwt signature verification failed. failed to verify signature",
        f"Bearer {token(CONSUMER, issuer='')}": "invalid bearer token. iss claim is missing",
        "Bearer x.y": "invalid bearer token. token must have 3 dot-separated parts, got 2",
    }
    for header, message in cases.items():
        assert error(http.get(url, headers={"Authorization": header}), 401) == message, header
    once = token(CONSUMER)
    assert http.get(url, headers=bearer(once)).status_code == 200
    assert error(http.get(url, headers=bearer(once)), 401) == "jwt replay rejected. jti already used"


def test_bad_paths_queries_and_bodies_never_500(http: httpx.Client, deal_id: int) -> None:
    assert error(upload(http, deal_id, "xyz", b"x"), 400) == "failed to decode dataHash"
    assert error(upload(http, deal_id, "abc", b"x"), 400) == "failed to decode dataHash"
    assert error(upload(http, deal_id, "ab" * 65, b"x"), 400) == "failed to decode dataHash"
    for deal in ("abc", "-1", "18446744073709551616", "١"):
        assert error(upload(http, deal, H1, b"x"), 400) == "failed to parse deal ID"
    assert error(upload(http, deal_id, "ef" * 32, b""), 400) == "request body is empty"
    assert error(upload(http, deal_id, "ef" * 32, b"z" * (LIMIT + 1)), 413) == "request body too large"
    chunked = http.post(f"/v0/deals/{deal_id}/data/{'ef' * 32}", headers=bearer(oracle_token()),
                        content=iter([b"z" * 1024] * 5))
    assert error(chunked, 413) == "request body too large"
    listing = f"/v0/deals/{deal_id}/data"
    for params, message in (({"limit": "0"}, "limit must be an integer from 1 to 1000"),
                            ({"limit": "1e3"}, "limit must be an integer from 1 to 1000"),
                            ({"after": "zz"}, "after must be a data hash (hex)")):
        assert error(http.get(listing, params=params, headers=bearer(token(CONSUMER))), 400) == message
    assert error(http.get("/v0/nothing"), 404) == "Not Found"
    assert error(http.delete(f"/v0/deals/{deal_id}/data/{H1}"), 405) == "Method Not Allowed"
    weird = http.post(f"/v0/deals/{deal_id}/data/{H1}", content=b"x",
                      headers={"Authorization": "Bearer éé.é.é".encode()})
    assert weird.status_code == 401


def test_openapi_document(http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    assert sorted(doc["paths"]) == ["/v0/deals/{deal_id}/data", "/v0/deals/{deal_id}/data/{data_hash}"]
    assert sorted(doc["paths"]["/v0/deals/{deal_id}/data/{data_hash}"]) == ["get", "post"]


def test_legacy_profile_accepts_reference_tokens(node: Node, deal_id: int, tmp_path: Path) -> None:
    config = service_config(node.rpc, free_port(), jwt_legacy=True)
    with ServiceThread(tmp_path, config) as s, httpx.Client(base_url=s.url) as http:
        reference = token(ORACLE_SHARED_KEY, jti=None, seconds=3600)  # the test token of §7: no iss, no jti
        for _ in range(2):
            assert upload(http, deal_id, "0e" * 32, b"legacy", reference).status_code == 200


def test_chain_unreachable_is_503(tmp_path: Path, deal_id: int) -> None:
    config = service_config(f"tcp://127.0.0.1:{free_port()}", free_port(), chain_timeout_seconds=2.0)
    with ServiceThread(tmp_path, config) as s, httpx.Client(base_url=s.url) as http:
        assert error(upload(http, deal_id, H1, b"x"), 503) == "cannot query oracle pubkey. chain unreachable"
        assert error(http.get("/v0/deals/1/data", headers=bearer(token(CONSUMER))), 503) == \
            "cannot query account pubkey. failed to query account: chain unreachable"

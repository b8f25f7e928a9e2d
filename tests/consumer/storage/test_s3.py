"""The S3 backend against a real S3-compatible server (MinIO on loopback), and the consumer API on top of it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from panacea.client import ChainClient
from panacea.consumer.storage import StorageError
from panacea.consumer.storage.s3 import S3Settings, S3Storage
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import CONSUMER, ServiceThread, bearer, create_deal, oracle_token, service_config, token
from tests.consumer.s3kit import ACCESS_KEY, BUCKET, SECRET_KEY, S3Server, start_s3
from tests.consumer.storage.checks import H, backend_contract


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = start_s3(tmp_path_factory.mktemp("s3"))
    yield server
    server.stop()


def settings(s3: S3Server, prefix: str) -> S3Settings:
    return S3Settings(BUCKET, s3.endpoint, ACCESS_KEY, SECRET_KEY, prefix=prefix, timeout_seconds=5)


def test_backend_contract(s3: S3Server) -> None:
    asyncio.run(backend_contract(S3Storage(settings(s3, "unit/"))))
    assert (s3.data / BUCKET / "unit" / "1" / H).exists()


def test_wrong_credentials_are_a_storage_error(s3: S3Server) -> None:
    store = S3Storage(replace(settings(s3, "x/"), secret_access_key="wrong"))
    with pytest.raises(StorageError, match=r"^cannot read object: "):
        asyncio.run(store.get(1, H))


def test_consumer_api_on_s3(node: Node, chain: ChainClient, s3: S3Server, tmp_path: Path) -> None:
    deal = create_deal(chain)
    config = service_config(node.rpc, free_port(), backend="s3", s3_bucket=BUCKET, s3_endpoint=s3.endpoint,
                            s3_prefix="api/", s3_access_key_id=ACCESS_KEY, s3_secret_access_key=SECRET_KEY)
    with ServiceThread(tmp_path, config) as service, httpx.Client(base_url=service.url) as http:
        url = f"/v0/deals/{deal}/data/{H}"
        assert http.post(url, content=b"cipher", headers=bearer(oracle_token())).json()["created"] is True
        assert http.post(url, content=b"cipher", headers=bearer(oracle_token())).json()["created"] is False
        assert http.post(url, content=b"other", headers=bearer(oracle_token())).status_code == 409
        assert http.get(url, headers=bearer(token(CONSUMER))).content == b"cipher"
        listing = http.get(f"/v0/deals/{deal}/data", headers=bearer(token(CONSUMER))).json()
        assert listing == {"deal_id": str(deal), "data": [{"data_hash": H, "size": "6"}], "next_after": ""}
    assert not (tmp_path / "data").exists()

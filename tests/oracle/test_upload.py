"""The consumer-service upload: URL, token, retries within the deadline, permanent failures at once."""

from __future__ import annotations

import asyncio
import hashlib

from panacea.crypto.keys import PrivateKey
from panacea.oracle.enclave import EnclaveKey
from panacea.oracle.errors import OracleError
from panacea.oracle.ssrf import AddressPolicy, GuardedHttp
from panacea.oracle.upload import ConsumerUploader, upload_url
from tests.oracle.kit import ConsumerService, consumer_service

KEY = EnclaveKey(PrivateKey(hashlib.sha256(b"oracle").digest()))


def test_upload_url_ignores_a_trailing_slash() -> None:
    assert upload_url("http://c.test/", 7, "ab") == upload_url("http://c.test", 7, "ab") == \
        "http://c.test/v0/deals/7/data/ab"


def _upload(service: ConsumerService, deadline: float) -> str:
    sleeps: list[float] = []

    async def sleep(s: float) -> None:
        sleeps.append(s)

    async def go() -> str:
        http = GuardedHttp(AddressPolicy(["127.0.0.1/32"]))
        uploader = ConsumerUploader(http, KEY, "panacea1oracle", timeout=5, deadline=deadline, sleep=sleep)
        try:
            await uploader.upload(service.url + "/", 3, "abcd", b"cipher")
            return f"ok {sleeps}"
        except OracleError as e:
            return f"{e.status} {e.message}"
        finally:
            await http.close()

    return asyncio.run(go())


def test_retries_with_backoff_then_succeeds() -> None:
    with consumer_service(KEY.public_key) as service:
        service.fail_next = 3
        assert _upload(service, 60.0) == "ok [0.1, 0.2, 0.4]"
        assert service.objects == {("3", "abcd"): b"cipher"} and service.issuers == ["panacea1oracle"]


def test_permanent_failures_are_not_retried() -> None:
    with consumer_service(KEY.public_key) as service:
        service.status = 401
        assert _upload(service, 60.0) == \
            "502 failed to add data to consumer service: request failed with status code 401"
        service.status = 302
        assert _upload(service, 60.0) == ("502 failed to add data to consumer service: the endpoint answered with a "
                                          "redirect, which is not followed")

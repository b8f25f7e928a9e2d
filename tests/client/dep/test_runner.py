"""The SDK's service calls against a real loopback server: a busy or rate-limited service is asked again with
backoff (a bounded number of times), other failures are not (their token may be spent)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from panacea.client import ChainClient
from panacea.client.dep.errors import ServiceError
from panacea.client.dep.runner import BUSY_RETRIES, SyncServices, call_service
from panacea.client.services.oracle import STATUS_CALL, OracleStatus, parse_status
from tests.client.nodekit import free_port

BUSY = (503, "too many requests in progress. please retry later")
LIMITED = (429, "failed with timeout while waiting for rate limiting. please retry later.")
DOWN = (503, "cannot query account pubkey. failed to query account: chain unreachable")
STATUS = {"oracle_account_address": "panacea1x", "api": {"enabled": True, "listen_addr": "127.0.0.1:1"},
          "grpc": {"listen_addr": ""}, "enclave_info": {"product_id": "AQ==", "unique_id": "ab"}}


class Script:
    """Answers the scripted failures in order, then the status."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, str]] = []
        self.requests = 0

    async def status(self, _request: Request) -> Response:
        self.requests += 1
        if self.answers:
            code, message = self.answers.pop(0)
            return JSONResponse({"code": 14, "message": message}, code)
        return JSONResponse(STATUS)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Script]]:
    script = Script()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/v0/status", script.status)]), host="127.0.0.1",
                                        port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", script
    srv.should_exit = True
    thread.join(10)


def _ask(url: str) -> OracleStatus:
    with ChainClient("tcp://127.0.0.1:1") as chain, SyncServices(chain, None) as services:
        return services.run_plan(call_service("status", "oracle", url, STATUS_CALL, parse_status))


def test_busy_and_rate_limited_answers_are_retried(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers, script.requests = [BUSY, LIMITED, BUSY], 0
    assert _ask(url).oracle_account_address == "panacea1x"
    assert script.requests == 4


def test_retries_are_bounded(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers, script.requests = [BUSY] * (BUSY_RETRIES + 1), 0
    with pytest.raises(ServiceError) as info:
        _ask(url)
    assert (str(info.value), info.value.status) == ("status: too many requests in progress. please retry later", 503)
    assert script.requests == BUSY_RETRIES + 1


def test_other_failures_are_not_retried(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers, script.requests = [DOWN], 0
    with pytest.raises(ServiceError) as info:
        _ask(url)
    assert info.value.status == 503 and script.requests == 1

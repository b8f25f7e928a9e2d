"""The one error mapping: ServiceError, HTTP errors and unexpected exceptions as JSON; body and JSON bounds."""

from __future__ import annotations

import logging

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from panacea.service.errors import ServiceError, read_json
from panacea.service.http import build_app, worker_count


async def boom(request: Request) -> Response:
    raise RuntimeError("key material " + request.query_params["k"])


async def refused(_request: Request) -> Response:
    raise ServiceError(403, "only consumer request secret key")


async def echo(request: Request) -> Response:
    return JSONResponse({"got": await read_json(request, 64)})


@pytest.fixture()
def client() -> TestClient:
    app = build_app([Route("/boom", boom), Route("/refused", refused), Route("/echo", echo, methods=["POST"])])
    return TestClient(app, raise_server_exceptions=False)


def test_unexpected_exception_is_a_generic_500_logged_without_its_message(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="panacea.service"):
        r = client.get("/boom", params={"k": "0xdeadbeef"})
    assert (r.status_code, r.json()) == (500, {"code": 13, "message": "internal error"})
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith("unhandled RuntimeError on GET /boom\n")
    assert "0xdeadbeef" not in caplog.text


def test_service_and_http_errors(client: TestClient) -> None:
    assert (client.get("/refused").status_code, client.get("/refused").json()) == (
        403, {"code": 7, "message": "only consumer request secret key"})
    assert client.get("/nope").json() == {"code": 5, "message": "Not Found"}
    r = client.get("/echo")
    assert (r.status_code, r.json()) == (405, {"code": 12, "message": "Method Not Allowed"})


def test_read_json_bounds(client: TestClient) -> None:
    assert client.post("/echo", content=b'{"a": [1, 2]}').json() == {"got": {"a": [1, 2]}}
    cases = [
        (b"x" * 65, 413, "request body too large"),
        (b"[" * 30 + b"]" * 30, 200, None),
        (b"{", 400, "invalid JSON body"),
        (b"\xff", 400, "invalid JSON body"),
    ]
    for body, status, message in cases:
        r = client.post("/echo", content=body)
        assert r.status_code == status, body
        if message:
            assert r.json() == {"code": 3 if status == 400 else 8, "message": message}
    r = client.post("/echo", content=b"1" * 20, headers={"content-length": "99999999999999999999999"})
    assert r.json() == {"code": 3, "message": "invalid content-length header"}


def test_json_depth_and_number_limits() -> None:
    app = build_app([Route("/echo", _echo_big, methods=["POST"])])
    client = TestClient(app)
    deep = client.post("/echo", content=b"[" * 101 + b"]" * 101)
    assert deep.json() == {"code": 3, "message": "invalid JSON body: JSON nested deeper than 100 levels"}
    long = client.post("/echo", content=b"1" * 101)
    assert long.json() == {"code": 3, "message": "invalid JSON body: JSON number longer than 100 digits"}


async def _echo_big(request: Request) -> Response:
    return JSONResponse({"got": await read_json(request, 1 << 20)})


def test_worker_count() -> None:
    assert worker_count(3) == 3
    assert worker_count(0) >= 1


async def slow_echo(request: Request) -> Response:
    return JSONResponse({"got": await read_json(request, 64, timeout=0.3)})


def test_a_trickled_body_is_a_408_on_a_real_server() -> None:
    import socket
    import threading
    import time

    import uvicorn

    from tests.client.nodekit import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app([Route("/slow", slow_echo, methods=["POST"])]), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n[1")  # 8 bytes never come
            answer = b""
            while b"}" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        head, _, payload = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 ")
        assert payload == b'{"code":4,"message":"request body not received in time"}'
    finally:
        server.should_exit = True
        thread.join(10)

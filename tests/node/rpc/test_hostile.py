"""A few hundred hostile JSON-RPC requests (HTTP POST, GET URIs, websocket frames): never an HTTP 500, never a
traceback in the log, and the node still commits a tx afterwards (issue 10)."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from panacea.node.rpc.handlers import HANDLERS, WS_ONLY
from tests.node.kit import USERS, LogWatch, Node, hostile_bodies, hostile_values, make_home, send_tx


@pytest.fixture()
def node(tmp_path: Path) -> Iterator[Node]:
    with Node(make_home(tmp_path / "node")) as n:
        yield n


def _commits_a_tx(node: Node) -> None:
    tx = send_tx(USERS[0], USERS[1], 1, *node.account(USERS[0]))
    result = node.call("broadcast_tx_commit", tx=base64.b64encode(tx).decode())
    assert result["check_tx"].get("code", 0) == 0 and result["tx_result"].get("code", 0) == 0
    assert int(result["height"]) > 0


def test_hostile_http_requests(node: Node, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    watch = LogWatch(caplog, capfd)
    sent = 0
    methods = [m for m in HANDLERS if m != "broadcast_tx_commit"] + ["no_such_method", "", "a" * 1000]
    for method, value in itertools.product(methods, hostile_values()[:14]):
        names = HANDLERS.get(method, (None, ("height",)))[1] or ("height",)
        params = {names[0]: value} if sent % 3 else [value]
        r = node.client.post("/", json={"jsonrpc": "2.0", "id": sent, "method": method, "params": params})
        assert r.status_code in (200, 400), (method, value, r.status_code, r.text[:300])
        assert "error" in r.json() or "result" in r.json()
        if method:
            uri = node.client.get(f"/{method}", params={names[0]: json.dumps(value)[:1000]})
            assert uri.status_code in (200, 404), (method, value, uri.status_code)
        sent += 1
    for body in hostile_bodies():
        r = node.client.post("/", content=body)
        assert r.status_code in (200, 400), (body[:80], r.status_code, r.text[:300])
        sent += 1
    assert sent > 300
    _commits_a_tx(node)
    watch.assert_clean()


def test_hostile_websocket_frames(node: Node, caplog: pytest.LogCaptureFixture,
                                  capfd: pytest.CaptureFixture[str]) -> None:
    watch = LogWatch(caplog, capfd)
    url = node.url.replace("http://", "ws://") + "/websocket"
    with connect(url, max_size=None) as ws:
        frames = [body.decode("utf-8", "replace") for body in hostile_bodies()]
        frames += [json.dumps({"jsonrpc": "2.0", "id": i, "method": m, "params": {"query": v}})
                   for i, (m, v) in enumerate(itertools.product([*WS_ONLY, "status", "nope"], hostile_values()))]
        for frame in frames:
            ws.send(frame)
        ws.send(json.dumps({"jsonrpc": "2.0", "id": "last", "method": "health"}))
        answers = []
        while not answers or answers[-1].get("id") != "last":
            answers.append(json.loads(ws.recv(timeout=10)))
        assert all("error" in a or "result" in a for a in answers)
    for binary in (b"\x00", b"\xff" * 1000, b'{"jsonrpc":"2.0","id":1,"method":"health"}'):
        with connect(url) as ws:
            ws.send(binary)
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003
    assert len(frames) > 150
    caplog.clear()  # the three refused binary frames logged one warning each, by design
    _commits_a_tx(node)
    r = httpx.get(node.url + "/health", timeout=10)
    assert r.json()["result"] == {}
    watch.assert_clean()

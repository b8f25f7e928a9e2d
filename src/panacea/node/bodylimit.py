"""The one bound on HTTP request bodies of a node's JSON-RPC and REST servers (CometBFT's ``[rpc]
max_body_bytes``, 1,000,000 there): a larger body is answered 413 before it is parsed or handled.

The default admits the largest tx the mempool accepts (the genesis block ``max_bytes``), base64-encoded
as a broadcast carries it, plus room for the JSON envelope; ``[rpc] max-body-bytes`` in app.toml sets it
(decisions.md, Node).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ENVELOPE_BYTES = 64 * 1024  # JSON-RPC / REST framing around the base64 tx, with room to spare
MAX_TX_BYTES = 100 * 1024 * 1024  # CometBFT's MaxBlockSizeBytes: no tx is larger


def default_max_body_bytes(max_tx_bytes: int) -> int:
    """The base64 length of the largest tx plus the envelope (``max_tx_bytes`` <= 0: CometBFT's ceiling)."""
    size = max_tx_bytes if 0 < max_tx_bytes <= MAX_TX_BYTES else MAX_TX_BYTES
    return 4 * ((size + 2) // 3) + ENVELOPE_BYTES


def too_large(limit: int) -> str:
    return f"request body too large: the limit is {limit} bytes ([rpc] max-body-bytes in app.toml)"


class BodyLimit:
    """ASGI wrapper: reads an HTTP body up to ``limit`` bytes, then hands it on; answers ``reject`` beyond."""

    def __init__(self, app: ASGIApp, limit: int, reject: Callable[[str], ASGIApp]) -> None:
        self.app, self.limit, self.reject = app, limit, reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self.reject(too_large(self.limit))(scope, receive, send)
            return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.limit:
                await self.reject(too_large(self.limit))(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # only a disconnect can follow
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay

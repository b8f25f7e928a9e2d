"""The one interface the REST API and other in-node consumers use to reach "the node", whichever engine.

Results are exactly CometBFT 0.38 JSON-RPC ``result`` objects (spec/cometbft.md §4): the embedded engine
produces them in-process (``LocalRpc``), a real CometBFT returns them over HTTP (``HttpRpc``).
"""

from __future__ import annotations

from typing import Any, Protocol


class RpcError(Exception):
    """A JSON-RPC error object: ``code``, ``message``, ``data`` (CometBFT puts the detail in data)."""

    def __init__(self, code: int, message: str, data: str = "") -> None:
        super().__init__(f"{message}: {data}" if data else message)
        self.code = code
        self.message = message
        self.data = data


class Rpc(Protocol):
    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run a CometBFT JSON-RPC method (``status``, ``abci_query``, ``broadcast_tx_sync``, ``tx``,
        ``tx_search``, ``block``, ``block_results``, ``commit``, ``validators``, ``genesis``, …) with
        JSON-RPC params as CometBFT takes them (``{"tx": "<base64>"}``, ``{"path": "...", "data": "<hex>"}``,
        ``{"hash": "<hex>"}``, ``{"height": "5"}``) and return its ``result``; raises RpcError."""
        ...

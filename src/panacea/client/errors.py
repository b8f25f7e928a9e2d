"""What the chain client raises: small structured exceptions, each with a one-line message (as cosmpy's)."""

from __future__ import annotations


class ChainClientError(Exception):
    """Anything the chain client could not do; the message is one line."""


class NodeUnreachableError(ChainClientError):
    """No HTTP answer from the node (refused, timeout, not JSON)."""


class RpcCallError(ChainClientError):
    """The node answered with a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: str = "") -> None:
        super().__init__(f"{message}: {data}" if data else message)
        self.code = code
        self.message = message
        self.data = data


class QueryError(ChainClientError):
    """An ABCI query returned a non-zero code; ``log`` is the chain's text of the error, ``raw_log`` the ABCI log
    as the node sent it (the SDK's ``rpc error: code = … desc = …`` form)."""

    def __init__(self, path: str, code: int, codespace: str, log: str, raw_log: str = "") -> None:
        super().__init__(log or f"query {path} failed with code {code} ({codespace})")
        self.path = path
        self.code = code
        self.codespace = codespace
        self.log = log
        self.raw_log = raw_log or log


class NotFoundError(QueryError):
    """The queried object (account, deal, oracle, proposal…) does not exist."""


class SimulationError(ChainClientError):
    """Simulating a tx for gas failed; the tx would fail the same way."""

    def __init__(self, code: int, codespace: str, log: str) -> None:
        super().__init__(log)
        self.code = code
        self.codespace = codespace
        self.log = log


class BroadcastError(ChainClientError):
    """CheckTx rejected the tx; it is not in the mempool."""

    def __init__(self, tx_hash: str, code: int, log: str, codespace: str = "") -> None:
        super().__init__(log or f"tx {tx_hash} rejected with code {code}")
        self.tx_hash = tx_hash
        self.code = code
        self.log = log
        self.codespace = codespace


class TxTimeoutError(ChainClientError):
    """The tx was accepted but no block included it in time; its outcome is unknown."""

    def __init__(self, tx_hash: str, timeout: float) -> None:
        super().__init__(f"tx {tx_hash} was not included in a block within {timeout:g}s")
        self.tx_hash = tx_hash
        self.timeout = timeout

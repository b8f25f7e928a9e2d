"""The one chain read the crypto helpers need: the oracle public key from ``panacea.oracle.v2`` params."""

from __future__ import annotations

from panacea.client.errors import ChainClientError, NodeUnreachableError
from panacea.client.rpc import rpc_url

# Kept for importers of the old name; every chain client failure is one of these.
ChainQueryError = ChainClientError

__all__ = ["ChainQueryError", "query_oracle_public_key", "rpc_url"]


def query_oracle_public_key(node: str) -> str:
    from panacea.client.sync import ChainClient

    with ChainClient(node, timeout=5.0) as client:
        try:
            params = client.oracle_params()
        except NodeUnreachableError as e:
            raise NodeUnreachableError(f"{e} (pass --oracle-pubkey to work offline)") from None
    if not params.oracle_public_key:
        raise ChainQueryError("the chain has no oracle public key set yet (oracle params are empty)")
    return str(params.oracle_public_key)

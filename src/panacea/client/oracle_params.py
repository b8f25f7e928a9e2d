"""The one chain read the crypto helpers need: the oracle public key from ``panacea.oracle.v2`` params."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request


class ChainQueryError(Exception):
    """A query to a node failed; the message is one line."""


def rpc_url(node: str) -> str:
    """CometBFT writes RPC addresses as tcp://host:port; HTTP clients need http://."""
    if node.startswith("tcp://"):
        return "http://" + node[len("tcp://") :]
    if not node.startswith(("http://", "https://")):
        return "http://" + node
    return node


def abci_query(node: str, path: str, data: bytes, timeout: float = 5.0) -> bytes:
    """Run an ABCI query over CometBFT JSON-RPC (both engines serve it) and return the value bytes."""
    url = (
        rpc_url(node).rstrip("/")
        + "/abci_query?"
        + urllib.parse.urlencode({"path": json.dumps(path), "data": "0x" + data.hex()})
    )
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = json.loads(resp.read())
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ChainQueryError(f"cannot reach node {node}: {reason} (pass --oracle-pubkey to work offline)") from None
    except ValueError:
        raise ChainQueryError(f"node {node} answered with invalid JSON") from None
    if "error" in body:
        raise ChainQueryError(f"node {node}: {body['error'].get('data') or body['error'].get('message')}")
    response = body["result"]["response"]
    if int(response.get("code", 0)) != 0:
        raise ChainQueryError(f"query {path} failed: {response.get('log', '')}")
    return base64.b64decode(response.get("value") or "")


def query_oracle_public_key(node: str) -> str:
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    request = query_pb2.QueryOracleParamsRequest().SerializeToString()
    raw = abci_query(node, "/panacea.oracle.v2.Query/Params", request)
    resp = query_pb2.QueryParamsResponse.FromString(raw)
    if not resp.params.oracle_public_key:
        raise ChainQueryError("the chain has no oracle public key set yet (oracle params are empty)")
    return resp.params.oracle_public_key

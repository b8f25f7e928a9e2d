"""Queries of ``panacea.did.v2`` (the one place their paths are spelled in the client; did-reference §6)."""

from __future__ import annotations

import base64

from panacea.client.queries.base import Query
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.did.v2 import query_pb2 as q

_Q = "/panacea.did.v2.Query/"


def did(did: str) -> Query[q.QueryDIDResponse, did_pb2.DIDDocumentWithSeq]:
    """The document of ``did`` and its sequence; the chain answers NotFound for a missing or deactivated DID."""
    request = q.QueryDIDRequest(did_base64=base64.b64encode(did.encode()).decode())
    return Query(_Q + "DID", request, q.QueryDIDResponse, lambda r: r.did_document_with_seq)

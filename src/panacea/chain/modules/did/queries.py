"""``panacea.did.v2.Query`` (did-reference §6): one lookup by the base64 of the DID, no syntax check.

The handler answers as the reference's gRPC server; baseapp's ABCI form wraps a NotFound status in
``ErrKeyNotFound`` and an InvalidArgument one in ``ErrInvalidRequest`` (``DID not found: key not found``).
"""

from __future__ import annotations

import base64
import binascii
from typing import Final

from panacea.chain.context import Context
from panacea.chain.errors import ErrInvalidRequest, ErrKeyNotFound
from panacea.chain.module import Queries, QueryRoute
from panacea.chain.modules.did.keeper import DIDKeeper, is_deactivated, is_empty
from panacea.chain.modules.did.keys import DID_PREFIX
from panacea.types.pb.panacea.did.v2 import query_pb2

PATH: Final = "/panacea.did.v2.Query/"


def decode_did_base64(text: str) -> bytes:
    """Go's ``base64.StdEncoding.DecodeString``: padding required, ``\\r`` and ``\\n`` skipped anywhere."""
    try:
        return base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        raise ErrInvalidRequest.wrap("invalid did_base64") from None


class DIDQueries(Queries[DIDKeeper]):
    def routes(self) -> list[QueryRoute]:
        return [QueryRoute(PATH + "DID", query_pb2.QueryDIDRequest, self.did)]

    def did(self, ctx: Context, req: query_pb2.QueryDIDRequest) -> query_pb2.QueryDIDResponse:
        record = self.keeper.get_by_key(ctx, DID_PREFIX + decode_did_base64(req.did_base64))
        if is_empty(record):
            raise ErrKeyNotFound.wrap("DID not found")
        if is_deactivated(record):
            raise ErrKeyNotFound.wrap("DID deactivated")
        return query_pb2.QueryDIDResponse(did_document_with_seq=record)

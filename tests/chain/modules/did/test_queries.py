"""did-reference §6: ``/panacea.did.v2.Query/DID`` (grpc_query_did_test), its error forms, over ABCI too."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from panacea.chain.modules.did.keeper import tombstone
from panacea.chain.modules.did.queries import DIDQueries, decode_did_base64
from panacea.types.pb.panacea.did.v2 import did_pb2, query_pb2
from tests.chain.kit import Chain

from .conftest import DID, Env, document, error_of, reference_document
from .vectors import VECTOR_DID, VECTOR_DID_BASE64


def b64(did: str) -> str:
    return base64.b64encode(did.encode()).decode()


def ask(env: Env, text: str) -> query_pb2.QueryDIDResponse:
    return DIDQueries(env.keeper).did(env.ctx, query_pb2.QueryDIDRequest(did_base64=text))


def test_query_returns_the_stored_record(env: Env) -> None:
    record = did_pb2.DIDDocumentWithSeq(document=reference_document(DID, env.owner), sequence=7)
    env.keeper.set(env.ctx, DID, record)
    assert ask(env, b64(DID)).did_document_with_seq == record
    assert b64(VECTOR_DID) == VECTOR_DID_BASE64


def test_query_errors(env: Env) -> None:
    e = error_of(ask, env, b64(DID))
    assert (e.codespace, e.code, e.log) == ("sdk", 22, "DID not found: key not found")
    env.keeper.set(env.ctx, DID, tombstone(3))
    e = error_of(ask, env, b64(DID))
    assert (e.codespace, e.code, e.log) == ("sdk", 22, "DID deactivated: key not found")
    for bad in ("!!!!", b64(DID).rstrip("="), "ZGlk=ZGlk"):
        e = error_of(ask, env, bad)
        assert (e.codespace, e.code, e.log) == ("sdk", 18, "invalid did_base64: invalid request")


def test_an_empty_id_record_at_sequence_zero_reads_as_not_found(env: Env) -> None:
    env.keeper.set(env.ctx, DID, did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(), sequence=0))
    assert error_of(ask, env, b64(DID)).log == "DID not found: key not found"


def test_no_syntax_check_and_go_base64(env: Env) -> None:
    odd = "not a did"
    env.keeper.set(env.ctx, odd, did_pb2.DIDDocumentWithSeq(document=document(DID, env.owner)))
    assert ask(env, b64(odd)).did_document_with_seq.document.id == DID
    text = b64(odd)
    assert ask(env, text[:4] + "\r\n" + text[4:] + "\n").did_document_with_seq.sequence == 0  # Go skips \r and \n
    assert decode_did_base64("") == b""


def test_over_abci(tmp_path: Path) -> None:
    chain = Chain(tmp_path / "node")
    try:
        path = "/panacea.did.v2.Query/DID"
        result = chain.app.query(path, query_pb2.QueryDIDRequest(did_base64=b64(DID)).SerializeToString())
        assert (result.code, result.codespace, result.log) == (
            22, "sdk", "rpc error: code = NotFound desc = DID not found: key not found")
        result = chain.app.query(path, query_pb2.QueryDIDRequest(did_base64="@").SerializeToString())
        assert (result.code, result.codespace) == (18, "sdk")
        assert result.log.startswith("rpc error: code = InvalidArgument desc = invalid did_base64")
    finally:
        chain.store.close()


@pytest.mark.parametrize("did", [DID, VECTOR_DID])
def test_valid_dids_never_need_url_escaping(did: str) -> None:
    assert "+" not in b64(did) and "/" not in b64(did)

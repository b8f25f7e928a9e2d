"""did-reference §5 and §8 "genesis" (genesis_test, genesis_keys_test): default, validate, init, export (JSON A)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from panacea.chain.app import App
from panacea.chain.modules.did import genesis
from panacea.chain.modules.did.keeper import tombstone
from panacea.chain.modules.did.validation import document_text
from panacea.chain.store import Store
from panacea.types import did_json
from panacea.types.pb.panacea.did.v2 import did_pb2

from .conftest import DID, DID2, Env, create_msg, deactivate_msg, document, error_of, key, reference_document


def test_default_has_no_documents() -> None:
    assert genesis.default_genesis() == {"documents": {}}
    genesis.validate_genesis(genesis.default_genesis())


def test_export_validate_and_init_round_trip(env: Env) -> None:
    k2 = key("did2")
    env.keeper.create_did(env.ctx, create_msg(DID, env.owner, reference_document(DID, env.owner)))
    env.keeper.create_did(env.ctx, create_msg(DID2, k2))
    env.keeper.deactivate_did(env.ctx, deactivate_msg(DID2, k2, 0))
    exported = genesis.export_genesis(env.ctx, env.keeper)
    assert list(exported["documents"]) == sorted([DID, DID2])
    assert exported["documents"][DID2] == did_json.with_seq_to_json(tombstone(1))
    assert exported["documents"][DID] == did_json.with_seq_to_json(
        did_pb2.DIDDocumentWithSeq(document=reference_document(DID, env.owner), sequence=0))
    genesis.validate_genesis(exported)  # tombstones pass (their id is empty), duplicate ids too (reference rules)
    other = Env(env.keeper)
    genesis.init_genesis(other.ctx, other.keeper, json.loads(json.dumps(exported)))
    assert other.keeper.get(other.ctx, DID) == env.keeper.get(env.ctx, DID)
    assert other.keeper.get(other.ctx, DID2) == tombstone(1)
    assert genesis.export_genesis(other.ctx, other.keeper) == exported


def _state(did: str, record: Any) -> dict[str, Any]:
    return {"documents": {did: record}}


def test_validate_errors() -> None:
    good = did_json.with_seq_to_json(did_pb2.DIDDocumentWithSeq(document=document(DID, key("k"))))
    e = error_of(genesis.validate_genesis, _state("invalid_did", good))
    assert (e.codespace, e.code, e.log) == ("did", 3, "DID: invalid_did: Invalid DID")
    bad = did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(id="invalid_did"), sequence=4)
    e = error_of(genesis.validate_genesis, _state(DID, did_json.with_seq_to_json(bad)))
    assert (e.code, e.log) == (
        12, f"DIDDocumentWithSeq: document:<{document_text(bad.document)}> sequence:4 : Invalid DIDDocumentWithSeq")


@pytest.mark.parametrize("record", [{"document": None, "sequence": "1"}, {"sequence": "0"}, {}])
def test_an_absent_document_is_an_error_never_a_panic(record: dict[str, Any]) -> None:
    e = error_of(genesis.validate_genesis, _state(DID, record))
    assert (e.codespace, e.code) == ("did", 12)
    assert e.log.endswith(": Invalid DIDDocumentWithSeq")


def test_validation_is_the_reference_s_key_and_sequence_are_not_checked() -> None:
    """REF-10: neither key == id nor the sequence; an empty-id record at seq 0 passes too."""
    mismatch = did_pb2.DIDDocumentWithSeq(document=document(DID2, key("k")), sequence=99)
    genesis.validate_genesis(_state(DID, did_json.with_seq_to_json(mismatch)))
    genesis.validate_genesis(_state(DID, {"document": {}, "sequence": "0"}))


def test_init_does_not_validate(env: Env) -> None:
    genesis.init_genesis(env.ctx, env.keeper, _state("did1:not:valid", {"document": {"id": "x"}, "sequence": "3"}))
    assert env.keeper.list_dids(env.ctx) == ["did1:not:valid"]
    assert env.keeper.get(env.ctx, "did1:not:valid").sequence == 3


@pytest.mark.parametrize(("state", "message"), [
    ({"docs": {}}, 'failed to unmarshal did genesis state: unknown field "docs"'),
    ({"documents": []}, "failed to unmarshal did genesis state: documents: expected a JSON object"),
    ({"documents": {DID: {"document": {"x": 1}}}},
     f'failed to unmarshal did genesis state: documents[{DID}].document: unknown field "x"'),
    ({"documents": {DID: {"sequence": "a"}}},
     f"failed to unmarshal did genesis state: documents[{DID}].sequence: expected an unsigned integer, got 'a'"),
])
def test_bad_genesis_json(state: dict[str, Any], message: str) -> None:
    e = error_of(genesis.validate_genesis, state)
    assert (e.codespace, e.code, e.log) == ("undefined", 1, message)


def test_json_input_forms_are_accepted() -> None:
    """Genesis reads JSON input (§1.1): W3C keys, a bare @context, camelCase embedded methods."""
    doc = {"@context": "https://www.w3.org/ns/did/v1", "id": DID,
           "verificationMethod": [{"id": f"{DID}#key1", "type": "T", "controller": DID, "publicKeyBase58": "abc"}],
           "authentication": [f"{DID}#key1"]}
    genesis.validate_genesis(_state(DID, {"document": doc, "sequence": 2}))


def test_through_the_app(tmp_path: Path) -> None:
    with Store(str(tmp_path / "a")) as store:
        app = App(store)
        state = app.default_genesis()
        assert state["did"] == {"documents": {}} and list(state)[-1] == "did"
        state["did"] = _state(DID, {"document": None})
        with pytest.raises(ValueError) as info:
            app.validate_genesis(state)
        assert str(info.value) == "invalid did genesis: DIDDocumentWithSeq: : Invalid DIDDocumentWithSeq"

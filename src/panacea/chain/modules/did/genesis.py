"""x/did genesis (did-reference §5): the documents by DID, validated as the reference does, stored as given.

Validation stays the reference's in every mode (a state either mode exported must import again): the key must
be a DID and the document valid (tombstones and empty-id records pass); key == id and the sequence are not
checked (REF-10). Departure: an absent document is ``ErrInvalidDIDDocumentWithSeq``, not a panic (REF-4). Entries
are visited in sorted order (the reference walks a Go map: the first error it reports may differ).
"""

from __future__ import annotations

from typing import Final

from panacea.chain.context import Context
from panacea.chain.module import JSON
from panacea.chain.modules.did.errors import ErrInvalidDID, ErrInvalidDIDDocumentWithSeq, plain
from panacea.chain.modules.did.keeper import DIDKeeper
from panacea.chain.modules.did.keys import did_of_key
from panacea.chain.modules.did.validation import document_text, document_valid, validate_did
from panacea.types import did_json
from panacea.types.pb.panacea.did.v2 import did_pb2

DOCUMENTS: Final = "documents"


def default_genesis() -> JSON:
    return {DOCUMENTS: {}}


def parse(genesis: JSON) -> list[tuple[str, did_pb2.DIDDocumentWithSeq]]:
    """The entries sorted by DID; JSON errors are the plain Go error of an unmarshal failure."""
    try:
        unknown = sorted(set(genesis) - {DOCUMENTS})
        if unknown:
            raise ValueError(f'unknown field "{unknown[0]}"')
        documents = genesis.get(DOCUMENTS)
        if documents is None:
            documents = {}
        if not isinstance(documents, dict):
            raise ValueError("documents: expected a JSON object")
        return [(did, did_json.with_seq_from_json(documents[did], f"documents[{did}]")) for did in sorted(documents)]
    except ValueError as e:
        raise plain(f"failed to unmarshal did genesis state: {e}") from None


def _record_text(record: did_pb2.DIDDocumentWithSeq) -> str:
    """Go's %v of the record (compact text, the document inside ``<…>``)."""
    inner = f"document:<{document_text(record.document)}> " if record.HasField("document") else ""
    return inner + (f"sequence:{record.sequence} " if record.sequence else "")


def validate_genesis(genesis: JSON) -> None:
    for did, record in parse(genesis):
        if not validate_did(did):
            raise ErrInvalidDID.wrap(f"DID: {did}")
        if not record.HasField("document") or not document_valid(record.document):
            raise ErrInvalidDIDDocumentWithSeq.wrap(f"DIDDocumentWithSeq: {_record_text(record)}")


def init_genesis(ctx: Context, keeper: DIDKeeper, genesis: JSON) -> None:
    """Stores every entry as given, without validating (the reference's InitGenesis)."""
    for did, record in parse(genesis):
        keeper.set(ctx, did, record)


def export_genesis(ctx: Context, keeper: DIDKeeper) -> JSON:
    """Every stored record, tombstones and empty-id ones included, in JSON A keyed by DID (sorted)."""
    return {DOCUMENTS: {did_of_key(key): did_json.with_seq_to_json(record) for key, record in keeper.iterate(ctx)}}

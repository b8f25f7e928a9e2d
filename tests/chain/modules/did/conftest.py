"""x/did fixtures: the reference's test DIDs and documents (did-reference §8), real keys and ownership signatures."""

from __future__ import annotations

from dataclasses import dataclass, field

import base58
import pytest

from panacea.chain.context import BlockInfo, Context
from panacea.chain.kv import CacheKV, MemKV
from panacea.chain.modules.did.keeper import DIDKeeper
from panacea.chain.modules.did.validation import DID_CONTEXT, ES256K_2019
from panacea.crypto import did as did_crypto
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2
from tests.chain.kit import T0, error_of, key

DID = "did:panacea:7Prd74ry1Uct87nZqL3ny7aR7Cg46JamVbJgk8azVgUm"
DID2 = "did:panacea:6JamVbJgk8azVgUm7Prd74ry1Uct87nZqL3ny7aR7Cg4"
FROM = "panacea154p6kyu9kqgvcmq63w3vpn893ssy6anpu8ykfq"
BLS_TYPE = "Bls12381G2Key2020"
BLS_KEY = base58.b58encode(b"dummy BBS+ pub key").decode()


def b58(k: PrivateKey) -> str:
    return base58.b58encode(k.public_key().compressed).decode()


def method(did: str, k: PrivateKey, fragment: str = "key1", key_type: str = ES256K_2019) -> did_pb2.VerificationMethod:
    return did_pb2.VerificationMethod(id=f"{did}#{fragment}", type=key_type, controller=did, public_key_base58=b58(k))


def ref(vm_id: str) -> did_pb2.VerificationRelationship:
    return did_pb2.VerificationRelationship(verification_method_id=vm_id)


def embedded(vm: did_pb2.VerificationMethod) -> did_pb2.VerificationRelationship:
    return did_pb2.VerificationRelationship(verification_method=vm)


def document(did: str, k: PrivateKey, *, contexts: bool = True) -> did_pb2.DIDDocument:
    """One ES256K-2019 key ``#key1``, authenticating (the CLI's document)."""
    doc = did_pb2.DIDDocument(id=did, verification_methods=[method(did, k)], authentications=[ref(f"{did}#key1")])
    if contexts:
        doc.contexts.values.append(DID_CONTEXT)
    return doc


def reference_document(did: str, k: PrivateKey) -> did_pb2.DIDDocument:
    """``newDIDDocumentWithSeq``'s document: ``#key1`` twice (the ES256K key, then a BLS key), auth [#key1]."""
    bls = did_pb2.VerificationMethod(id=f"{did}#key1", type=BLS_TYPE, controller=did, public_key_base58=BLS_KEY)
    return did_pb2.DIDDocument(id=did, verification_methods=[method(did, k), bls],
                               authentications=[ref(f"{did}#key1")])


def sign(k: PrivateKey, doc: did_pb2.DIDDocument, sequence: int) -> bytes:
    return did_crypto.sign_ownership(k, doc.SerializeToString(), sequence)


def create_msg(did: str, k: PrivateKey, doc: did_pb2.DIDDocument | None = None, *, from_address: str = FROM,
               fragment: str = "key1") -> tx_pb2.MsgCreateDID:
    doc = document(did, k) if doc is None else doc
    return tx_pb2.MsgCreateDID(did=did, document=doc, verification_method_id=f"{did}#{fragment}",
                               signature=sign(k, doc, 0), from_address=from_address)


def update_msg(did: str, k: PrivateKey, doc: did_pb2.DIDDocument, sequence: int, *, from_address: str = FROM,
               fragment: str = "key1") -> tx_pb2.MsgUpdateDID:
    return tx_pb2.MsgUpdateDID(did=did, document=doc, verification_method_id=f"{did}#{fragment}",
                               signature=sign(k, doc, sequence), from_address=from_address)


def deactivate_msg(did: str, k: PrivateKey, sequence: int, *, from_address: str = FROM,
                   fragment: str = "key1") -> tx_pb2.MsgDeactivateDID:
    return tx_pb2.MsgDeactivateDID(
        did=did, verification_method_id=f"{did}#{fragment}", from_address=from_address,
        signature=did_crypto.sign_ownership(k, did_crypto.deactivation_data(did), sequence))


@dataclass
class Env:
    keeper: DIDKeeper
    cache: CacheKV = field(default_factory=lambda: CacheKV(MemKV()))
    owner: PrivateKey = field(default_factory=lambda: key("did-owner"))

    @property
    def ctx(self) -> Context:
        return Context(self.cache, BlockInfo(1, T0, "testchain"))


@pytest.fixture
def env() -> Env:
    return Env(DIDKeeper())


@pytest.fixture
def ref_env() -> Env:
    """The keeper in reference mode."""
    return Env(DIDKeeper(reference_compat=True))


__all__ = ["DID", "DID2", "FROM", "Env", "error_of", "key"]

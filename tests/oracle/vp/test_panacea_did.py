"""The did:panacea resolver's logic (syntax, not found, deactivated, id binding, method types, purposes, key
conversion, chain failures) over an in-memory DIDReader, the test double of the chain reader seam; VPs signed by
did:panacea keys through the whole validator; and the signing kit checked against didkit."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import json
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import base58
import pytest

from panacea.client import AsyncChainClient
from panacea.client import storekeys as keys
from panacea.client.light import LightClient, LightStore, TrustOptions, VerifiedQueries
from panacea.crypto.did import DID_CONTEXT, ES256K_2019, SECP256K1_2018, did_for_key, key_document
from panacea.crypto.keys import PrivateKey
from panacea.oracle.chain import ClientChainReader, VerifiedChainReader
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.interfaces import DIDReader
from panacea.oracle.vp import (
    DefaultPresentationValidator,
    DIDKeyResolver,
    DIDResolver,
    MethodResolver,
    PanaceaDIDResolver,
    VerificationMethod,
    VPValidationError,
)
from panacea.oracle.vp.dids import verification_key
from panacea.oracle.vp.panacea_did import check_panacea_did
from panacea.types.pb.panacea.did.v2 import did_pb2
from tests.client import nodekit
from tests.client.light.kit import JSON, proxy
from tests.client.nodekit import Node, free_port
from tests.oracle.vp import didchain, signkit
from tests.oracle.vp.didchain import DIDWriter
from tests.oracle.vp.kit import DIDS, NOW, didkit_errors, kid, raw, run, secret

ALL_PURPOSES = frozenset({"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"})


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"panacea-did-oracle/{label}".encode()).digest())


HOLDER = key("holder")
ISSUER = key("issuer")
OTHER = key("other")
HOLDER_DID = did_for_key(HOLDER.public_key())
ISSUER_DID = did_for_key(ISSUER.public_key())


def b58(data: bytes) -> str:
    return base58.b58encode(data).decode()


def method(did: str, fragment: str, public_key: bytes, type_: str = ES256K_2019) -> did_pb2.VerificationMethod:
    return did_pb2.VerificationMethod(id=f"{did}#{fragment}", type=type_, controller=did,
                                      public_key_base58=b58(public_key))


def ref(did: str, fragment: str) -> did_pb2.VerificationRelationship:
    return did_pb2.VerificationRelationship(verification_method_id=f"{did}#{fragment}")


def record(document: did_pb2.DIDDocument, sequence: int = 0) -> did_pb2.DIDDocumentWithSeq:
    return did_pb2.DIDDocumentWithSeq(document=document, sequence=sequence)


def tombstone(sequence: int = 1) -> did_pb2.DIDDocumentWithSeq:
    return did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(), sequence=sequence)


class Records:
    """A DIDReader over a dict: NOT_FOUND for what it lacks, ``failure`` (when set) for every read."""

    def __init__(self, records: dict[str, did_pb2.DIDDocumentWithSeq] | None = None) -> None:
        self.records = dict(records or {})
        self.failure: OracleError | None = None
        self.reads: list[str] = []

    async def did_document(self, did: str) -> did_pb2.DIDDocumentWithSeq:
        self.reads.append(did)
        if self.failure is not None:
            raise self.failure
        if did not in self.records:
            raise OracleError(f"DID {did} not found", Category.NOT_FOUND)
        return copy.deepcopy(self.records[did])


def resolve(records: Records, did: str) -> Sequence[VerificationMethod]:
    return run(PanaceaDIDResolver(records).resolve(did))


def rejection(records: Records, did: str) -> str:
    with pytest.raises(VPValidationError) as e:
        resolve(records, did)
    return str(e.value)


def holder_records(*documents: did_pb2.DIDDocument) -> Records:
    return Records({document.id: record(document) for document in documents})


# --- syntax, not found, deactivated, id binding ------------------------------------------------------------------
def test_did_syntax_is_the_chains_validate_did() -> None:
    check_panacea_did("did:panacea:" + "1" * 32)
    check_panacea_did("did:panacea:" + "z" * 44)
    check_panacea_did(HOLDER_DID)
    bad = ["did:panacea:" + "1" * 31, "did:panacea:" + "1" * 45, "did:panacea:" + "0" * 32, "did:panacea:" + "O" * 32,
           f"{HOLDER_DID}\n", f" {HOLDER_DID}", "did:panacea:testnet:" + "1" * 32, "did:Panacea:" + "1" * 32]
    records = Records()
    for did in bad:
        assert rejection(records, did) == f"{did!r} is not a valid did:panacea DID"
    assert records.reads == []  # nothing is read for a malformed DID


def test_missing_deactivated_and_empty_records_are_not_found() -> None:
    document = key_document(HOLDER.public_key())
    records = Records({HOLDER_DID: tombstone(3), ISSUER_DID: record(did_pb2.DIDDocument())})
    assert rejection(records, HOLDER_DID) == f"{HOLDER_DID} is deactivated"
    assert rejection(records, ISSUER_DID) == f"{ISSUER_DID} is not found"  # empty id at sequence 0 (REF-3)
    other = did_for_key(OTHER.public_key())
    assert rejection(records, other) == f"{other} is not found"
    records.records[HOLDER_DID] = record(document, 2)
    assert [m.id for m in resolve(records, HOLDER_DID)] == [f"{HOLDER_DID}#key1"]


def test_a_document_stored_under_another_did_is_refused() -> None:
    records = Records({ISSUER_DID: record(key_document(HOLDER.public_key()))})  # REF-1: squatting another's DID
    assert rejection(records, ISSUER_DID) == (
        f"the DID document stored under {ISSUER_DID} is the document of {HOLDER_DID}")


def test_chain_failures_keep_their_category() -> None:
    records = Records()
    for failure in (OracleError("cannot reach the chain node", Category.UNAVAILABLE),
                    OracleError("chain answer failed verification: the proof of did key 00 does not verify",
                                Category.BAD_GATEWAY)):
        records.failure = failure
        with pytest.raises(OracleError) as e:
            resolve(records, HOLDER_DID)
        assert e.value is failure and not isinstance(e.value, VPValidationError)
    records.failure = OracleError("cannot reach the chain node", Category.UNAVAILABLE)
    with pytest.raises(OracleError) as e:  # through the key lookup: the proof's name, category kept
        run(verification_key(MethodResolver({"panacea": PanaceaDIDResolver(records)}), f"{HOLDER_DID}#key1",
                             "authentication", HOLDER_DID, "presentation"))
    assert (type(e.value), e.value.category, e.value.message) == (
        OracleError, Category.UNAVAILABLE, "presentation: cannot reach the chain node")


# --- methods, purposes and keys ------------------------------------------------------------------------------------
def test_the_create_did_document_resolves_to_its_authentication_key() -> None:
    (resolved,) = resolve(holder_records(key_document(HOLDER.public_key())), HOLDER_DID)
    assert resolved == VerificationMethod(f"{HOLDER_DID}#key1", HOLDER_DID, HOLDER.public_key().compressed,
                                          frozenset({"authentication"}))


def test_purposes_come_from_the_relationships_only() -> None:
    pub = HOLDER.public_key().compressed
    document = did_pb2.DIDDocument(id=HOLDER_DID)
    document.contexts.values.append(DID_CONTEXT)
    for fragment in ("all", "agree", "bare", "assert"):
        document.verification_methods.append(method(HOLDER_DID, fragment, pub))
    for relationships in (document.authentications, document.assertion_methods, document.capability_invocations,
                          document.capability_delegations):
        relationships.append(ref(HOLDER_DID, "all"))
    document.key_agreements.append(ref(HOLDER_DID, "agree"))
    document.assertion_methods.append(ref(HOLDER_DID, "assert"))
    resolved = {m.id.split("#")[1]: m.purposes for m in resolve(holder_records(document), HOLDER_DID)}
    assert resolved == {"all": ALL_PURPOSES, "assert": frozenset({"assertionMethod"})}  # no keyAgreement, no bare
    validator = MethodResolver({"panacea": PanaceaDIDResolver(holder_records(document))})

    def lookup(fragment: str, purpose: str) -> str:
        try:
            run(verification_key(validator, f"{HOLDER_DID}#{fragment}", purpose, HOLDER_DID, "presentation"))
            return "ok"
        except VPValidationError as e:
            return str(e)

    assert lookup("all", "authentication") == "ok"
    assert lookup("assert", "assertionMethod") == "ok"
    assert lookup("assert", "authentication") == (
        f"presentation: verification method {HOLDER_DID}#assert is not authorised for authentication")
    assert lookup("agree", "authentication") == (  # keyAgreement-only: refused for authentication
        f"presentation: verification method {HOLDER_DID}#agree is not in the DID document of {HOLDER_DID}")
    assert lookup("bare", "assertionMethod") == (
        f"presentation: verification method {HOLDER_DID}#bare is not in the DID document of {HOLDER_DID}")


def test_fragments_match_exactly() -> None:
    document = did_pb2.DIDDocument(id=HOLDER_DID)
    document.verification_methods.append(method(HOLDER_DID, "key10", HOLDER.public_key().compressed))
    document.authentications.append(ref(HOLDER_DID, "key10"))
    resolver = MethodResolver({"panacea": PanaceaDIDResolver(holder_records(document))})
    with pytest.raises(VPValidationError) as e:  # REF-13: the reference's substring match takes #key10 for #key1
        run(verification_key(resolver, f"{HOLDER_DID}#key1", "authentication", HOLDER_DID, "presentation"))
    assert str(e.value) == f"presentation: verification method {HOLDER_DID}#key1 is not in the DID document of " \
                           f"{HOLDER_DID}"
    assert run(verification_key(resolver, f"{HOLDER_DID}#key10", "authentication", HOLDER_DID, "p")) == \
        HOLDER.public_key().compressed


def test_only_es256k_2019_methods_are_usable() -> None:
    pub = HOLDER.public_key().compressed
    document = did_pb2.DIDDocument(id=HOLDER_DID)
    for fragment, type_ in (("k2018", SECP256K1_2018), ("jwk", "JsonWebKey2020"), ("ok", ES256K_2019),
                            ("odd", "SomeFutureKey")):
        document.verification_methods.append(method(HOLDER_DID, fragment, pub, type_))
        document.authentications.append(ref(HOLDER_DID, fragment))
    assert [m.id for m in resolve(holder_records(document), HOLDER_DID)] == [f"{HOLDER_DID}#ok"]


def test_embedded_relationship_methods_are_supported() -> None:
    document = key_document(HOLDER.public_key())
    embedded = method(HOLDER_DID, "vc-signing", ISSUER.public_key().uncompressed())
    document.assertion_methods.append(did_pb2.VerificationRelationship(verification_method=embedded))
    document.assertion_methods.append(ref(HOLDER_DID, "key1"))
    # the same id embedded again with another key takes nothing over (one key per id: the first definition)
    clash = method(HOLDER_DID, "key1", OTHER.public_key().compressed)
    document.capability_invocations.append(did_pb2.VerificationRelationship(verification_method=clash))
    resolved = resolve(holder_records(document), HOLDER_DID)
    assert resolved == (
        VerificationMethod(f"{HOLDER_DID}#key1", HOLDER_DID, HOLDER.public_key().compressed,
                           frozenset({"authentication", "assertionMethod"})),
        VerificationMethod(f"{HOLDER_DID}#vc-signing", HOLDER_DID, ISSUER.public_key().compressed,
                           frozenset({"assertionMethod"})),
    )


def test_keys_are_converted_to_their_compressed_form() -> None:
    for public_key in (HOLDER.public_key().compressed, HOLDER.public_key().uncompressed()):
        document = did_pb2.DIDDocument(id=HOLDER_DID)
        document.verification_methods.append(method(HOLDER_DID, "key1", public_key))
        document.authentications.append(ref(HOLDER_DID, "key1"))
        (resolved,) = resolve(holder_records(document), HOLDER_DID)
        assert resolved.public_key == HOLDER.public_key().compressed


def test_invalid_keys_are_errors_naming_the_method() -> None:
    compressed, uncompressed = HOLDER.public_key().compressed, HOLDER.public_key().uncompressed()
    cases = [
        (b"\x04" + compressed[1:], "holds no secp256k1 public key (33 bytes 02/03 or 65 bytes 04), got 33 bytes"),
        (b"\x02" + uncompressed[1:], "holds no secp256k1 public key (33 bytes 02/03 or 65 bytes 04), got 65 bytes"),
        (compressed[1:], "holds no secp256k1 public key (33 bytes 02/03 or 65 bytes 04), got 32 bytes"),
        (b"", "holds no secp256k1 public key (33 bytes 02/03 or 65 bytes 04), got 0 bytes"),
        (b"\x02" + b"\xff" * 32, "holds an invalid secp256k1 public key"),  # x above the field prime
        (uncompressed[:64] + bytes([uncompressed[64] ^ 1]), "holds an invalid secp256k1 public key"),  # off the curve
    ]
    for public_key, message in cases:
        document = did_pb2.DIDDocument(id=HOLDER_DID)
        document.verification_methods.append(method(HOLDER_DID, "key1", public_key))
        document.authentications.append(ref(HOLDER_DID, "key1"))
        assert rejection(holder_records(document), HOLDER_DID) == f"verification method {HOLDER_DID}#key1 {message}"
    document.verification_methods[0].public_key_base58 = "0OIl"
    assert rejection(holder_records(document), HOLDER_DID) == (
        f"verification method {HOLDER_DID}#key1 has an invalid base58 public key")
    document.verification_methods[0].type = SECP256K1_2018  # an unusable method's key is not even looked at
    assert resolve(holder_records(document), HOLDER_DID) == ()


def test_the_resolvers_caller_cannot_change_what_the_reader_holds() -> None:
    records = holder_records(key_document(HOLDER.public_key()))
    first = resolve(records, HOLDER_DID)
    with pytest.raises(AttributeError):
        first[0].public_key = b""  # type: ignore[misc]
    assert resolve(records, HOLDER_DID) == first


# --- whole presentations -------------------------------------------------------------------------------------------
def validator(records: Records) -> DefaultPresentationValidator:
    resolvers: dict[str, DIDResolver] = {"key": DIDKeyResolver(), "panacea": PanaceaDIDResolver(records)}
    return DefaultPresentationValidator(MethodResolver(resolvers), clock=lambda: NOW)


def vp_rejection(records: Records, vp: dict[str, Any]) -> str:
    with pytest.raises(VPValidationError) as e:
        run(validator(records).validate(json.dumps(vp).encode(), raw("pd_adult.json")))
    return str(e.value)


def test_a_vp_signed_by_did_panacea_keys_is_accepted_and_checked() -> None:
    records = holder_records(key_document(HOLDER.public_key()), key_document(ISSUER.public_key()))
    records.records[ISSUER_DID].document.assertion_methods.append(ref(ISSUER_DID, "key1"))
    vp = signkit.signed_vp(HOLDER, f"{HOLDER_DID}#key1", ISSUER, f"{ISSUER_DID}#key1")
    run(validator(records).validate(json.dumps(vp).encode(), raw("pd_adult.json")))
    assert records.reads == [HOLDER_DID, ISSUER_DID]

    # the holder claims another DID than the one whose key signed
    liar = signkit.signed_vp(HOLDER, f"{HOLDER_DID}#key1", ISSUER, f"{ISSUER_DID}#key1", holder=ISSUER_DID)
    assert vp_rejection(records, liar) == (
        f"presentation: verification method {HOLDER_DID}#key1 does not belong to {ISSUER_DID}")
    # signed by another key than the document's
    forged = signkit.signed_vp(OTHER, f"{HOLDER_DID}#key1", ISSUER, f"{ISSUER_DID}#key1")
    assert vp_rejection(records, forged) == "presentation: signature does not verify"
    # the issuer's key is only an authentication key until assertionMethod names it
    del records.records[ISSUER_DID].document.assertion_methods[:]
    assert vp_rejection(records, vp) == (
        f"credential 0: verification method {ISSUER_DID}#key1 is not authorised for assertionMethod")
    records.records[ISSUER_DID] = tombstone()
    assert vp_rejection(records, vp) == f"credential 0: {ISSUER_DID} is deactivated"
    del records.records[HOLDER_DID]
    assert vp_rejection(records, vp) == f"presentation: {HOLDER_DID} is not found"


def test_the_signing_kit_signs_what_didkit_verifies() -> None:
    """signkit's construction, for did:key parties didkit resolves: didkit finds no error in it."""
    holder, issuer = PrivateKey(secret("holder")), PrivateKey(secret("issuer"))
    vp = signkit.signed_vp(holder, kid("holder"), issuer, kid("issuer"))
    assert (vp["holder"], vp["verifiableCredential"][0]["issuer"]) == (DIDS["holder"], DIDS["issuer"])
    run(validator(Records()).validate(json.dumps(vp).encode(), raw("pd_adult.json")))
    assert didkit_errors([
        ("credential", json.dumps(vp["verifiableCredential"][0]), {"proofPurpose": "assertionMethod"}),
        ("presentation", json.dumps(vp), {"proofPurpose": "authentication", "challenge": "deal-1",
                                          "domain": "panacea"}),
    ]) == [[], []]


# --- on a real node: DIDs written by txs, read through both chain readers ------------------------------------------
PAYER = nodekit.key("alice")
GONE = key("gone")


@pytest.fixture(scope="module")
def onchain(node: Node) -> tuple[str, str]:
    """(a DID with methods of every kind, a deactivated DID), written by txs."""
    writer = DIDWriter(node, PAYER)
    document = did_pb2.DIDDocument(id=HOLDER_DID)
    document.contexts.values.append(DID_CONTEXT)
    document.verification_methods.extend([
        didchain.method(HOLDER_DID, "key10", HOLDER), didchain.method(HOLDER_DID, "agree", OTHER),
        didchain.method(HOLDER_DID, "k2018", OTHER, SECP256K1_2018)])
    document.authentications.extend([didchain.ref(HOLDER_DID, "key10"), didchain.ref(HOLDER_DID, "k2018")])
    document.key_agreements.append(didchain.ref(HOLDER_DID, "agree"))
    document.assertion_methods.append(did_pb2.VerificationRelationship(
        verification_method=didchain.method(HOLDER_DID, "assert", ISSUER)))
    writer.create(HOLDER, document, "key10")
    gone = writer.create(GONE)
    writer.deactivate(GONE, "key1", gone)
    return HOLDER_DID, gone


@asynccontextmanager
async def chain_readers(node: Node, tmp: Path, via: str | None = None) -> AsyncIterator[list[DIDReader]]:
    """The trusted reader and the verified one (light client from block 1) over one client of ``via``."""
    store = LightStore(tmp / "light-client")
    async with AsyncChainClient(via or node.rpc) as client, AsyncChainClient(node.rpc) as primary:
        root = (1, bytes.fromhex((await primary.block(1))["block_id"]["hash"]))
        light = LightClient(primary, store, root, TrustOptions(nodekit.CHAIN_ID, 336 * 3600 * 10**9))
        try:
            yield [ClientChainReader(client), VerifiedChainReader(VerifiedQueries(client, light))]
        finally:
            store.close()


async def _outcome(resolver: PanaceaDIDResolver, did: str) -> object:
    try:
        return tuple(await resolver.resolve(did))
    except OracleError as e:
        return (type(e).__name__, e.category.value, e.message)


def on_chain(node: Node, tmp: Path, *dids: str, via: str | None = None) -> list[list[object]]:
    """Each reader's outcome of resolving each DID."""
    async def go() -> list[list[object]]:
        async with chain_readers(node, tmp, via) as readers:
            return [[await _outcome(PanaceaDIDResolver(reader), did) for did in dids] for reader in readers]

    return asyncio.run(go())


def test_on_chain_documents_resolve_alike_through_both_readers(node: Node, onchain: tuple[str, str],
                                                               tmp_path: Path) -> None:
    holder, gone = onchain
    absent = did_for_key(key("absent").public_key())
    trusted, proven = on_chain(node, tmp_path, holder, gone, absent)
    assert trusted == proven == [
        (VerificationMethod(f"{holder}#key10", holder, HOLDER.public_key().compressed, frozenset({"authentication"})),
         VerificationMethod(f"{holder}#assert", holder, ISSUER.public_key().compressed,
                            frozenset({"assertionMethod"}))),  # no keyAgreement key, no 2018 key
        ("VPValidationError", "bad_request", f"{gone} is deactivated"),
        ("VPValidationError", "bad_request", f"{absent} is not found"),
    ]


def test_on_chain_key_lookup_is_exact_and_purpose_bound(node: Node, onchain: tuple[str, str],
                                                        tmp_path: Path) -> None:
    holder, _ = onchain

    async def go() -> list[str]:
        out = []
        async with chain_readers(node, tmp_path) as readers:
            resolver = MethodResolver({"panacea": PanaceaDIDResolver(readers[1])})
            for fragment, purpose in (("key10", "authentication"), ("key1", "authentication"),
                                      ("agree", "authentication"), ("k2018", "authentication"),
                                      ("assert", "authentication"), ("assert", "assertionMethod")):
                try:
                    found = await verification_key(resolver, f"{holder}#{fragment}", purpose, holder, "presentation")
                    out.append(found.hex())
                except VPValidationError as e:
                    out.append(str(e))
        return out

    missing = "presentation: verification method {} is not in the DID document of " + holder
    assert asyncio.run(go()) == [
        HOLDER.public_key().compressed.hex(),
        missing.format(f"{holder}#key1"),  # #key1 is not #key10 (REF-13's substring match)
        missing.format(f"{holder}#agree"),  # keyAgreement only
        missing.format(f"{holder}#k2018"),  # not EcdsaSecp256k1VerificationKey2019
        f"presentation: verification method {holder}#assert is not authorised for authentication",
        ISSUER.public_key().compressed.hex(),
    ]


def test_a_bad_proof_or_an_unreachable_node_is_no_invalid_vp(node: Node, onchain: tuple[str, str],
                                                             tmp_path: Path) -> None:
    holder, _ = onchain

    def flip_proof(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query" and params["prove"]:
            op = body["result"]["response"]["proofOps"]["ops"][0]
            data = bytearray(base64.b64decode(op["data"]))
            data[-1] ^= 1  # a sibling hash
            op["data"] = base64.b64encode(bytes(data)).decode()
        return body

    with proxy(node.rpc) as (p, url):
        p.tamper = flip_proof
        trusted, proven = on_chain(node, tmp_path, holder, via=url)
    assert isinstance(trusted[0], tuple) and len(trusted[0]) == 2  # the trusted mode believes the node
    outcome = proven[0]
    assert isinstance(outcome, tuple) and outcome[:2] == ("ChainVerificationError", "bad_gateway")
    message = str(outcome[2])
    assert re.fullmatch(rf"chain answer failed verification: the proof of did key {keys.did_key(holder).hex()} "
                        rf"does not verify against app hash [0-9A-F]{{64}} of block \d+", message), message

    async def down() -> object:
        async with AsyncChainClient(f"tcp://127.0.0.1:{free_port()}", timeout=2) as gone:
            return await _outcome(PanaceaDIDResolver(ClientChainReader(gone)), holder)

    assert asyncio.run(down()) == ("OracleError", "unavailable", "cannot reach the chain node")

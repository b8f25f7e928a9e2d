"""DIDs written on a real node by txs (MsgCreateDID / MsgUpdateDID / MsgDeactivateDID with ownership proofs,
sent by a funded payer's wallet); each call returns once the next block exists, so the oracle's verified reads
(of the state before the newest block) see the change."""

from __future__ import annotations

import base64

import base58

from panacea.crypto import did as did_crypto
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2, query_pb2, tx_pb2
from tests.client.nodekit import Node
from tests.oracle.chainkit import wait_past

DID_QUERY = "/panacea.did.v2.Query/DID"


def method(did: str, fragment: str, key: PrivateKey, type_: str = did_crypto.ES256K_2019) -> did_pb2.VerificationMethod:
    """A verification method ``did#fragment`` holding ``key``'s compressed public key."""
    return did_pb2.VerificationMethod(id=f"{did}#{fragment}", type=type_, controller=did,
                                      public_key_base58=base58.b58encode(key.public_key().compressed).decode())


def ref(did: str, fragment: str) -> did_pb2.VerificationRelationship:
    """A relationship naming ``did#fragment``."""
    return did_pb2.VerificationRelationship(verification_method_id=f"{did}#{fragment}")


class DIDWriter:
    """Writes DIDs on ``node``, fees paid by ``payer``."""

    def __init__(self, node: Node, payer: PrivateKey) -> None:
        self.node = node
        self.payer = payer

    def _send(self, msg: object) -> None:
        with self.node.client() as client:
            resp = client.wallet(self.payer).send([msg])  # type: ignore[list-item]
            assert resp.ok, resp.raw_log
            wait_past(client, resp.height)

    def sequence(self, did: str) -> int:
        """The DID's current sequence (what the next proof signs at)."""
        with self.node.client() as client:
            request = query_pb2.QueryDIDRequest(did_base64=base64.b64encode(did.encode()).decode())
            return client.query(DID_QUERY, request, query_pb2.QueryDIDResponse).did_document_with_seq.sequence

    def create(self, key: PrivateKey, document: did_pb2.DIDDocument | None = None, fragment: str = "key1") -> str:
        """Create ``document`` (``key``'s create-did document by default), proven by ``key`` as ``#fragment``."""
        document = document or did_crypto.key_document(key.public_key())
        self._send(tx_pb2.MsgCreateDID(
            did=document.id, document=document, verification_method_id=f"{document.id}#{fragment}",
            signature=did_crypto.sign_ownership(key, document.SerializeToString(deterministic=True), 0),
            from_address=self.payer.bech32()))
        return document.id

    def update(self, key: PrivateKey, fragment: str, document: did_pb2.DIDDocument) -> None:
        """Replace the DID's document, proven by ``key`` as ``#fragment`` of the current one."""
        sequence = self.sequence(document.id)
        self._send(tx_pb2.MsgUpdateDID(
            did=document.id, document=document, verification_method_id=f"{document.id}#{fragment}",
            signature=did_crypto.sign_ownership(key, document.SerializeToString(deterministic=True), sequence),
            from_address=self.payer.bech32()))

    def deactivate(self, key: PrivateKey, fragment: str, did: str) -> None:
        """Deactivate ``did`` for good, proven by ``key`` as ``#fragment``."""
        sequence = self.sequence(did)
        self._send(tx_pb2.MsgDeactivateDID(
            did=did, verification_method_id=f"{did}#{fragment}",
            signature=did_crypto.sign_ownership(key, did_crypto.deactivation_data(did), sequence),
            from_address=self.payer.bech32()))

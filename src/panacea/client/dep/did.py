"""did:panacea for a key: build the key's DID document, prove ownership, send ``MsgCreateDID``; read a DID back.

The document is :func:`panacea.crypto.did.key_document` (the DID context, one ``EcdsaSecp256k1VerificationKey2019``
method ``#key1``, authentication by it) plus, by default, ``assertionMethod`` by the same key, so that one DID can
both hold credentials (a provider's VP is an authentication proof) and issue them (a VC is an assertionMethod
proof). The ownership proof is ``sign_ownership(key, document bytes, 0)`` (did-reference §3.2); the tx is sent
from the wallet's account (which pays the fee and may differ from the DID's key).

```python
from panacea.client import ChainClient
from panacea.client.dep.did import create_did, did_document

with ChainClient("tcp://127.0.0.1:26657") as chain:
    did = create_did(chain.wallet(key), key)        # did:panacea:…, on chain once this returns
    document = did_document(chain, did).document
```
"""

from __future__ import annotations

import base64
from decimal import Decimal

from panacea.client.aio import AsyncChainClient, AsyncWallet
from panacea.client.base import ChainBase
from panacea.client.dep.common import send_tx
from panacea.client.dep.errors import DepError
from panacea.client.dep.runner import chain_read
from panacea.client.plan import Plan
from panacea.client.queries.base import Query
from panacea.client.sync import ChainClient, Wallet
from panacea.client.wallet import WalletBase
from panacea.crypto.did import did_for_key, key_document, sign_ownership
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2, query_pb2, tx_pb2

DID_QUERY = "/panacea.did.v2.Query/DID"


def did_query(did: str) -> Query[query_pb2.QueryDIDResponse, did_pb2.DIDDocumentWithSeq]:
    """``panacea.did.v2.Query/DID``: the request carries the DID base64-encoded (std, padded), as the reference."""
    return Query(DID_QUERY, query_pb2.QueryDIDRequest(did_base64=base64.b64encode(did.encode()).decode()),
                 query_pb2.QueryDIDResponse, lambda r: r.did_document_with_seq)


def document_for(key: PrivateKey, *, assertion_method: bool = True) -> did_pb2.DIDDocument:
    """The DID document ``create_did`` registers for ``key``."""
    document = key_document(key.public_key())
    if assertion_method:
        document.assertion_methods.append(did_pb2.VerificationRelationship(
            verification_method_id=document.verification_methods[0].id))
    return document


def create_msg(key: PrivateKey, from_address: str, *, assertion_method: bool = True) -> tx_pb2.MsgCreateDID:
    """``MsgCreateDID`` for ``key``'s DID, its ownership proved at sequence 0 by ``key`` (method ``#key1``)."""
    document = document_for(key, assertion_method=assertion_method)
    signature = sign_ownership(key, document.SerializeToString(deterministic=True), 0)
    return tx_pb2.MsgCreateDID(did=document.id, document=document,
                               verification_method_id=document.verification_methods[0].id, signature=signature,
                               from_address=from_address)


def create_plan(wallet: WalletBase, key: PrivateKey, *, assertion_method: bool = True,
                gas_price: Decimal | str | None = None) -> Plan[str]:
    msg = create_msg(key, wallet.address, assertion_method=assertion_method)
    yield from send_tx("create DID", wallet, [msg], gas_price)
    return msg.did


def document_plan(chain: ChainBase, did: str) -> Plan[did_pb2.DIDDocumentWithSeq]:
    try:
        return (yield from chain_read("read DID", chain._run(did_query(did))))
    except DepError as e:
        raise DepError("read DID", f"{did}: {e.message}") from None


def create_did(wallet: Wallet, key: PrivateKey, *, assertion_method: bool = True,
               gas_price: Decimal | str | None = None) -> str:
    """Register ``key``'s did:panacea on chain (sent from ``wallet``'s account) and return the DID; a refusal is
    ``TxError("create DID", <the chain's log>)`` (e.g. the DID exists already)."""
    return wallet.run_plan(create_plan(wallet, key, assertion_method=assertion_method, gas_price=gas_price))


async def create_did_async(wallet: AsyncWallet, key: PrivateKey, *, assertion_method: bool = True,
                           gas_price: Decimal | str | None = None) -> str:
    """asyncio twin of :func:`create_did`."""
    return await wallet.run_plan(create_plan(wallet, key, assertion_method=assertion_method, gas_price=gas_price))


def did_document(chain: ChainClient, did: str) -> did_pb2.DIDDocumentWithSeq:
    """The DID's document and sequence from the chain; ``DepError("read DID", …)`` when missing or deactivated."""
    return chain.run_plan(document_plan(chain, did))


async def did_document_async(chain: AsyncChainClient, did: str) -> did_pb2.DIDDocumentWithSeq:
    """asyncio twin of :func:`did_document`."""
    return await chain.run_plan(document_plan(chain, did))


__all__ = ["DID_QUERY", "create_did", "create_did_async", "create_msg", "did_document", "did_document_async",
           "did_for_key", "did_query", "document_for"]

"""Chain reads that are proven: each value (or its absence) is checked against the app hash of a verified header.

A read is: the light client's newest verified block H (the node's latest, verified first) → ``abci_query`` at
``/store/<store>/key`` with ``prove=true`` at height H-1 (the app hash in header H is the state tree's root after
block H-1) → :func:`proven_value` checks the answer's height and key and folds its ``panacea:smt`` proof up to
that app hash. An empty value is proven absent (a non-membership proof; the reference only sees "empty value")
or proven empty; an absence is confirmed at the node's newest state (see :class:`VerifiedQueries`).

Typed reads decode the proven bytes as the chain's keepers store them and, for a proven absence, raise the
chain's own :class:`NotFoundError` (same path, code and text as the gRPC query's); a bad address gives the
chain's :class:`QueryError` text as well, so verified and unverified reads fail alike. A DID record is read as
stored (tombstones included, None when proven absent): what deactivation means is the resolver's.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Any, TypeVar

from google.protobuf import any_pb2
from google.protobuf.message import DecodeError, Message
from google.protobuf.unknown_fields import UnknownFieldSet

from panacea.client import storekeys as keys
from panacea.client.aio import AsyncChainClient
from panacea.client.errors import ChainClientError, NotFoundError, QueryError
from panacea.client.light.client import LightClient
from panacea.client.light.errors import VerificationError
from panacea.client.light.verifier import LightBlock
from panacea.client.queries.auth import ACCOUNT, account_value
from panacea.client.rpc import abci_response
from panacea.client.types import Account
from panacea.crypto.address import ACC_HRP, bech32_decode
from panacea.crypto.errors import CryptoError
from panacea.crypto.merkle import Proof, verify_proof
from panacea.types.cometbft.encoding import hexu
from panacea.types.lp import unmarshal_length_prefixed
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2

M = TypeVar("M", bound=Message)

# The chain's query errors for what a proven read finds missing or malformed (codespace, code, text): the texts of
# the gRPC queries' answers, so both readers fail alike (tests/client/light/test_reader.py compares them).
_SDK = "sdk"
_DATADEAL_CODESPACE = "datadeal"
_ORACLE_CODESPACE = "oracle"
_DEAL = "/panacea.datadeal.v2.Query/Deal"
_CONSENT = "/panacea.datadeal.v2.Query/Consent"
_ORACLE = "/panacea.oracle.v2.Query/"
_DEFAULT_ORACLE_PARAMS = genesis_pb2.Params(signature_digest="sha256")  # what the chain answers while none are stored


def _b64(response: dict[str, Any], field: str, where: str) -> bytes:
    """A base64 field of the answer; absent is empty (CometBFT omits empty fields)."""
    value = response.get(field) or ""
    try:
        if not isinstance(value, str):
            raise TypeError
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError):
        raise VerificationError(f"malformed abci_query answer: {where} is not base64") from None


def _proof(response: dict[str, Any], tree_key: bytes) -> Proof:
    # CometBFT writes ResponseQuery with jsonpb ("proofOps"); "proof_ops" is the struct tag's spelling
    proof_ops = response.get("proofOps", response.get("proof_ops"))
    ops = proof_ops.get("ops") if isinstance(proof_ops, dict) else None
    if not isinstance(ops, list) or len(ops) != 1 or not isinstance(ops[0], dict):
        raise VerificationError("the node's answer has no proof (one proof op expected)")
    op = ops[0]
    if op.get("type") != keys.PROOF_OP_TYPE:
        raise VerificationError(f"the node's proof is of type {op.get('type')!r}, not {keys.PROOF_OP_TYPE}")
    if _b64(op, "key", "proof_ops.ops[0].key") != tree_key:
        raise VerificationError(f"the node's proof is about another key than {tree_key.hex()}")
    try:
        return Proof.from_bytes(_b64(op, "data", "proof_ops.ops[0].data"))
    except ValueError as e:
        raise VerificationError(f"malformed proof from the node: {e}") from None


def proven_value(result: dict[str, Any], store: str, key: bytes, height: int, app_hash: bytes) -> bytes | None:
    """The value of ``key`` in ``store`` at ``height`` from an ``abci_query`` answer, proven against ``app_hash``
    (the root after block ``height``): None when proven absent; VerificationError when anything does not hold."""
    response = abci_response(keys.store_path(store), result)  # a non-zero code: QueryError as any query
    got_height = str(response.get("height", "0"))
    if got_height != str(height):
        raise VerificationError(f"the node answered for height {got_height} when asked for height {height}")
    if _b64(response, "key", "key") != key:
        raise VerificationError(f"the node answered for another key than {key.hex()}")
    value = _b64(response, "value", "value")
    tree_key = keys.tree_key(store, key)
    proof = _proof(response, tree_key)
    if value and verify_proof(app_hash, tree_key, value, proof):
        return value
    if not value:
        if verify_proof(app_hash, tree_key, None, proof):
            return None
        if verify_proof(app_hash, tree_key, b"", proof):
            return b""
    raise VerificationError(f"the proof of {store} key {key.hex()} does not verify against app hash "
                            f"{hexu(app_hash)} of block {height + 1}")


def _decode(raw: bytes, cls: type[M], what: str) -> M:
    try:
        return unmarshal_length_prefixed(raw, cls)
    except (DecodeError, ValueError):
        raise ChainClientError(f"cannot decode the {what} stored on chain") from None


def _has_unknown_fields(message: Message) -> bool:
    if len(UnknownFieldSet(message)):
        return True
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        values = value if field.is_repeated else (value,)
        if any(_has_unknown_fields(item) for item in values):
            return True
    return False


def did_record(raw: bytes) -> did_pb2.DIDDocumentWithSeq:
    """A ``did`` store value decoded strictly: one length-prefixed ``DIDDocumentWithSeq`` filling the value, no
    field this schema does not know (a document read partly would be resolved as another document)."""
    record = _decode(raw, did_pb2.DIDDocumentWithSeq, "DID document")
    if _has_unknown_fields(record):
        raise ChainClientError("cannot decode the DID document stored on chain: unknown fields")
    return record


async def unproven_value(client: AsyncChainClient, store: str, key: bytes) -> tuple[bytes | None, int]:
    """The node's word for ``key`` in ``store`` at its newest state (None: absent) and the height it answered for;
    nothing is proven (the trusted mode's raw read, and the verified read's hint whether to wait)."""
    params = {"path": keys.store_path(store), "data": key.hex(), "height": "0", "prove": False}
    response = abci_response(keys.store_path(store), await client.rpc("abci_query", params))
    value = _b64(response, "value", "value")
    try:
        height = int(response.get("height") or 0)
    except (ValueError, TypeError):
        raise ChainClientError("malformed abci_query answer: height is not a number") from None
    return (value or None), height


def _address(address: str, path: str, code: int, message: str) -> bytes:
    """The address bytes, or the chain's QueryError for a bad one (its ``<cause>: <registered message>``)."""
    try:
        return bech32_decode(address, ACC_HRP)
    except CryptoError as e:
        raise QueryError(path, code, _ORACLE_CODESPACE, f"{e}: {message}") from None


class VerifiedQueries:
    """Typed reads proven through a :class:`LightClient` (async). ``client`` answers the queries and may be a node
    other than the light client's primary: nothing it says is believed unproven.

    Freshness: a read proves the state after block H-1, H being the node's latest block (its app hash is in header
    H), so a value may be one block old. An absence is not: when the node says the key exists in a newer state
    (block h >= H), the read waits for a verified block above h (up to ``absence_wait`` seconds, then the absence
    proven at H-1 stands) and proves that state, so an object created in the newest block (an event just seen, a
    consent just committed) is found, never reported missing. The node's word only decides whether to wait; what
    is returned is proven.
    """

    def __init__(self, client: AsyncChainClient, light: LightClient, *, absence_wait: float = 10.0,
                 poll: float = 0.1) -> None:
        self.client = client
        self.light = light
        self.absence_wait = absence_wait
        self.poll = poll

    async def value(self, store: str, key: bytes) -> tuple[bytes | None, int]:
        """The proven value of ``key`` in ``store`` (None: proven absent) and the height it was read at."""
        block = await self.light.latest()
        if block.height < 2:  # header 1 holds the genesis app hash: the first state is proven by header 2
            block = await self._block_proving(1) or block
        value, height = await self._proven(store, key, block)
        if value is not None:
            return value, height
        exists_at = await self._exists_at(store, key, block.height)
        if exists_at is None or exists_at <= height:  # (the node's word against a proof: the proof stands)
            return value, height
        newer = await self._block_proving(exists_at)
        return (value, height) if newer is None else await self._proven(store, key, newer)

    async def _exists_at(self, store: str, key: bytes, latest: int) -> int | None:
        """The height at which the node says ``key`` exists in its newest state (``latest`` when it gives none),
        None when it says the key does not exist. Unproven: only a hint whether waiting for a block is worth it."""
        try:
            value, height = await unproven_value(self.client, store, key)
        except ChainClientError:
            return None
        return None if value is None else height or latest

    async def _proven(self, store: str, key: bytes, block: LightBlock) -> tuple[bytes | None, int]:
        if block.height < 2:
            raise ChainClientError("no block proves the chain's state yet (the chain is at height 1)")
        height = block.height - 1
        params = {"path": keys.store_path(store), "data": key.hex(), "height": str(height), "prove": True}
        result = await self.client.rpc("abci_query", params)
        return proven_value(result, store, key, height, block.header.app_hash), height

    async def _block_proving(self, state_height: int) -> LightBlock | None:
        """The first verified block whose header proves the state after ``state_height`` or later (a block above
        it), None if none comes within ``absence_wait``."""
        deadline = asyncio.get_running_loop().time() + self.absence_wait
        while True:
            block = await self.light.latest()
            if block.height > state_height:
                return block
            if asyncio.get_running_loop().time() + self.poll > deadline:
                return None
            await asyncio.sleep(self.poll)

    async def _record(self, store: str, key: bytes, cls: type[M], what: str) -> M | None:
        raw, _ = await self.value(store, key)
        return None if raw is None else _decode(raw, cls, what)

    async def deal(self, deal_id: int) -> deal_pb2.Deal:
        """Deal ``deal_id``; NotFoundError when proven absent."""
        deal = await self._record(keys.DATADEAL, keys.deal_key(deal_id), deal_pb2.Deal, "deal")
        if deal is None:
            raise NotFoundError(_DEAL, 3, _DATADEAL_CODESPACE,
                                f"deal with ID {deal_id} does not exist: deal is not found")
        return deal

    async def consent(self, deal_id: int, data_hash: str) -> consent_pb2.Consent:
        """The consent for (``deal_id``, ``data_hash`` as given); NotFoundError when proven absent."""
        consent = await self._record(keys.DATADEAL, keys.consent_key(deal_id, data_hash), consent_pb2.Consent,
                                     "consent")
        if consent is None:
            raise NotFoundError(_CONSENT, 5, _DATADEAL_CODESPACE, "consent is not found")
        return consent

    async def account(self, address: str) -> Account:
        """The auth account at ``address``; NotFoundError when proven absent."""
        if not address:
            raise QueryError(ACCOUNT, 18, _SDK, "Address cannot be empty: invalid request")
        try:
            raw_address = bech32_decode(address, ACC_HRP)
        except CryptoError as e:
            raise QueryError(ACCOUNT, 7, _SDK, f"invalid address ({e}): invalid address") from None
        raw, _ = await self.value(keys.AUTH, keys.account_key(raw_address))
        if raw is None:
            raise NotFoundError(ACCOUNT, 38, _SDK, f"account {address} not found: not found")
        try:  # an Any, not length-prefixed (the SDK's account codec)
            return account_value(auth_query.QueryAccountResponse(account=any_pb2.Any.FromString(raw)))
        except DecodeError:
            raise ChainClientError("cannot decode the account stored on chain") from None

    async def oracle_params(self) -> genesis_pb2.Params:
        """The oracle module params (the chain's defaults while none are stored, as its query answers)."""
        params = await self._record(keys.ORACLE, keys.ORACLE_PARAMS_KEY, genesis_pb2.Params, "oracle params")
        if params is not None:
            return params
        default = genesis_pb2.Params()
        default.CopyFrom(_DEFAULT_ORACLE_PARAMS)
        return default

    async def oracle(self, address: str) -> oracle_pb2.Oracle:
        """The oracle at ``address``; NotFoundError when proven absent."""
        path = _ORACLE + "Oracle"
        raw_address = _address(address, path, 4, "error while getting a oracle")
        oracle = await self._record(keys.ORACLE, keys.oracle_key(raw_address), oracle_pb2.Oracle, "oracle")
        if oracle is None:
            raise NotFoundError(path, 5, _ORACLE_CODESPACE, f"oracle '{address}' does not exist: oracle not found")
        return oracle

    async def oracle_registration(self, unique_id: str, address: str) -> oracle_pb2.OracleRegistration:
        """The registration of ``address`` for ``unique_id``; NotFoundError when proven absent."""
        path = _ORACLE + "OracleRegistration"
        raw_address = _address(address, path, 2, "error while getting a oracle registration")
        registration = await self._record(keys.ORACLE, keys.registration_key(unique_id, raw_address),
                                          oracle_pb2.OracleRegistration, "oracle registration")
        if registration is None:
            raise NotFoundError(path, 3, _ORACLE_CODESPACE, "oracle registration not found")
        return registration

    async def oracle_upgrade(self, unique_id: str, address: str) -> oracle_pb2.OracleUpgrade:
        """The upgrade of ``address`` to ``unique_id``; NotFoundError when proven absent."""
        path = _ORACLE + "OracleUpgrade"
        raw_address = _address(address, path, 16, "error while getting oracleUpgrade")
        upgrade = await self._record(keys.ORACLE, keys.upgrade_key(unique_id, raw_address), oracle_pb2.OracleUpgrade,
                                     "oracle upgrade")
        if upgrade is None:
            raise NotFoundError(path, 18, _ORACLE_CODESPACE, "oracle upgrade not found")
        return upgrade

    async def did(self, did: str) -> did_pb2.DIDDocumentWithSeq | None:
        """The record stored under ``did`` as it stands (a tombstone or an empty-id record included: what it means
        is the caller's, did-reference §2 ``Empty``/``Deactivated``); None when proven absent."""
        raw, _ = await self.value(keys.DID, keys.did_key(did))
        return None if raw is None else did_record(raw)

    async def upgrade_info(self) -> oracle_pb2.OracleUpgradeInfo | None:
        """The scheduled oracle upgrade; None when proven absent."""
        return await self._record(keys.ORACLE, keys.UPGRADE_INFO_KEY, oracle_pb2.OracleUpgradeInfo,
                                  "oracle upgrade info")

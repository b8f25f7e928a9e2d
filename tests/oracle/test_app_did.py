"""The oracle API with did:panacea presentations, over HTTP: the oracle app and a real consumerd under uvicorn on
loopback, the real embedded node with DIDs written by txs. A deal with a presentation definition accepts a VP
whose holder and issuer are did:panacea DIDs signing with on-chain keys; the running oracle refuses the same VP
once the holder's DID drops that key and once it is deactivated; a holder DID that is not the signing key's is
refused; a node whose DID answers do not verify, or fail, is a 502 or a 503, never an invalid VP."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from panacea.client import storekeys as keys
from panacea.crypto.did import did_for_key, key_document
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.oracle.home import OracleHome
from tests.client import nodekit
from tests.client.light.kit import JSON, RpcFault, proxy
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceThread, service_config
from tests.oracle import chainkit as ck
from tests.oracle.appkit import OracleThread, auth, body, error, oracle_config
from tests.oracle.kit import OracleKit
from tests.oracle.vp import signkit
from tests.oracle.vp.didchain import DIDWriter, ref

FIXTURES = Path(__file__).parent / "vp" / "fixtures"
PAYER = nodekit.key("carol")


def key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"app-did/{label}".encode()).digest())


ISSUER = key("issuer")
ISSUER_DID = did_for_key(ISSUER.public_key())


@pytest.fixture(scope="module", autouse=True)
def pubkeys(node: Node) -> None:
    ck.register_pubkey(node, ck.PROVIDER)


@pytest.fixture(scope="module")
def consumerd(node: Node, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceThread]:
    with ServiceThread(tmp_path_factory.mktemp("consumerd"), service_config(node.rpc, free_port())) as s:
        yield s


@pytest.fixture(scope="module")
def api(oracle: OracleKit, node: Node) -> Iterator[httpx.Client]:
    with OracleThread(oracle.home.root, oracle_config(oracle, node, free_port())) as s, \
            httpx.Client(base_url=s.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def writer(node: Node) -> DIDWriter:
    """The DID writer; the issuer's DID exists, its key1 an assertion key."""
    did_writer = DIDWriter(node, PAYER)
    document = key_document(ISSUER.public_key())
    document.assertion_methods.append(ref(ISSUER_DID, "key1"))
    did_writer.create(ISSUER, document)
    return did_writer


@pytest.fixture(scope="module")
def deal_id(node: Node, consumerd: ServiceThread) -> int:
    """A deal asking for the health presentation (PE v1: a schema on each descriptor, as the chain requires)."""
    definition = json.loads((FIXTURES / "pd_adult.json").read_bytes())
    for descriptor in definition["input_descriptors"]:
        descriptor["schema"] = [{"uri": "https://example.org/panacea/HealthCredential"}]
    return ck.create_deal(node, consumerd.url, schema="", pd=json.dumps(definition).encode())


def provide(oracle: OracleKit, api: httpx.Client, deal: int, vp: dict[str, Any]) -> tuple[int, object]:
    """The provider sends the VP as its data: the status and the answer's JSON."""
    raw = json.dumps(vp).encode()
    resp = api.post(f"/v0/data-deal/deals/{deal}/data", json=body(ck.request(oracle, deal, raw)),
                    headers=auth(ck.PROVIDER))
    if resp.status_code == 200:
        return 200, resp.json()["certificate"]["unsignedCertificate"]["dataHash"] == data_hash(raw)
    return error(resp)


def eventually(oracle: OracleKit, api: httpx.Client, deal: int, vp: dict[str, Any],
               expected: tuple[int, object]) -> None:
    """The answer becomes ``expected`` (the oracle reads the state before the newest block, its height cached ~1 s),
    without a restart."""
    deadline = time.monotonic() + 20
    while (answer := provide(oracle, api, deal, vp)) != expected:
        assert time.monotonic() < deadline, answer
        time.sleep(0.2)


def invalid_vp(message: str) -> tuple[int, object]:
    return 400, {"code": 3, "message": f"failed to validate VP: {message}"}


def test_an_on_chain_key_signs_until_the_did_drops_it_or_is_deactivated(
        oracle: OracleKit, api: httpx.Client, writer: DIDWriter, deal_id: int) -> None:
    holder, successor = key("holder"), key("successor")
    did = writer.create(holder)
    vp = signkit.signed_vp(holder, f"{did}#key1", ISSUER, f"{ISSUER_DID}#key1")
    assert provide(oracle, api, deal_id, vp) == (200, True)

    document = key_document(successor.public_key(), "key2")  # key1 dropped, key2 (another key) instead
    document.id = did
    document.verification_methods[0].id = document.authentications[0].verification_method_id = f"{did}#key2"
    document.verification_methods[0].controller = did
    writer.update(holder, "key1", document)
    eventually(oracle, api, deal_id, vp, invalid_vp(
        f"presentation: verification method {did}#key1 is not in the DID document of {did}"))
    resigned = signkit.signed_vp(successor, f"{did}#key2", ISSUER, f"{ISSUER_DID}#key1")
    assert provide(oracle, api, deal_id, resigned) == (200, True)

    writer.deactivate(successor, "key2", did)
    eventually(oracle, api, deal_id, resigned, invalid_vp(f"presentation: {did} is deactivated"))


def test_the_holder_must_be_the_signing_keys_did(oracle: OracleKit, api: httpx.Client, writer: DIDWriter,
                                                deal_id: int) -> None:
    holder = key("honest")
    did = writer.create(holder)
    claimed = signkit.signed_vp(holder, f"{did}#key1", ISSUER, f"{ISSUER_DID}#key1", holder=ISSUER_DID)
    assert provide(oracle, api, deal_id, claimed) == invalid_vp(
        f"presentation: verification method {did}#key1 does not belong to {ISSUER_DID}")
    # a VC signed by the holder's authentication key for an issuer it is not
    forged = signkit.signed_vp(holder, f"{did}#key1", holder, f"{did}#key1", issuer=ISSUER_DID)
    assert provide(oracle, api, deal_id, forged) == invalid_vp(
        f"credential 0: verification method {did}#key1 does not belong to {ISSUER_DID}")
    # the issuer's own DID, but not an assertion key of it: the holder's authentication key is no issuer's key
    not_assertion = signkit.signed_vp(holder, f"{did}#key1", holder, f"{did}#key1")
    assert provide(oracle, api, deal_id, not_assertion) == invalid_vp(
        f"credential 0: verification method {did}#key1 is not authorised for assertionMethod")
    absent = did_for_key(key("nobody").public_key())
    assert provide(oracle, api, deal_id, signkit.signed_vp(holder, f"{absent}#key1", ISSUER, f"{ISSUER_DID}#key1")) \
        == invalid_vp(f"presentation: {absent} is not found")


def test_a_faulty_node_is_no_invalid_vp(oracle: OracleKit, node: Node, writer: DIDWriter, deal_id: int,
                                        tmp_path: Path) -> None:
    holder = key("faulty")
    did = writer.create(holder)
    vp = signkit.signed_vp(holder, f"{did}#key1", ISSUER, f"{ISSUER_DID}#key1")

    def did_reads(method: str, params: JSON, body: JSON) -> JSON:
        if method != "abci_query" or params.get("path") != keys.store_path(keys.DID):
            return body
        if mode == "fail":
            raise RpcFault("the store is unavailable")
        if params["prove"]:
            op = body["result"]["response"]["proofOps"]["ops"][0]
            data = bytearray(base64.b64decode(op["data"]))
            data[-1] ^= 1  # a sibling hash
            op["data"] = base64.b64encode(bytes(data)).decode()
        return body

    mode = "tamper"
    with proxy(node.rpc) as (p, url):
        p.tamper = did_reads
        base = oracle_config(oracle, node, free_port())
        config = replace(base, data_dir=str(tmp_path), panacea=replace(base.panacea, rpc_addr=url))
        root = oracle.home.trust_root()
        assert root is not None
        OracleHome(oracle.home.root, config).write_trust_root(*root)  # the trust root lives in the data dir
        with OracleThread(oracle.home.root, config) as s, httpx.Client(base_url=s.url, timeout=30) as api:
            status, answer = provide(oracle, api, deal_id, vp)
            assert status == 502 and isinstance(answer, dict), answer
            assert re.fullmatch(
                rf"failed to validate VP: presentation: chain answer failed verification: the proof of did key "
                rf"{keys.did_key(did).hex()} does not verify against app hash [0-9A-F]{{64}} of block \d+",
                answer["message"]), answer
            mode = "fail"
            status, answer = provide(oracle, api, deal_id, vp)
            assert (status, answer) == (503, {  # the node's RPC error text, as for any read
                "code": 14, "message": "failed to validate VP: presentation: Internal error: the store is unavailable"})

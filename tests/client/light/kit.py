"""Light-client test kit: JSON-RPC servers on 127.0.0.1 — a tampering proxy in front of a real node, and a node
serving a synthetic chain (validator sets of our choosing, real ed25519 commits) — plus forged light blocks."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from panacea.client import ChainClient
from panacea.client.light.verifier import LightBlock
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.node.engine.privval import Ed25519Key
from panacea.types.cometbft.types import (
    BLOCK_ID_FLAG_COMMIT,
    PRECOMMIT_TYPE,
    BlockID,
    Commit,
    CommitSig,
    Header,
    PartSetHeader,
    Validator,
    validators_hash,
    vote_sign_bytes,
)
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

JSON = dict[str, Any]
Handler = Callable[[str, JSON], JSON]
"""(method, params) → the JSON-RPC ``result``; raise RpcFault for an ``error`` answer."""
T0 = 1_700_000_000 * 10**9
HOUR = 3600 * 10**9


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def key(label: str) -> Ed25519Key:
    return Ed25519Key(sha(f"validator/{label}".encode()))


class RpcFault(Exception):
    """Answer with a JSON-RPC error object (as CometBFT: code -32603, "Internal error", data)."""

    def __init__(self, data: str) -> None:
        super().__init__(data)
        self.data = data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    handler: Handler


class _Request(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        try:
            answer: JSON = {"jsonrpc": "2.0", "id": body["id"],
                            "result": self.server.handler(body["method"], body.get("params") or {})}
        except RpcFault as e:
            answer = {"jsonrpc": "2.0", "id": body["id"],
                      "error": {"code": -32603, "message": "Internal error", "data": e.data}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def serve_rpc(handler: Handler) -> Iterator[str]:
    """A JSON-RPC server on a free 127.0.0.1 port answering with ``handler``; yields its tcp:// address."""
    server = _Server(("127.0.0.1", 0), _Request)
    server.handler = handler
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


Tamper = Callable[[str, JSON, JSON], JSON]
"""(method, params, the node's JSON-RPC body) → the body to answer with."""


@dataclass
class Proxy:
    """Forwards every call to the node at ``upstream`` (tcp://host:port) and lets ``tamper`` rewrite answers."""

    upstream: str
    tamper: Tamper | None = None
    calls: list[tuple[str, JSON]] = field(default_factory=list)

    def handle(self, method: str, params: JSON) -> JSON:
        self.calls.append((method, params))
        request = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
        url = "http://" + self.upstream.removeprefix("tcp://") + "/"
        with urllib.request.urlopen(urllib.request.Request(url, request, {"Content-Type": "application/json"})) as r:
            body: JSON = json.loads(r.read())
        if self.tamper is not None:
            body = self.tamper(method, params, body)
        if body.get("error") is not None:
            raise RpcFault(str(body["error"].get("data", "")))
        result: JSON = body["result"]
        return result


@contextmanager
def proxy(upstream: str) -> Iterator[tuple[Proxy, str]]:
    """A tampering proxy in front of ``upstream``: (the proxy, its address)."""
    p = Proxy(upstream)
    with serve_rpc(p.handle) as url:
        yield p, url


# --- synthetic chains ---------------------------------------------------------------------------------------
def sign_block(chain_id: str, header: Header, validators: Sequence[Validator], keys: dict[bytes, Ed25519Key],
               signers: set[bytes] | None = None, *, round_: int = 0) -> LightBlock:
    """``header`` with a commit signed by the ``signers`` (addresses; default all) among ``validators``."""
    block_id = BlockID(header.hash(), PartSetHeader(1, sha(b"parts" + header.hash())))
    sigs = []
    for v in validators:
        if signers is not None and v.address not in signers:
            sigs.append(CommitSig.absent())
            continue
        time_ns = header.time_ns + 500_000_000
        message = vote_sign_bytes(chain_id, PRECOMMIT_TYPE, header.height, round_, block_id, time_ns)
        sigs.append(CommitSig(BLOCK_ID_FLAG_COMMIT, v.address, time_ns, keys[v.address].sign(message)))
    return LightBlock(header, Commit(header.height, round_, block_id, tuple(sigs)), tuple(validators))


@dataclass
class Chain:
    """Light blocks 1..n of a made-up chain: block h is signed by all of ``sets[h-1]`` (equal powers)."""

    chain_id: str
    blocks: list[LightBlock]
    keys: dict[bytes, Ed25519Key]

    def __getitem__(self, height: int) -> LightBlock:
        return self.blocks[height - 1]

    @property
    def root(self) -> tuple[int, bytes]:
        return 1, self.blocks[0].hash

    def handler(self, served: list[int] | None = None, latest: int | None = None) -> Handler:
        """JSON-RPC ``commit``, ``validators`` and ``header`` over these blocks (``latest``: the newest served);
        the heights asked for by ``commit`` are appended to ``served``."""
        def handle(method: str, params: JSON) -> JSON:
            top = latest or len(self.blocks)
            height = int(params.get("height") or top)
            if not 1 <= height <= top:
                raise RpcFault(f"height {height} must be less than or equal to the current blockchain height {top}")
            block = self[height]
            if method == "commit":
                if served is not None:
                    served.append(height)
                return {"signed_header": {"header": block.header.to_json(), "commit": block.commit.to_json()},
                        "canonical": True}
            if method == "header":
                return {"header": block.header.to_json()}
            if method == "validators":
                page, per_page = int(params.get("page", "1")), int(params.get("per_page", "30"))
                vals = block.validators[(page - 1) * per_page : page * per_page]
                return {"block_height": str(height), "validators": [v.to_json() for v in vals],
                        "count": str(len(vals)), "total": str(len(block.validators))}
            raise RpcFault(f"method {method} not served")
        return handle


def make_chain(sets: Sequence[Sequence[str]], *, chain_id: str = "synthetic", power: int = 10,
               start_ns: int = T0, step_ns: int = 10**9) -> Chain:
    """Block h (1-based) has validators ``sets[h-1]`` (key labels); times ``start_ns + h * step_ns``."""
    keys = {key(label).address: key(label) for labels in sets for label in labels}
    vals = [tuple(Validator(key(label).pub_key, power) for label in labels) for labels in sets]
    blocks: list[LightBlock] = []
    last_id = BlockID()
    for h, validators in enumerate(vals, start=1):
        nxt = vals[h] if h < len(vals) else validators
        header = Header(chain_id, h, start_ns + h * step_ns, last_id, sha(b"lc%d" % h), sha(b""),
                        validators_hash(validators), validators_hash(nxt), sha(b"consensus"), sha(b"app%d" % h),
                        sha(b""), sha(b""), validators[0].address)
        block = sign_block(chain_id, header, validators, keys)
        blocks.append(block)
        last_id = block.commit.block_id
    return Chain(chain_id, blocks, keys)


# --- chain state to read back -------------------------------------------------------------------------------
def deal_msg(consumer: PrivateKey, schema: str = "https://schemas.test/x.json") -> deal_tx.MsgCreateDeal:
    """MsgCreateDeal of ``consumer``'s: 10 data at most, one required agreement term."""
    return deal_tx.MsgCreateDeal(
        data_schema=[schema], budget=coin_pb2.Coin(denom="umed", amount="10000"), max_num_data=10,
        consumer_address=consumer.bech32(), consumer_service_endpoint="https://consumer.test",
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="share", description="my data")])


def deal_and_consent(client: ChainClient, *, consumer: PrivateKey, provider: PrivateKey, oracle_address: str,
                     unique_id: str, oracle_key: PrivateKey, data_hash: str = "ab" * 32) -> int:
    """A deal of ``consumer``'s and a consent of ``provider``'s to it, the certificate signed with the chain's oracle
    key (params ``oracle_public_key``; digest sha256); returns the deal id once a block proves the state after it."""
    resp = client.wallet(consumer).send([deal_msg(consumer)])
    assert resp.ok, resp.raw_log
    deal_id = max(d.id for d in client.deals())
    unsigned = consent_pb2.UnsignedCertificate(unique_id=unique_id, oracle_address=oracle_address, deal_id=deal_id,
                                               provider_address=provider.bech32(), data_hash=data_hash)
    certificate = consent_pb2.Certificate(unsigned_certificate=unsigned, signature=sign_message(
        oracle_key, unsigned.SerializeToString(deterministic=True), SignatureMode.SHA256))
    consent = consent_pb2.Consent(deal_id=deal_id, certificate=certificate,
                                  agreements=[consent_pb2.Agreement(term_id=1, agreement=True)])
    resp = client.wallet(provider).send([deal_tx.MsgSubmitConsent(consent=consent)])
    assert resp.ok, resp.raw_log
    while client.status().latest_height <= resp.height:  # header resp.height + 1 proves the state after it
        time.sleep(0.05)
    return deal_id

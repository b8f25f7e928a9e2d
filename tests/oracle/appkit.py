"""The oracle app and a real consumerd app, both under uvicorn on loopback ports, against the oracle kit's node;
plus what a provider and a consumer send over HTTP."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import uvicorn

from panacea.crypto.keys import PrivateKey
from panacea.oracle.app import create_app
from panacea.oracle.config import Duration, OracleConfig
from panacea.oracle.ratelimit import Clock
from panacea.oracle.schemas import SchemaRegistry
from panacea.oracle.validate import ValidateDataRequest
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2
from tests.client import nodekit
from tests.consumer.kit import ServiceThread, bearer, token
from tests.oracle import chainkit as ck
from tests.oracle.kit import ORACLE_ACCOUNT, ORACLE_ADDRESS, OracleKit

BODY_LIMIT = 65536


def oracle_config(oracle: OracleKit, node: nodekit.Node, port: int, **api: object) -> OracleConfig:
    """The kit's config pointed at the node, offline schemas (the test schema registered), one upload attempt (no
    retry wait) and a 64 KiB body limit."""
    registry = SchemaRegistry(oracle.home.schemas_dir)
    if ck.SCHEMA_URI not in registry.index():
        registry.add(ck.SCHEMA_URI, json.dumps(ck.SCHEMA).encode())
    trust_node(oracle, node)
    cfg = oracle.home.config
    return replace(cfg, panacea=replace(cfg.panacea, rpc_addr=node.rpc, light_client_primary_addr=node.rpc),
                   schemas=replace(cfg.schemas, fetch=False),
                   api=replace(cfg.api, listen_addr=f"127.0.0.1:{port}", max_request_body_size=BODY_LIMIT, **api),
                   consumer=replace(cfg.consumer, upload_deadline=Duration(0)))


def trust_node(oracle: OracleKit, node: nodekit.Node) -> None:
    """Record the node's block 1 as the oracle's trust root (verified reads start there), once."""
    if oracle.home.trust_root() is None:
        with node.client() as client:
            block_id = client.block(1)["block_id"]["hash"]
        oracle.home.write_trust_root(1, bytes.fromhex(block_id))


class OracleThread(ServiceThread):
    """The oracle app (one worker) in a thread of the test process; the oracle account is the kit's."""

    def __init__(self, home: Path, config: OracleConfig, clock: Clock = time.monotonic_ns) -> None:  # not super()
        self.app = create_app(home, config, account=nodekit.key(ORACLE_ACCOUNT), clock=clock)
        self.url = f"http://127.0.0.1:{config.api.listen_addr.rsplit(':', 1)[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=int(self.url.rsplit(":", 1)[1]),
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)


def auth(signer: PrivateKey, **kw: object) -> dict[str, str]:
    """A fresh secure-profile token of ``signer`` for this oracle (aud = its account unless given)."""
    kw.setdefault("audience", ORACLE_ADDRESS)
    return bearer(token(signer, **kw))  # type: ignore[arg-type]


def body(req: ValidateDataRequest, field: str = "encrypted_data") -> dict[str, str]:
    """The ValidateData JSON of a request."""
    return {"provider_address": req.provider_address, field: base64.b64encode(req.encrypted_data).decode(),
            "data_hash": req.data_hash}


def certificate(doc: dict[str, object]) -> consent_pb2.Certificate:
    """The chain's Certificate back from the gateway JSON."""
    cert = doc["certificate"]
    assert isinstance(cert, dict)
    u = cert["unsignedCertificate"]
    return consent_pb2.Certificate(
        unsigned_certificate=consent_pb2.UnsignedCertificate(
            unique_id=u["uniqueId"], oracle_address=u["oracleAddress"], deal_id=int(u["dealId"]),
            provider_address=u["providerAddress"], data_hash=u["dataHash"]),
        signature=base64.b64decode(cert["signature"]))


def error(resp: httpx.Response) -> tuple[int, object]:
    """The status and JSON body of an error answer."""
    assert resp.headers["content-type"] == "application/json", resp.text
    return resp.status_code, resp.json()

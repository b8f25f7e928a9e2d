"""The consumer service's test kit: a real embedded node with deals created through ChainClient, consumerd
apps served by uvicorn on loopback ports (in a thread, or as ``consumerd start`` processes), JWT makers and a
MinIO server for the S3 backend."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import uvicorn

from panacea.client import ChainClient
from panacea.consumer.app import HOME_ENV, create_app
from panacea.consumer.config import ConsumerConfig, write_config
from panacea.crypto import jwt
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx
from tests.client.nodekit import ORACLE_SHARED_KEY, free_port, key

CONSUMER = key("consumer")
OTHER = key("other")  # funded, with a pubkey once it sent a tx
STALE = key("stale")  # funded, never signs: no pubkey on chain
ORACLE_ACCOUNT = key("oracle")
SECOND = 1_000_000_000
ROOT = Path(__file__).resolve().parents[2]


def token(signer: PrivateKey, *, seconds: int = 10, issuer: str | None = None, jti: str | None = "fresh",
          audience: str | None = None, now: int | None = None) -> str:
    """A JWT like the oracle's (§2.6) or a consumer's; ``jti="fresh"`` draws a new random one."""
    return jwt.issue(signer, seconds * SECOND, now=now, issuer=issuer, audience=audience,
                     jti=secrets.token_hex(8) if jti == "fresh" else jti)


def oracle_token(**kw: object) -> str:
    """An upload token: signed with the shared oracle key, iss the oracle's account (§2.6)."""
    return token(ORACLE_SHARED_KEY, issuer=ORACLE_ACCOUNT.bech32(), **kw)  # type: ignore[arg-type]


def bearer(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


def create_deal(client: ChainClient, consumer: PrivateKey = CONSUMER, endpoint: str = "http://127.0.0.1:1") -> int:
    """A real deal through ChainClient; its id."""
    msg = deal_tx.MsgCreateDeal(
        data_schema=["https://schema.example/consumer.json"], budget=coin_pb2.Coin(denom="umed", amount="100000"),
        max_num_data=10, consumer_address=consumer.bech32(), consumer_service_endpoint=endpoint,
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="t", description="d")])
    res = client.wallet(consumer).send([msg])
    assert res.ok, res.raw_log
    return max(d.id for d in client.deals() if d.consumer_address == consumer.bech32())


def deactivate_deal(client: ChainClient, deal_id: int, consumer: PrivateKey = CONSUMER) -> None:
    res = client.wallet(consumer).send([deal_tx.MsgDeactivateDeal(deal_id=deal_id,
                                                                  requester_address=consumer.bech32())])
    assert res.ok, res.raw_log


def service_config(node_rpc: str, port: int, **kw: object) -> ConsumerConfig:
    return replace(ConsumerConfig(), listen_addr=f"127.0.0.1:{port}", node=node_rpc,
                   chain_refresh_seconds=0.05, **kw)  # type: ignore[arg-type]


class ServiceThread:
    """A consumerd app under uvicorn in a thread of the test process (one worker)."""

    def __init__(self, home: Path, config: ConsumerConfig) -> None:
        self.home, self.config = home, config
        self.app = create_app(home, config)
        self.url = f"http://127.0.0.1:{config.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=config.port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServiceThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("consumerd app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class ServiceProcess:
    """``consumerd start`` as its own process (N uvicorn workers), stopped with SIGINT."""

    def __init__(self, home: Path, config: ConsumerConfig) -> None:
        write_config(home, config)
        self.home, self.config = home, config
        self.url = f"http://127.0.0.1:{config.port}"
        self.log = home / "consumerd.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServiceProcess:
        env = {**os.environ, HOME_ENV: str(self.home), "PYTHONUNBUFFERED": "1"}
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "panacea.cli.consumerd", "start"], env=env,
                                         stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/openapi.json", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"consumerd did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def __exit__(self, *_exc: object) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


__all__ = ["ORACLE_SHARED_KEY", "free_port"]

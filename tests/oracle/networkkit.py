"""Oracle networks of real ``oracled start`` processes (HTTP worker + event follower) on the embedded node."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx

from panacea.client.keyring import Keyring
from panacea.oracle.config import OracleConfig, to_toml
from panacea.oracle.home import OracleHome
from panacea.oracle.schemas import SchemaRegistry
from tests.client import nodekit
from tests.client.nodekit import Node
from tests.oracle import chainkit as ck

ROOT = Path(__file__).resolve().parents[2]
COMMISSION = ("--oracle-commission-rate", "0.1", "--oracle-commission-max-rate", "0.3",
              "--oracle-commission-max-change-rate", "0.01")


def serving(home: OracleHome, node: Node, port: int, account: str) -> OracleConfig:
    """The home's config made to serve on ``port`` against ``node``: the account in its test keyring, the test
    schema registered, the loopback consumer service allowed."""
    ring = Keyring(home.root, "test")
    if "oracle" not in {k.name for k in ring.list()}:  # joining homes have it already
        ring.import_private_key("oracle", nodekit.key(account).to_hex())
    registry = SchemaRegistry(home.schemas_dir)
    if ck.SCHEMA_URI not in registry.index():
        registry.add(ck.SCHEMA_URI, json.dumps(ck.SCHEMA).encode())
    cfg = home.config
    config = replace(cfg, keyring_backend="test", oracle_key_name="oracle",
                     panacea=replace(cfg.panacea, rpc_addr=node.rpc, light_client_primary_addr=node.rpc),
                     api=replace(cfg.api, listen_addr=f"127.0.0.1:{port}", workers=1),
                     schemas=replace(cfg.schemas, fetch=False), ssrf=replace(cfg.ssrf, allow=("127.0.0.0/8",)))
    home.config_file.write_text(to_toml(config))
    return config


@contextmanager
def oracled(home: OracleHome, config: OracleConfig, pythonpath: Path | None = None) -> Iterator[str]:
    """``oracled start`` (HTTP worker + event follower) until the block ends; its URL. ``pythonpath``: run another
    version of the code (a copy of the package there)."""
    url = f"http://{config.api.listen_addr}"
    log = home.root / "oracled.log"
    env = {k: v for k, v in os.environ.items() if k != "ORACLE_MNEMONIC"} | {"PYTHONUNBUFFERED": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "panacea.cli.oracled", "start", "--home", str(home.root)],
                                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=pythonpath or ROOT)
    try:
        deadline = time.monotonic() + 60
        while not connected(url):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def connected(url: str) -> bool:
    """The API answers and its event follower is subscribed."""
    try:
        status = httpx.get(url + "/v0/status", timeout=2).json()
    except (httpx.HTTPError, ValueError):
        return False
    follower = status.get("follower")
    return bool(follower and follower["connected"])


def status(url: str) -> dict[str, object]:
    doc: dict[str, object] = httpx.get(url + "/v0/status", timeout=5).json()
    return doc



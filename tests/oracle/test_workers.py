"""``oracled start`` as a real process with two uvicorn workers: a token's jti is spent once across the workers
and across a restart (the replay cache is the home's LMDB store, not process memory)."""

from __future__ import annotations

import os
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
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.oracle import chainkit as ck
from tests.oracle.appkit import auth, body, error, oracle_config
from tests.oracle.kit import ORACLE_ACCOUNT, OracleKit

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def oracled(home: Path, config: OracleConfig) -> Iterator[str]:
    """``oracled start --home HOME`` with ``config`` (account from the home's test keyring), stopped with SIGINT."""
    (home / "config.toml").write_text(to_toml(config))
    url = f"http://{config.api.listen_addr}"
    log = home / "oracled.log"
    env = {k: v for k, v in os.environ.items() if k != "ORACLE_MNEMONIC"} | {"PYTHONUNBUFFERED": "1"}
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "panacea.cli.oracled", "start", "--home", str(home)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oracled did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(2)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_replay_rejected_across_two_workers_and_a_restart(oracle: OracleKit, node: Node) -> None:
    root = oracle.home.root
    Keyring(root, "test").import_private_key("oracle", nodekit.key(ORACLE_ACCOUNT).to_hex())
    config = oracle_config(oracle, node, free_port(), workers=2)
    config = replace(config, keyring_backend="test", oracle_key_name="oracle",
                     consumer=replace(config.consumer, upload_deadline=OracleConfig().consumer.upload_deadline))
    ck.register_pubkey(node, ck.PROVIDER)
    missing = 2**40  # no such deal: the token is verified (and its jti spent) before the deal is read
    path = f"/v0/data-deal/deals/{missing}/data"
    doc = body(ck.request(oracle, missing))
    tokens = [auth(ck.PROVIDER, seconds=120) for _ in range(16)]
    answers = []
    with oracled(root, config) as url:
        for headers in tokens:
            for _ in range(2):  # a new connection each time, so the kernel spreads them over both workers
                with httpx.Client(base_url=url, timeout=30) as http:
                    answers.append(error(http.post(path, json=doc, headers=headers)))
        assert (root / "oracled.log").read_text().count("Started server process") == 2
    not_found = (404, {"code": 5, "message": f"failed to get deal. deal with ID {missing} does not exist: deal is "
                                             "not found"})
    replayed = (401, {"code": 16, "message": "jwt replay rejected. jti already used"})
    assert answers == [not_found, replayed] * 16
    with oracled(root, config) as url, httpx.Client(base_url=url, timeout=30) as http:
        assert error(http.post(path, json=doc, headers=tokens[0])) == replayed
        assert error(http.post(path, json=doc, headers=auth(ck.PROVIDER))) == not_found

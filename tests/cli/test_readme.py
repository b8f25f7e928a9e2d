"""The README's CLI examples run as written: its shell blocks of "keys and DEP helpers", "Running a node" and
"Client and CLI", line by line through bash, against a real embedded node in a temp home. Only what a block marks
as a placeholder (`<…>`, and the files consent.json / data.bin that come from an oracle) is filled in here."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from panacea.client import ChainClient, ChainClientError
from panacea.client.keyring import Keyring
from panacea.crypto import aes
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import consumer_secret_key, encrypt_for
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.node.home import Home, NodeConfig
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2
from panacea.types.protojson import to_json
from tests.client.nodekit import free_port

REPO = Path(__file__).resolve().parents[2]
ABANDON = "abandon " * 11 + "about"
ORACLE = PrivateKey(bytes([9]) * 32)
UNIQUE_ID = "readme" + "0" * 58
PASSPHRASE = "readme passphrase"

pytestmark = pytest.mark.slow  # ~30 panacead processes and a node


def blocks(section: str) -> list[str]:
    """The command lines of the ```sh blocks under the README heading SECTION."""
    text = (REPO / "README.md").read_text()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [line for block in re.findall(r"```sh\n(.*?)```", body, re.S) for line in block.splitlines() if line]


def bash(line: str, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(["bash", "-c", f"set -eo pipefail; {line}"], cwd=cwd, env=env, input=ABANDON + "\n",
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, (line, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, (line, proc.stderr)
    return proc.stdout


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    """A cwd holding a copy of examples/, as a clone's root does; .venv's panacead first on PATH."""
    assert shutil.which("panacead", path=str(Path(sys.executable).parent)), "install the package first"
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    return tmp_path


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANACEA_") or k == "PANACEA_PURE_PYTHON"}
    return {**env, "PATH": f"{Path(sys.executable).parent}:{env['PATH']}", "PANACEA_HOME": str(home), **extra}


def test_keys_and_dep_helpers_section(workdir: Path) -> None:
    lines = blocks("`panacead`: keys and DEP helpers")
    assert len(lines) == 11
    home = workdir / "home"
    env = environment(home, PANACEA_KEYRING_PASSPHRASE=PASSPHRASE)
    out: dict[str, str] = {}
    for line in lines:
        if line.startswith("panacead decrypt-data"):
            alice = Keyring(home, "file", passphrase=lambda new: PASSPHRASE).private_key("alice")
            secret = consumer_secret_key(ORACLE, 1, "ab" * 32)
            (workdir / "data.bin").write_bytes(aes.encrypt(secret, b'{"shared": true}'))
            esk = base64.b64encode(encrypt_for(ORACLE, alice.public_key(), secret)).decode()
            line = line.replace("<encrypted-secret-key>", esk)
        line = line.replace("<base64>", ORACLE.public_key().to_base64())
        assert "<" not in line.split("#")[0], line
        out[line.split("#")[0].strip()] = bash(line, workdir, env)
    address = out["panacead keys show alice -a"].strip()
    assert address.startswith("panacea1") and len(address) == 46
    assert "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc" in out["panacead keys list"]  # bob, from the mnemonic
    assert out["panacead hash-json examples/data.json"] == (
        "ca7501f31adf92bedb480ea8129de0538e8488cc74e170f9456df454f50fa47f\n")
    assert out[next(k for k in out if k.startswith("panacead decrypt-data"))] == '{"shared": true}\n'


def start(line: str, home: Path, env: dict[str, str], rpc: str, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as f:
        proc = subprocess.Popen(["bash", "-c", f"exec {line}"], env=env, stdout=f, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    with ChainClient(rpc) as client:
        while True:
            assert proc.poll() is None, log.read_text()[-2000:]
            try:
                if client.status().latest_height >= 1:
                    return proc
            except ChainClientError:
                pass
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.1)


def consent_file(path: Path, oracle: str, provider: str) -> None:
    """What the oracle hands the provider for deal 1: its certificate over the data hash, signed by the oracle key."""
    unsigned = consent_pb2.UnsignedCertificate(unique_id=UNIQUE_ID, oracle_address=oracle, deal_id=1,
                                               provider_address=provider, data_hash="cd" * 32)
    signature = sign_message(ORACLE, unsigned.SerializeToString(), SignatureMode.SHA256)
    consent = consent_pb2.Consent(deal_id=1, certificate=consent_pb2.Certificate(
        unsigned_certificate=unsigned, signature=signature), agreements=[consent_pb2.Agreement(term_id=1,
                                                                                              agreement=True)])
    path.write_text(json.dumps(to_json(consent)))


def test_running_a_node_then_the_client_and_cli_section(workdir: Path) -> None:
    lines = blocks("Running a node") + blocks("Client and CLI")
    home = workdir / "home"
    rpc_port = free_port()
    rpc = f"tcp://127.0.0.1:{rpc_port}"
    env = environment(home, PANACEA_NODE=rpc)
    node: subprocess.Popen[bytes] | None = None
    out: dict[str, str] = {}
    last_hash = ""
    try:
        for line in lines:
            command = line.split("#")[0].strip()
            line = line.replace("<unique-id>", UNIQUE_ID).replace("<b64>", ORACLE.public_key().to_base64())
            line = line.replace("<hash>", last_hash)
            if command == "panacead start":
                Home(home).write_config(NodeConfig(rpc_laddr=rpc, api_enable=False, block_interval_ms=100,
                                                   api_address=f"tcp://127.0.0.1:{free_port()}"))
                node = start(line, home, env, rpc, workdir / "node.log")
                continue
            if command.startswith("panacead tx datadeal submit-consent consent.json"):
                bob = Keyring(home, "test").find("bob").address
                consent_file(workdir / "consent.json", bob, bob)
            out[command] = bash(line, workdir, env)
            if command.startswith("panacead tx"):
                result = json.loads(out[command])
                assert result["code"] == 0, (line, result)
                last_hash = result["txhash"]
    finally:
        if node is not None and node.poll() is None:
            node.send_signal(signal.SIGINT)
            node.wait(20)
    created = json.loads(out["panacead tx datadeal create-deal examples/deal.json --from alice --gas auto"])
    assert created["deal_id"] == "1"
    deal = json.loads(out["panacead query datadeal deal 1"])["deal"]
    assert (deal["cur_num_data"], deal["status"], deal["max_num_data"]) == ("1", "DEAL_STATUS_INACTIVE", "10")
    assert json.loads(out["panacead query oracle params"])["params"]["unique_id"] == UNIQUE_ID
    assert json.loads(out["panacead query gov proposals"])["proposals"][0]["status"] == "PROPOSAL_STATUS_VOTING_PERIOD"
    assert json.loads(out["panacead query tx <hash>"])["txhash"] == last_hash
    assert json.loads(out["panacead status"])["node_info"]["network"] == "panacea-dev"

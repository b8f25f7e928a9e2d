"""The life-cycle test kit: a joining oracle's home (its own account and machine secret, the genesis oracle's
platform attestation key), a new oracle version (a modified copy of the oracle code, so another measurement),
the trusted block as ``panacead q block`` shows it, and the approval an active oracle sends — built by hand
here, as the event follower builds it (chain-reference §3.6, §3.9; oracle-reference §5)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from panacea.client import AsyncChainClient
from panacea.client.keyring import Keyring
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.signature import SignatureMode
from panacea.oracle.chain import ClientChainReader
from panacea.oracle.enclave import Enclave, SimulatedEnclave, report_data_for
from panacea.oracle.enclave.measurement import PACKAGE_ROOT, measure
from panacea.oracle.home import OracleHome
from panacea.oracle.lifecycle import Lifecycle, TrustedBlock
from panacea.types.pb.panacea.oracle.v2 import tx_pb2
from tests.client import nodekit
from tests.oracle.kit import ORACLE_ACCOUNT, ORACLE_ADDRESS, OracleKit, run_oracled, start_node_for

SRC_ROOT = PACKAGE_ROOT.parent.parent  # the directory holding the ``panacea`` package


def joining_home(root: Path, account: str, genesis: OracleKit, node: nodekit.Node) -> OracleHome:
    """``oracled init`` for the nodekit account ``account`` (test keyring) against ``node``; the attestation key is
    the genesis oracle's (one platform), the machine secret its own."""
    run_oracled(root, "init", "--chain-id", nodekit.CHAIN_ID, "--rpc-addr", node.rpc, "--keyring-backend", "test")
    Keyring(root, "test").import_private_key("oracle", nodekit.key(account).to_hex())
    home = OracleHome(root)
    src = genesis.home.file(genesis.home.config.enclave.attestation_key_file)
    dst = home.file(home.config.enclave.attestation_key_file)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return home


def new_version(root: Path) -> Path:
    """A copy of the ``panacea`` package whose oracle code differs by one comment: another unique ID. Returns the
    directory to put on PYTHONPATH (its ``panacea/oracle`` is the code root to measure)."""
    shutil.copytree(SRC_ROOT / "panacea", root / "panacea", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    init = root / "panacea" / "oracle" / "__init__.py"
    init.write_text(init.read_text() + "# oracle version 2 (test)\n")
    return root


def version_unique_id(src_root: Path) -> str:
    """The unique ID the copy at ``src_root`` measures to."""
    return measure(src_root / "panacea" / "oracle").hex()


def version_enclave(home: OracleHome, src_root: Path) -> Enclave:
    """The home's simulated enclave as the code at ``src_root`` would open it (same key and secret files)."""
    base = home.open_enclave()
    assert isinstance(base, SimulatedEnclave)
    cfg = home.config.enclave
    return SimulatedEnclave(PrivateKey(home.file(cfg.attestation_key_file).read_bytes()),
                            home.file(cfg.machine_secret_file).read_bytes(), code_root=src_root / "panacea" / "oracle")


def start_node_with(oracle: OracleKit, root: Path, edit: Callable[[dict[str, Any]], None]) -> nodekit.Node:
    """:func:`start_node_for` with ``edit`` applied to the genesis ``app_state`` first (upgrade info, gov params)."""
    original = nodekit.make_home

    def make_home(home: Path, rpc_port: int) -> None:
        original(home, rpc_port)
        path = home / "config" / "genesis.json"
        doc = json.loads(path.read_text())
        edit(doc["app_state"])
        path.write_text(json.dumps(doc))

    with mock.patch.object(nodekit, "make_home", make_home):
        return start_node_for(oracle, root)


def start_gov_node(oracle: OracleKit, root: Path) -> nodekit.Node:
    """:func:`start_node_for` with a 1 s voting period (governance tests)."""
    def short_votes(app_state: dict[str, Any]) -> None:
        app_state["gov"]["voting_params"]["voting_period"] = "1s"

    return start_node_with(oracle, root, short_votes)


def schedule_oracle_upgrade(node: nodekit.Node, unique_id: str, height: int) -> int:
    """Governance through ``panacead``: the oracle-upgrade proposal (deposit), the validator voter's yes, then the
    tally at the end of the voting period (the upgrade info is set); the proposal id."""
    keys = ["--home", str(node.home), "--keyring-backend", "test", "--node", node.rpc, "--chain-id", nodekit.CHAIN_ID]
    nodekit.cli("tx", "gov", "submit-proposal", "oracle-upgrade", "--upgrade-unique-id", unique_id,
                "--upgrade-height", str(height), "--title", "oracle v2", "--description", "move to oracle v2",
                "--deposit", "10000000umed", "--from", "voter", *keys)
    with node.client() as c:
        proposal_id = c.proposals()[-1].proposal_id
        nodekit.cli("tx", "gov", "vote", str(proposal_id), "yes", "--from", "voter", *keys)
        deadline = time.monotonic() + 60
        while c.upgrade_info() is None:
            assert time.monotonic() < deadline, "the proposal did not pass"
            time.sleep(0.2)
    return proposal_id


def block_flags(node: nodekit.Node) -> list[str]:
    """``--trusted-block-height H --trusted-block-hash X`` read as an operator does, with ``panacead query block``."""
    doc = json.loads(nodekit.cli("query", "block", "--node", node.rpc))
    return ["--trusted-block-height", doc["block"]["header"]["height"], "--trusted-block-hash", doc["block_id"]["hash"]]


def trusted_block(node: nodekit.Node) -> TrustedBlock:
    flags = block_flags(node)
    return TrustedBlock.parse(int(flags[1]), flags[3])


@asynccontextmanager
async def lifecycle(home: OracleHome, node: nodekit.Node, enclave: Enclave | None = None) -> AsyncIterator[Lifecycle]:
    """What ``oracled`` commands run the flows with, over the home's account (and optionally another enclave)."""
    async with AsyncChainClient(node.rpc, nodekit.CHAIN_ID) as client:
        yield Lifecycle(home, enclave or home.open_enclave(), ClientChainReader(client),
                        client.wallet(home.oracle_account()), home.config.panacea.default_fee_amount)


def _approval(genesis: OracleKit, target: str, target_unique_id: str, node_pub_key: bytes,
              report: bytes) -> tuple[tx_pb2.ApprovalSharingOracleKey, bytes]:
    """What an active oracle checks and signs: the report is this platform's for ``target_unique_id`` over the
    node key; the oracle key encrypted for the node key; the signature with the oracle key (sha256 digest)."""
    node_pub = PublicKey.from_bytes(node_pub_key)
    genesis.enclave.verify_report(report, report_data_for(node_pub), bytes.fromhex(target_unique_id))
    approval = tx_pb2.ApprovalSharingOracleKey(
        approver_unique_id=genesis.enclave.identity().unique_id_hex, approver_oracle_address=ORACLE_ADDRESS,
        target_unique_id=target_unique_id, target_oracle_address=target,
        encrypted_oracle_priv_key=genesis.key.share_with(node_pub))
    return approval, genesis.key.sign(approval.SerializeToString(deterministic=True), SignatureMode.SHA256)



async def approve_registration(node: nodekit.Node, genesis: OracleKit, target: str) -> None:
    """MsgApproveOracleRegistration of ``target``'s registration for the genesis oracle's unique ID."""
    uid = genesis.enclave.identity().unique_id_hex
    async with AsyncChainClient(node.rpc, nodekit.CHAIN_ID) as client:
        reg = await client.oracle_registration(uid, target)
        approval, signature = _approval(genesis, target, uid, reg.node_pub_key, reg.node_pub_key_remote_report)
        resp = await client.wallet(nodekit.key(ORACLE_ACCOUNT)).send([tx_pb2.MsgApproveOracleRegistration(
            approval_sharing_oracle_key=approval, signature=signature)])
        assert resp.ok, resp.raw_log


async def approve_upgrade(node: nodekit.Node, genesis: OracleKit, target: str) -> None:
    """MsgApproveOracleUpgrade of ``target``'s upgrade to the scheduled unique ID, by the current version."""
    async with AsyncChainClient(node.rpc, nodekit.CHAIN_ID) as client:
        info = await client.upgrade_info()
        assert info is not None
        up = await client.oracle_upgrade(info.unique_id, target)
        approval, signature = _approval(genesis, target, info.unique_id, up.node_pub_key, up.node_pub_key_remote_report)
        resp = await client.wallet(nodekit.key(ORACLE_ACCOUNT)).send([tx_pb2.MsgApproveOracleUpgrade(
            approval_sharing_oracle_key=approval, signature=signature)])
        assert resp.ok, resp.raw_log


class OracledProcess:
    """``python -m panacea.cli.oracled --home HOME ARGS`` as a child process (no terminal: stdin is /dev/null);
    its stderr lines are collected by a thread so the test can wait for one without blocking forever."""

    def __init__(self, home: Path, *args: str, pythonpath: Path | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if pythonpath is not None:
            env["PYTHONPATH"] = str(pythonpath)
        self.proc = subprocess.Popen([sys.executable, "-m", "panacea.cli.oracled", "--home", str(home), *args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env, cwd=pythonpath)
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)
        self.lines.put("")  # EOF

    def wait_for(self, needle: str, timeout: float = 120.0) -> str:
        """The first stderr line containing ``needle`` (fails at EOF or after ``timeout`` seconds)."""
        while True:
            line = self.lines.get(timeout=timeout)
            self.stderr.append(line)
            assert line, f"oracled exited without {needle!r}: {''.join(self.stderr)}"
            if needle in line:
                return line

    def finish(self, timeout: float = 120.0) -> tuple[int, str, str]:
        """Exit code, stdout and the whole stderr once the process ended."""
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()
        code = self.proc.wait(timeout)
        self._reader.join(timeout)
        while not self.lines.empty():
            self.stderr.append(self.lines.get())
        return code, out, "".join(self.stderr)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

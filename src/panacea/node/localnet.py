"""A local N-validator chain on loopback: N real CometBFT nodes, each with its own app process (spec §2.3).

Layout of ``DIR``::

    DIR/localnet.json        chain_id, and per validator: home, node id, p2p/rpc/abci/api ports
    DIR/keyring-test/        validator0… (gov voters) and test0… (funded) keys, clear text (test backend)
    DIR/node<i>/             CometBFT home and panacea Home of validator i (app.toml, data/application)
    DIR/node<i>/app.log, cometbft.log
    DIR/pids.json            processes of a localnet started in the background (`dep localnet --start`)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panacea.chain.app import App
from panacea.chain.genesis import add_account, add_validator_voter
from panacea.chain.store import Store
from panacea.client.keyring import Keyring
from panacea.node.abci import comet
from panacea.node.abci.comet import NodePorts
from panacea.node.home import Home, NodeConfig
from panacea.node.rpc.api import RpcError
from panacea.types.coins import Coin

MANIFEST = "localnet.json"
PIDS = "pids.json"
DEFAULT_CHAIN_ID = "panacea-localnet"
TEST_FUNDS = 10**15
VALIDATOR_POWER = 1  # what `cometbft testnet` gives every validator

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class LocalnetNode:
    index: int
    home: Path
    node_id: str
    ports: NodePorts

    @property
    def name(self) -> str:
        return f"node{self.index}"

    @property
    def peer(self) -> str:
        return f"{self.node_id}@127.0.0.1:{self.ports.p2p}"


@dataclass(frozen=True)
class Localnet:
    dir: Path
    chain_id: str
    nodes: list[LocalnetNode]

    @property
    def keyring(self) -> Keyring:
        return Keyring(self.dir, "test")

    def to_json(self) -> dict[str, Any]:
        return {"chain_id": self.chain_id, "validators": [
            {"index": n.index, "home": n.home.name, "node_id": n.node_id, "p2p": n.ports.p2p, "rpc": n.ports.rpc,
             "abci": n.ports.abci, "api": n.ports.api} for n in self.nodes]}


def free_ports(n: int) -> list[int]:
    """n distinct loopback ports that were free a moment ago (all held open until every one is chosen)."""
    socks: list[socket.socket] = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _default_app_state() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
        return App(store).default_genesis()


def create_localnet(directory: str | Path, validators: int = 4, *, chain_id: str = DEFAULT_CHAIN_ID,
                    base_port: int | None = None, test_keys: int = 3, log: Log = _quiet,
                    edit_genesis: Callable[[dict[str, Any]], None] | None = None) -> Localnet:
    """Lay out a new localnet; validator i uses ports B+10i (p2p, rpc, abci, api = +0..+3) or free ports.

    ``edit_genesis`` may add to the app_state (accounts, oracle params) before it is written."""
    if validators < 1:
        raise ValueError("a localnet needs at least 1 validator")
    root = Path(directory).expanduser().resolve()
    if (root / MANIFEST).exists():
        raise ValueError(f"{root} already holds a localnet ({MANIFEST}); remove it or use another --dir")
    if root.exists() and any(root.iterdir()):
        raise ValueError(f"{root} exists and is not empty")
    created = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    try:
        return _create(root, validators, chain_id, base_port, test_keys, log, edit_genesis)
    except BaseException:
        if created:
            shutil.rmtree(root, ignore_errors=True)
        else:
            for child in root.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise


def _create(root: Path, validators: int, chain_id: str, base_port: int | None, test_keys: int, log: Log,
            edit_genesis: Callable[[dict[str, Any]], None] | None) -> Localnet:
    log(f"creating {validators} CometBFT validator homes in {root} (cometbft testnet)")
    homes = comet.testnet(root, validators)
    if base_port is None:
        flat = free_ports(4 * validators)
        ports = [NodePorts(*flat[4 * i : 4 * i + 4]) for i in range(validators)]
    else:
        ports = [NodePorts(base_port + 10 * i, base_port + 10 * i + 1, base_port + 10 * i + 2,
                           base_port + 10 * i + 3) for i in range(validators)]
    nodes = [LocalnetNode(i, homes[i], comet.node_id(homes[i]), ports[i]) for i in range(validators)]

    log("creating keys (keyring-test) and the genesis app_state")
    keyring = Keyring(root, "test")
    app_state = _default_app_state()
    for i in range(validators):
        info = keyring.add(f"validator{i}").info
        add_account(app_state, info.address, [Coin("umed", TEST_FUNDS)])
        add_validator_voter(app_state, info.address, VALIDATOR_POWER)
    for j in range(test_keys):
        info = keyring.add(f"test{j}").info
        add_account(app_state, info.address, [Coin("umed", TEST_FUNDS)])
    if edit_genesis is not None:
        edit_genesis(app_state)
    comet.write_genesis(homes[0], chain_id=chain_id, app_state=app_state)
    for home in homes[1:]:
        shutil.copyfile(homes[0] / "config" / "genesis.json", home / "config" / "genesis.json")

    for node in nodes:
        peers = [other.peer for other in nodes if other.index != node.index]
        comet.configure_node(node.home, node.ports, persistent_peers=peers, moniker=node.name)
        Home(node.home).write_config(NodeConfig(api_address=f"tcp://127.0.0.1:{node.ports.api}",
                                                comet_rpc=f"tcp://127.0.0.1:{node.ports.rpc}"))
    net = Localnet(root, chain_id, nodes)
    (root / MANIFEST).write_text(json.dumps(net.to_json(), indent=2) + "\n")
    return net


def load_localnet(directory: str | Path) -> Localnet:
    root = Path(directory).expanduser().resolve()
    try:
        doc = json.loads((root / MANIFEST).read_text())
        nodes = [LocalnetNode(v["index"], root / v["home"], v["node_id"], NodePorts(v["p2p"], v["rpc"], v["abci"],
                                                                                    v["api"]))
                 for v in doc["validators"]]
        return Localnet(root, doc["chain_id"], nodes)
    except FileNotFoundError:
        raise ValueError(f"no localnet in {root} ({MANIFEST} missing)") from None
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{root / MANIFEST} is unreadable: {e}") from None


def _wait_port(port: int, timeout: float, proc: subprocess.Popen[bytes] | None, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f}s")


def node_height(node: LocalnetNode) -> int:
    """Latest committed height from the node's RPC; -1 while it does not answer."""
    try:
        status = comet.rpc_call(node.ports.rpc_url, "status", timeout=2)
    except RpcError:
        return -1
    return int(status["sync_info"]["latest_block_height"])


class LocalnetRunner:
    """Starts and stops the processes of a localnet (an app, then its CometBFT, per validator)."""

    def __init__(self, net: Localnet, *, log: Log = _quiet, detach: bool = False) -> None:
        self.net = net
        self.log = log
        self.detach = detach
        self.binary = comet.cometbft_binary()
        self.apps: dict[int, subprocess.Popen[bytes]] = {}
        self.nodes: dict[int, subprocess.Popen[bytes]] = {}

    def start_app(self, i: int) -> None:
        node = self.net.nodes[i]
        with open(node.home / "app.log", "ab") as out:
            self.apps[i] = subprocess.Popen(
                [sys.executable, "-m", "panacea.node.start.abci", "--home", str(node.home), "--abci",
                 node.ports.abci_address],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        _wait_port(node.ports.abci, 60, self.apps[i], f"app of {node.name}")

    def start_comet(self, i: int) -> None:
        node = self.net.nodes[i]
        self.nodes[i] = comet.start_node(node.home, node.home / "cometbft.log", binary=self.binary)
        _wait_port(node.ports.rpc, 60, self.nodes[i], f"cometbft of {node.name}")

    def start_validator(self, i: int) -> None:
        self.start_app(i)
        self.start_comet(i)

    def start(self, *, wait_height: int = 1, timeout: float = 60) -> None:
        for node in self.net.nodes:
            self.log(f"starting {node.name}: app on {node.ports.abci_address}, cometbft rpc {node.ports.rpc_url}")
            self.start_app(node.index)
        for node in self.net.nodes:
            self.start_comet(node.index)
        if self.detach:
            self.write_pids()
        self.log(f"waiting for block {wait_height} on every validator")
        self.wait_height(wait_height, timeout=timeout)

    def wait_height(self, height: int, *, nodes: list[int] | None = None, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        indexes = nodes if nodes is not None else [n.index for n in self.net.nodes]
        while True:
            heights = {i: node_height(self.net.nodes[i]) for i in indexes}
            if all(h >= height for h in heights.values()):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"localnet did not reach height {height} within {timeout:.0f}s: {heights}")
            time.sleep(0.1)

    def kill_validator(self, i: int, sig: int = signal.SIGKILL) -> None:
        """Kill validator i (its CometBFT and its app) and wait for both to exit."""
        for procs in (self.nodes, self.apps):
            proc = procs.pop(i, None)
            if proc is not None and proc.poll() is None:
                proc.send_signal(sig)
            if proc is not None:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def stop(self) -> None:
        """SIGTERM every CometBFT, then every app (an app must outlive its node's last Commit)."""
        for procs in (self.nodes, self.apps):
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs.values():
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            procs.clear()
        (self.net.dir / PIDS).unlink(missing_ok=True)

    def write_pids(self) -> None:
        doc = {"cometbft": [p.pid for p in self.nodes.values()], "app": [p.pid for p in self.apps.values()]}
        (self.net.dir / PIDS).write_text(json.dumps(doc) + "\n")


def stop_background(directory: str | Path, *, log: Log = _quiet, timeout: float = 15,
                    kill_timeout: float = 5) -> int:
    """Stop a localnet started with ``--start`` (pids from pids.json) and return once every process has exited:
    SIGTERM (CometBFT first, then the apps), SIGKILL after ``timeout``; RuntimeError naming any that stays.
    Returns how many processes were signalled."""
    net = load_localnet(directory)
    path = net.dir / PIDS
    if not path.exists():
        raise ValueError(f"no running localnet in {net.dir} ({PIDS} missing)")
    doc = json.loads(path.read_text())
    signalled = 0
    stuck: list[str] = []
    for kind in ("cometbft", "app"):  # an app must outlive its node's last Commit
        pids = [int(p) for p in doc.get(kind, [])]
        signalled += _signal(pids, signal.SIGTERM, kind, log)
        late = _wait_exit(pids, timeout)
        for pid in late:
            log(f"{kind} pid {pid} still running {timeout:.0f}s after SIGTERM: sending SIGKILL")
        _signal(late, signal.SIGKILL, kind, _quiet)
        stuck += [f"{kind} pid {pid}" for pid in _wait_exit(late, kill_timeout)]
    if stuck:
        raise RuntimeError(f"{', '.join(stuck)} did not exit even after SIGKILL; {path} is kept")
    path.unlink()
    return signalled


def _signal(pids: list[int], sig: int, kind: str, log: Log) -> int:
    sent = 0
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            continue
        sent += 1
        log(f"stopping {kind} pid {pid}")
    return sent


def _wait_exit(pids: list[int], timeout: float) -> list[int]:
    """The pids still running after waiting up to ``timeout`` seconds for them all."""
    deadline = time.monotonic() + timeout
    alive = [pid for pid in pids if _alive(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in alive if _alive(pid)]
    return alive


def _alive(pid: int) -> bool:
    """Running (not exited, not a zombie); reaps it when it is our own child."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        zombie = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True
    if zombie:  # it exited between the two checks above: reap it if it is ours
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return not zombie


def describe(net: Localnet) -> list[str]:
    count = f"{len(net.nodes)} validator{'s' if len(net.nodes) != 1 else ''}"
    lines = [f"chain_id {net.chain_id}, {count}, keys: {net.dir / 'keyring-test'}"]
    lines += [f"  {n.name}: rpc {n.ports.rpc_url}  rest {n.ports.api_url}  abci {n.ports.abci_address}  "
              f"p2p 127.0.0.1:{n.ports.p2p}" for n in net.nodes]
    return lines

"""``dep devnet``: a whole DEP network on loopback in one command (issue 13 item 3).

One embedded chain node with funded demo accounts, the genesis oracle (made by ``oracled init`` +
``gen-oracle-key``, added with ``panacead genesis add-genesis-oracle``) and one consumer service, each its own
process on free loopback ports, set up with their own CLIs as an operator would. Layout of the devnet home::

    HOME/devnet.json    chain id, endpoints, ports and demo key addresses (written once, read on later runs)
    HOME/node/          panacead home (keyring-test holds the demo keys; config/client.toml points at the node)
    HOME/chain/         instead of node/ with --validators N > 1: a CometBFT localnet (panacea.node.localnet),
                        its keyring-test and config/client.toml at its root
    HOME/oracle/        oracled home (the oracle account in its keyring-test; loopback allow-listed)
    HOME/consumer/      consumerd home (filesystem storage)
    HOME/logs/          node.log, oracle.log, consumer.log

A new home is created on first use; a home with a ``devnet.json`` is started again as it was (state kept).
Demo keys are derived from fixed labels, so every devnet has the same addresses (they hold play money only).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import click

MANIFEST: Final = "devnet.json"
DEFAULT_CHAIN_ID: Final = "panacea-devnet"
FUNDS: Final = 10**12  # umed per demo account (1,000,000 MED)
DEMO_KEYS: Final = ("consumer", "provider1", "provider2", "provider3", "oracle", "oracle2")
Log = Callable[[str], None]


def demo_key_hex(name: str) -> str:
    """The private key of demo account ``name`` (fixed: the devnet's accounts are play money)."""
    return hashlib.sha256(f"panacea-devnet/{name}".encode()).hexdigest()


def _free_ports(n: int) -> list[int]:
    import socket

    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


def _run_cli(group: click.Group, args: Sequence[str], env: dict[str, str] | None = None) -> str:
    """Run one of our CLIs in this process (fast: no interpreter start-up); its output is returned, its
    failure raised as a ClickException with its message."""
    out = io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            group.main(list(args), standalone_mode=False)
    except click.ClickException as e:
        raise click.ClickException(f"{group.name} {' '.join(args[:2])}: {e.format_message()}") from None
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return out.getvalue()


@dataclass(frozen=True)
class Manifest:
    """What ``devnet.json`` records about a devnet."""

    chain_id: str
    rpc_port: int
    rest_port: int
    oracle_port: int
    consumer_port: int
    accounts: dict[str, str]  # demo key name → address
    validators: int = 1  # 1: the embedded engine in HOME/node; more: a CometBFT localnet in HOME/chain
    oracle2_port: int = 0  # with --oracles 2: the second oracle (HOME/oracle2), joined through registration

    @property
    def rpc(self) -> str:
        return f"tcp://127.0.0.1:{self.rpc_port}"

    @property
    def rest(self) -> str:
        return f"http://127.0.0.1:{self.rest_port}"

    @property
    def oracle_url(self) -> str:
        return f"http://127.0.0.1:{self.oracle_port}"

    @property
    def oracle2_url(self) -> str:
        return f"http://127.0.0.1:{self.oracle2_port}" if self.oracle2_port else ""

    @property
    def consumer_url(self) -> str:
        return f"http://127.0.0.1:{self.consumer_port}"

    def to_json(self) -> dict[str, Any]:
        return {"chain_id": self.chain_id, "validators": self.validators, "oracle2_port": self.oracle2_port,
                "rpc_port": self.rpc_port,
                "rest_port": self.rest_port, "oracle_port": self.oracle_port, "consumer_port": self.consumer_port,
                "accounts": self.accounts}

    @staticmethod
    def from_json(doc: dict[str, Any]) -> Manifest:
        return Manifest(str(doc["chain_id"]), int(doc["rpc_port"]), int(doc["rest_port"]), int(doc["oracle_port"]),
                        int(doc["consumer_port"]), {str(k): str(v) for k, v in dict(doc["accounts"]).items()},
                        int(doc.get("validators", 1)), int(doc.get("oracle2_port", 0)))


class DevnetHome:
    """The paths of one devnet home."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()

    node = property(lambda self: self.root / "node")
    chain = property(lambda self: self.root / "chain")
    oracle = property(lambda self: self.root / "oracle")
    oracle2 = property(lambda self: self.root / "oracle2")
    consumer = property(lambda self: self.root / "consumer")
    logs = property(lambda self: self.root / "logs")
    manifest_file = property(lambda self: self.root / MANIFEST)

    def manifest(self) -> Manifest | None:
        """The recorded devnet, None for a home not yet created."""
        try:
            return Manifest.from_json(json.loads(self.manifest_file.read_text()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            raise click.ClickException(f"{self.manifest_file} is unreadable: remove the devnet home and start "
                                       "again") from None


def create(home: DevnetHome, *, chain_id: str = DEFAULT_CHAIN_ID, validators: int = 1, oracles: int = 1,
           block_interval_ms: int = 200, log: Log = lambda _line: None) -> Manifest:
    """Lay out a new devnet in ``home`` (which must not hold one) with the CLIs of each component."""
    from panacea.cli import consumerd, oracled
    from panacea.client.keyring import Keyring
    from panacea.demo import SCHEMA_FILE

    if home.manifest_file.exists():
        raise click.ClickException(f"{home.root} already holds a devnet")
    if home.root.exists() and any(home.root.iterdir()):
        raise click.ClickException(f"{home.root} exists, is not empty and holds no devnet: give another --home")
    if validators > 1:
        _check_cometbft()
    rpc_port, rest_port, oracle_port, consumer_port = _free_ports(4)
    home.logs.mkdir(parents=True, exist_ok=True)

    log(f"oracle: oracled init + gen-oracle-key in {home.oracle}")
    _run_cli(oracled.main, ["--home", str(home.oracle), "init", "--chain-id", chain_id, "--keyring-backend", "test"])
    Keyring(home.oracle, "test").import_private_key("oracle", demo_key_hex("oracle"))
    _run_cli(oracled.main, ["--home", str(home.oracle), "gen-oracle-key", "--yes"])
    for schema in sorted(SCHEMA_FILE.parent.glob("*.json")):
        uri = json.loads(schema.read_text()).get("$id")
        if isinstance(uri, str):
            _run_cli(oracled.main, ["--home", str(home.oracle), "schema", "add", uri, str(schema)])
    unique_id = _run_cli(oracled.main, ["--home", str(home.oracle), "unique-id"]).strip()
    oracle_url = f"http://127.0.0.1:{oracle_port}"

    if validators == 1:
        accounts = _embedded_chain(home, chain_id, rpc_port, rest_port, block_interval_ms, unique_id, oracle_url, log)
    else:
        accounts, rpc_port, rest_port = _localnet_chain(home, chain_id, validators, unique_id, oracle_url, log)
    rpc = f"tcp://127.0.0.1:{rpc_port}"
    _configure_oracle(home.oracle / "config.toml", oracle_port, rpc)

    log(f"consumer service: consumerd init in {home.consumer}")
    _run_cli(consumerd.main, ["init", "--home", str(home.consumer), "--listen-addr", f"127.0.0.1:{consumer_port}",
                              "--node", rpc])
    oracle2_port = 0
    if oracles > 1:
        oracle2_port = _free_ports(1)[0]
        log(f"second oracle: oracled init in {home.oracle2} (it joins through registration at the first start)")
        _run_cli(oracled.main, ["--home", str(home.oracle2), "init", "--chain-id", chain_id, "--keyring-backend",
                                "test"])
        Keyring(home.oracle2, "test").import_private_key("oracle", demo_key_hex("oracle2"))
        _configure_oracle(home.oracle2 / "config.toml", oracle2_port, rpc)
        import shutil

        for name in ("attestation_key",):  # one platform: the attestation key is the machine's, the secret its own
            (home.oracle2 / "enclave").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(home.oracle / "enclave" / name, home.oracle2 / "enclave" / name)
        for schema in sorted(SCHEMA_FILE.parent.glob("*.json")):
            uri = json.loads(schema.read_text()).get("$id")
            if isinstance(uri, str):
                _run_cli(oracled.main, ["--home", str(home.oracle2), "schema", "add", uri, str(schema)])
    manifest = Manifest(chain_id, rpc_port, rest_port, oracle_port, consumer_port, accounts, validators, oracle2_port)
    home.manifest_file.write_text(json.dumps(manifest.to_json(), indent=2) + "\n")
    return manifest


def _check_cometbft() -> None:
    from panacea.node.abci import comet

    try:
        comet.cometbft_binary()
    except comet.CometError as e:
        raise click.ClickException(f"--validators > 1 runs real CometBFT validators: {e}") from None


def _embedded_chain(home: DevnetHome, chain_id: str, rpc_port: int, rest_port: int, block_interval_ms: int,
                    unique_id: str, oracle_url: str, log: Log) -> dict[str, str]:
    from panacea.cli import panacead
    from panacea.client.keyring import Keyring
    from panacea.node.home import Home, NodeConfig

    log(f"chain: panacead init, demo accounts and the genesis oracle in {home.node}")
    node = str(home.node)
    rpc = f"tcp://127.0.0.1:{rpc_port}"
    _run_cli(panacead.main, ["init", "devnet", "--chain-id", chain_id, "--home", node])
    Home(home.node).write_config(NodeConfig(rpc_laddr=rpc, api_address=f"tcp://127.0.0.1:{rest_port}",
                                            block_interval_ms=block_interval_ms, empty_block_interval_ms=1000))
    ring = Keyring(home.node, "test")
    accounts: dict[str, str] = {}
    for name in DEMO_KEYS:
        accounts[name] = ring.import_private_key(name, demo_key_hex(name)).address
        _run_cli(panacead.main, ["genesis", "add-account", name, f"{FUNDS}umed", "--home", node,
                                 "--keyring-backend", "test"])
    _run_cli(panacead.main, ["genesis", "add-genesis-oracle", "oracle", unique_id, "--endpoint", oracle_url,
                             "--oracle-key-file", str(home.oracle / "oracle_pub_key.json"), "--home", node,
                             "--keyring-backend", "test"])
    _run_cli(panacead.main, ["config", "keyring-backend", "test", "--home", node])
    _run_cli(panacead.main, ["config", "node", rpc, "--home", node])
    return accounts


def _localnet_chain(home: DevnetHome, chain_id: str, validators: int, unique_id: str, oracle_url: str,
                    log: Log) -> tuple[dict[str, str], int, int]:
    from panacea.chain.genesis import add_account, add_genesis_oracle, set_oracle_params
    from panacea.cli.common import read_client_config, write_client_config
    from panacea.crypto.keys import PrivateKey
    from panacea.node.localnet import create_localnet
    from panacea.types.coins import Coin

    oracle_key = json.loads((home.oracle / "oracle_pub_key.json").read_text())
    accounts = {name: PrivateKey.from_hex(demo_key_hex(name)).bech32() for name in DEMO_KEYS}

    def edit(app_state: dict[str, Any]) -> None:
        for address in accounts.values():
            add_account(app_state, address, [Coin("umed", FUNDS)])
        set_oracle_params(app_state, public_key_base64=oracle_key["public_key_base64"],
                          remote_report_base64=oracle_key["remote_report_base64"], unique_id=unique_id)
        add_genesis_oracle(app_state, accounts["oracle"], unique_id, endpoint=oracle_url)

    net = create_localnet(home.chain, validators, chain_id=chain_id, test_keys=0, log=log, edit_genesis=edit)
    for name in DEMO_KEYS:
        net.keyring.import_private_key(name, demo_key_hex(name))
    rpc_port, rest_port = net.nodes[0].ports.rpc, net.nodes[0].ports.api
    write_client_config(home.chain, {**read_client_config(home.chain), "keyring-backend": "test",
                                     "node": f"tcp://127.0.0.1:{rpc_port}", "chain-id": chain_id})
    return accounts, rpc_port, rest_port


def _configure_oracle(config_file: Path, port: int, rpc: str) -> None:
    """The devnet's oracle: the node, its port, the loopback consumer service allowed, a rate limit fit for
    benchmarks."""
    import tomlkit

    doc: Any = tomlkit.parse(config_file.read_text())
    for key in ("rpc-addr", "light-client-primary-addr"):
        doc["panacea"][key] = rpc
    doc["panacea"]["light-client-witness-addrs"] = [rpc]
    doc["oracle-key-name"] = "oracle"
    doc["api"]["listen-addr"] = f"127.0.0.1:{port}"
    doc["api"]["rate-limits"] = 10000
    doc["ssrf"]["allow"] = ["127.0.0.0/8"]
    config_file.write_text(tomlkit.dumps(doc))


@dataclass
class _Process:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path


class Devnet:
    """The devnet's processes: started in order, each checked ready, stopped in reverse order."""

    def __init__(self, home: DevnetHome, manifest: Manifest, *, log: Log = lambda _line: None) -> None:
        self.home = home
        self.manifest = manifest
        self.log = log
        self.processes: list[_Process] = []
        self.localnet: Any = None  # a LocalnetRunner with --validators > 1

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> _Process:
        logfile = self.home.logs / f"{name}.log"
        self.home.logs.mkdir(parents=True, exist_ok=True)
        with open(logfile, "ab") as out:
            proc = subprocess.Popen([sys.executable, "-m", *args], stdout=out, stderr=subprocess.STDOUT,
                                    env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
                                    start_new_session=True)  # Ctrl-C reaches us only: we stop them in order
        p = _Process(name, proc, logfile)
        self.processes.append(p)
        return p

    def _wait(self, p: _Process, ready: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if p.proc.poll() is not None:
                tail = p.log.read_text(errors="replace").strip().splitlines()[-5:]
                raise click.ClickException(f"the {p.name} exited ({p.proc.returncode}); last lines of {p.log}:\n  "
                                           + "\n  ".join(tail))
            if time.monotonic() > deadline:
                raise click.ClickException(f"the {p.name} did not become ready in {timeout:.0f}s (see {p.log})")
            time.sleep(0.1)

    def start(self, timeout: float = 60.0) -> None:
        """Start node, consumer service and oracle, each waited for; on any failure the started ones stop."""
        try:
            m = self.manifest
            if m.validators == 1:
                self.log(f"starting the chain node (RPC {m.rpc}, REST {m.rest})")
                node = self._spawn("node", ["panacea.cli.panacead", "start", "--home", str(self.home.node)])
                self._wait(node, self._node_ready, timeout)
            else:
                self._start_localnet(timeout)
            self._trust_own_chain()
            self.log(f"starting the consumer service ({m.consumer_url})")
            consumer = self._spawn("consumer", ["panacea.cli.consumerd", "start", "--home", str(self.home.consumer)])
            self._wait(consumer, _http_ready(m.consumer_url + "/openapi.json"), timeout)
            self.log(f"starting the oracle ({m.oracle_url})")
            oracle = self._spawn("oracle", ["panacea.cli.oracled", "start", "--home", str(self.home.oracle)])
            self._wait(oracle, _http_ready(m.oracle_url + "/v0/status"), timeout)
            self._publish_demo_keys()
            if m.oracle2_port:
                self._start_second_oracle(timeout)
        except BaseException:
            self.stop()
            raise

    def _start_localnet(self, timeout: float) -> None:
        from panacea.node.abci.comet import CometError
        from panacea.node.localnet import LocalnetRunner, load_localnet

        _check_cometbft()
        self.log(f"starting {self.manifest.validators} CometBFT validators (RPC {self.manifest.rpc})")
        self.localnet = LocalnetRunner(load_localnet(self.home.chain), log=self.log)
        try:
            self.localnet.start(timeout=timeout)
        except (CometError, RuntimeError) as e:
            raise click.ClickException(str(e)) from None

    def _start_second_oracle(self, timeout: float) -> None:
        """The second oracle: on its first start it registers (the first oracle's follower approves it and it
        receives the shared key), then it serves."""
        from panacea.oracle.home import OracleHome

        m = self.manifest
        home = OracleHome(self.home.oracle2)
        if not home.oracle_priv_key_file.exists():
            from panacea.client import ChainClient

            with ChainClient(m.rpc) as client:
                block = client.block()
            height, block_hash = str(block["block"]["header"]["height"]), str(block["block_id"]["hash"])
            self.log(f"the second oracle registers (trusted block {height}); the first one's follower approves it")
            join = subprocess.run(
                [sys.executable, "-m", "panacea.cli.oracled", "--home", str(home.root), "register-oracle",
                 "--trusted-block-height", height, "--trusted-block-hash", block_hash, "--endpoint", m.oracle2_url,
                 "--oracle-commission-rate", "0.1", "--oracle-commission-max-rate", "0.3",
                 "--oracle-commission-max-change-rate", "0.01", "--timeout", f"{int(timeout)}s", "--yes"],
                capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if join.returncode != 0:
                raise click.ClickException(f"the second oracle could not join: {join.stderr.strip().splitlines()[-1]}")
        self.log(f"starting the second oracle ({m.oracle2_url})")
        oracle2 = self._spawn("oracle2", ["panacea.cli.oracled", "start", "--home", str(home.root)])
        self._wait(oracle2, _http_ready(m.oracle2_url + "/v0/status"), timeout)

    def _trust_own_chain(self) -> None:
        """The oracle's light client starts from the devnet's block 1 (the devnet made the chain, so it may trust
        it; an operator takes the trusted block from a source they trust: ``panacead q block``)."""
        from panacea.client import ChainClient
        from panacea.oracle.home import OracleHome

        home = OracleHome(self.home.oracle)
        if home.trust_root() is None:
            with ChainClient(self.manifest.rpc) as client:
                block_hash = str(client.block(1)["block_id"]["hash"])
            home.write_trust_root(1, bytes.fromhex(block_hash))

    def _publish_demo_keys(self) -> None:
        """A first tx (1 umed to itself) from each demo account without a public key on chain: the oracle and
        the consumer service check JWTs with the account's key, which the chain learns from its first tx."""
        from panacea.client import ChainClient
        from panacea.crypto.keys import PrivateKey
        from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
        from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

        with ChainClient(self.manifest.rpc) as client:
            pending = []
            for name in DEMO_KEYS:
                key = PrivateKey.from_hex(demo_key_hex(name))
                if client.account(key.bech32()).pubkey is None:
                    msg = bank_tx.MsgSend(from_address=key.bech32(), to_address=key.bech32(),
                                          amount=[coin_pb2.Coin(denom="umed", amount="1")])
                    pending.append(client.wallet(key).broadcast([msg]).tx_hash)
            if pending:
                self.log(f"publishing the public keys of {len(pending)} demo accounts (a 1umed self-transfer each)")
            for tx_hash in pending:
                res = client.wait_for_tx(tx_hash)
                if not res.ok:
                    raise click.ClickException(f"a demo account's first tx failed: {res.raw_log}")

    def _node_ready(self) -> bool:
        from panacea.client import ChainClient, ChainClientError

        try:
            with ChainClient(self.manifest.rpc, timeout=2) as client:
                return client.status().latest_height >= 1
        except ChainClientError:
            return False

    def failed(self) -> _Process | None:
        """A process that exited on its own, if any (a localnet validator included)."""
        if self.localnet is not None:
            for i, proc in [*self.localnet.apps.items(), *self.localnet.nodes.items()]:
                if proc.poll() is not None:
                    return _Process(f"validator node{i}", proc, self.home.chain / f"node{i}")
        return next((p for p in self.processes if p.proc.poll() is not None), None)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGINT each process (the oracle first, the node last), then SIGKILL what is left after ``timeout``."""
        for p in reversed(self.processes):
            if p.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    p.proc.send_signal(signal.SIGINT)
                try:
                    p.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    p.proc.kill()
                    p.proc.wait()
        self.processes.clear()
        if self.localnet is not None:
            self.localnet.stop()
            self.localnet = None


def _http_ready(url: str) -> Callable[[], bool]:
    import httpx

    def ready() -> bool:
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    return ready


def describe(home: DevnetHome, m: Manifest) -> list[str]:
    """What a user needs: endpoints, demo keys, and how to point the CLIs at the devnet."""
    lines = [f"devnet {m.chain_id} in {home.root}",
             f"  chain RPC        {m.rpc}",
             f"  chain REST       {m.rest}",
             f"  oracle           {m.oracle_url}",
             *([f"  second oracle    {m.oracle2_url}"] if m.oracle2_port else []),
             f"  consumer service {m.consumer_url}",
             f"  logs             {home.logs}"]
    client_home = home.node if m.validators == 1 else home.chain
    lines.append(f"demo keys (keyring-test in {client_home}, play money):")
    lines += [f"  {name:<10} {address}" for name, address in m.accounts.items()]
    if m.validators > 1:
        lines.insert(1, f"  validators       {m.validators} (CometBFT; homes in {home.chain})")
    lines += ["use it from another shell:", f"  export PANACEA_HOME={client_home}",
              "  panacead query bank balances $(panacead keys show consumer -a)"]
    return lines

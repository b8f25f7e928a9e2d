"""Driving a real CometBFT 0.38 binary: find it, lay out its home, and talk JSON-RPC to it (spec/cometbft.md).

A validator's directory is both the CometBFT home (config/config.toml, config/genesis.json, data/*.db) and
our `Home` (config/app.toml, data/application): the two never use the same file names.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import aiohttp
import tomlkit

from panacea.node.rpc.api import RpcError

COMETBFT_VERSION = "0.38.25"
INSTALL_HINT = "run scripts/install_cometbft.sh (go install github.com/cometbft/cometbft/cmd/cometbft@v0.38.25)"

# [consensus] settings for quick local chains (spec §2.4); the same on every node of a chain.
FAST_CONSENSUS: dict[str, str | bool] = {
    "timeout_propose": "500ms",
    "timeout_propose_delta": "100ms",
    "timeout_prevote": "200ms",
    "timeout_prevote_delta": "100ms",
    "timeout_precommit": "200ms",
    "timeout_precommit_delta": "100ms",
    "timeout_commit": "200ms",
    "skip_timeout_commit": False,
    "create_empty_blocks": True,
    "create_empty_blocks_interval": "0s",
}


class CometError(RuntimeError):
    """CometBFT is missing or a CometBFT command failed; one line for the user."""


def cometbft_binary() -> str:
    """Path of the pinned cometbft binary: ``$(go env GOPATH)/bin`` (or GOBIN) first, then PATH."""
    candidates: list[Path] = []
    if os.environ.get("GOBIN"):
        candidates.append(Path(os.environ["GOBIN"]) / "cometbft")
    gopath = os.environ.get("GOPATH") or _go_env("GOPATH") or str(Path.home() / "go")
    candidates += [Path(p) / "bin" / "cometbft" for p in gopath.split(os.pathsep) if p]
    on_path = shutil.which("cometbft")
    if on_path:
        candidates.append(Path(on_path))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    raise CometError(f"cometbft {COMETBFT_VERSION} not found in GOPATH/bin or PATH; {INSTALL_HINT}")


def _go_env(name: str) -> str:
    go = shutil.which("go")
    if go is None:
        return ""
    try:
        return subprocess.run([go, "env", name], capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def run_cometbft(*args: str, binary: str | None = None) -> str:
    """Run a short cometbft command; stdout, or CometError with its last stderr line."""
    binary = binary or cometbft_binary()
    env = {k: v for k, v in os.environ.items() if k != "CMTHOME"}  # CMTHOME would beat --home (spec §2.1)
    proc = subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=120, check=False)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise CometError(f"cometbft {' '.join(args[:1])} failed: {lines[-1] if lines else f'exit {proc.returncode}'}")
    return proc.stdout


def cometbft_version(binary: str | None = None) -> str:
    return run_cometbft("version", binary=binary).strip()


# --- home layout -----------------------------------------------------------------------------------------
def init_home(home: str | Path) -> None:
    """``cometbft init``: config.toml, genesis.json, priv_validator_key.json, node_key.json."""
    run_cometbft("init", "--home", str(home))


def testnet(out_dir: str | Path, validators: int) -> list[Path]:
    """``cometbft testnet``: one directory per validator (node0…), one genesis shared by all."""
    run_cometbft("testnet", "--v", str(validators), "--o", str(out_dir), "--populate-persistent-peers=false")
    return [Path(out_dir) / f"node{i}" for i in range(validators)]


def node_id(home: str | Path) -> str:
    """The p2p ID: hex of the first 20 bytes of sha256(ed25519 public key of node_key.json)."""
    doc = json.loads((Path(home) / "config" / "node_key.json").read_text())
    key = base64.b64decode(doc["priv_key"]["value"])
    return hashlib.sha256(key[32:]).digest()[:20].hex()


@dataclass(frozen=True)
class ValidatorKey:
    address: str  # uppercase hex, 20 bytes
    pub_key_base64: str


def validator_key(home: str | Path) -> ValidatorKey:
    doc = json.loads((Path(home) / "config" / "priv_validator_key.json").read_text())
    return ValidatorKey(doc["address"], doc["pub_key"]["value"])


def patch_config_toml(path: str | Path, settings: Mapping[tuple[str, str], str | bool | int]) -> None:
    """Set ``(section, key)`` values in a CometBFT config.toml in place ("" = top level), keeping its comments
    and layout (tomlkit); unknown keys fail."""
    doc = tomlkit.parse(Path(path).read_text())
    missing: list[str] = []
    for (section, key), value in settings.items():
        table: Any = doc.get(section) if section else doc
        if not isinstance(table, MutableMapping) or key not in table:
            missing.append(f"{section or '<top>'}.{key}")
            continue
        table[key] = value
    if missing:
        raise CometError(f"{path}: no such config.toml key(s): {', '.join(missing)}")
    Path(path).write_text(tomlkit.dumps(doc))


@dataclass(frozen=True)
class NodePorts:
    p2p: int
    rpc: int
    abci: int
    api: int

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api}"

    @property
    def abci_address(self) -> str:
        return f"tcp://127.0.0.1:{self.abci}"


def configure_node(home: str | Path, ports: NodePorts, *, persistent_peers: Sequence[str] = (),
                   consensus: Mapping[str, str | bool] = FAST_CONSENSUS, moniker: str | None = None,
                   log_level: str = "error") -> None:
    """Loopback ports, socket ABCI to our app, same-IP peers allowed, fast consensus timeouts."""
    settings: dict[tuple[str, str], str | bool | int] = {
        ("", "proxy_app"): ports.abci_address,
        ("", "abci"): "socket",
        ("", "log_level"): log_level,
        ("rpc", "laddr"): f"tcp://127.0.0.1:{ports.rpc}",
        ("p2p", "laddr"): f"tcp://127.0.0.1:{ports.p2p}",
        ("p2p", "external_address"): f"127.0.0.1:{ports.p2p}",
        ("p2p", "persistent_peers"): ",".join(persistent_peers),
        ("p2p", "addr_book_strict"): False,
        ("p2p", "allow_duplicate_ip"): True,
        ("p2p", "pex"): False,
        ("tx_index", "indexer"): "kv",
    }
    if moniker is not None:
        settings[("", "moniker")] = moniker
    settings.update({("consensus", k): v for k, v in consensus.items()})
    patch_config_toml(Path(home) / "config" / "config.toml", settings)


def write_genesis(home: str | Path, *, chain_id: str, app_state: Mapping[str, Any],
                  validators: Sequence[tuple[ValidatorKey, int, str]] | None = None,
                  genesis_time: str | None = None) -> None:
    """Rewrite config/genesis.json with our chain_id and app_state (validators: (key, power, name))."""
    path = Path(home) / "config" / "genesis.json"
    doc = json.loads(path.read_text())
    doc["chain_id"] = chain_id
    if genesis_time is not None:
        doc["genesis_time"] = genesis_time
    if validators is not None:
        doc["validators"] = [
            {"address": k.address, "pub_key": {"type": "tendermint/PubKeyEd25519", "value": k.pub_key_base64},
             "power": str(power), "name": name}
            for k, power, name in validators
        ]
    doc["app_state"] = app_state
    path.write_text(json.dumps(doc, indent=2) + "\n")


def start_node(home: str | Path, log_path: str | Path, *, binary: str | None = None) -> subprocess.Popen[bytes]:
    """``cometbft start`` in the background (its own process group), output appended to ``log_path``."""
    env = {k: v for k, v in os.environ.items() if k != "CMTHOME"}
    with open(log_path, "ab") as log:
        return subprocess.Popen([binary or cometbft_binary(), "start", "--home", str(home)], stdout=log,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)


# --- JSON-RPC clients ------------------------------------------------------------------------------------
def http_url(address: str) -> str:
    """``tcp://host:port`` (CometBFT's laddr form) → ``http://host:port``."""
    if address.startswith("tcp://"):
        return "http://" + address[len("tcp://") :]
    return address if "://" in address else "http://" + address


def _result(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise RpcError(-32603, "Internal error", "malformed JSON-RPC response")
    if doc.get("error"):
        err = doc["error"]
        raise RpcError(int(err.get("code", -32603)), str(err.get("message", "")), str(err.get("data", "")))
    result = doc.get("result")
    if not isinstance(result, dict):
        raise RpcError(-32603, "Internal error", "JSON-RPC response without a result")
    return result


class HttpRpc:
    """The `Rpc` protocol over HTTP JSON-RPC POSTs to a CometBFT node (one aiohttp session, reused)."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self.url = http_url(url).rstrip("/") + "/"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._ids = count(1)

    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            async with self._session.post(self.url, json=body) as resp:
                doc = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as e:
            raise RpcError(-32603, "Internal error", f"CometBFT RPC at {self.url} unreachable: {e}") from None
        except ValueError:
            raise RpcError(-32700, "Parse error", f"CometBFT RPC at {self.url} returned non-JSON") from None
        return _result(doc)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def rpc_call(url: str, method: str, params: Mapping[str, Any] | None = None, *,
             timeout: float = 10.0) -> dict[str, Any]:
    """Blocking JSON-RPC POST (tests, localnet supervision, benchmarks)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": dict(params or {})}).encode()
    req = urllib.request.Request(http_url(url).rstrip("/") + "/", data=body,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            doc = json.loads(resp.read())
    except urllib.error.HTTPError as e:
        doc = json.loads(e.read() or b"null")
    except (urllib.error.URLError, OSError) as e:
        raise RpcError(-32603, "Internal error", f"CometBFT RPC at {url} unreachable: {e}") from None
    return _result(doc)

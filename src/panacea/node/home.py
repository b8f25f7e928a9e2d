"""A node's home directory: where each file lives and the node configuration (``config/app.toml``).

    <home>/config/genesis.json              CometBFT genesis document; ``app_state`` holds the modules
    <home>/config/priv_validator_key.json   ed25519 validator key (CometBFT's file format)
    <home>/config/node_key.json             ed25519 p2p key (CometBFT's file format)
    <home>/config/app.toml                  this node's settings (below)
    <home>/data/application/                the chain state (panacea.chain.store, LMDB)
    <home>/data/blocks/                     blocks and results of the embedded engine (LMDB)
    <home>/data/priv_validator_state.json   last signed height/round/step (double-sign guard)
    <home>/keyring-<backend>/               keys (panacea.client.keyring)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import tomlkit

DEFAULT_RPC = "tcp://127.0.0.1:26657"
DEFAULT_API = "tcp://127.0.0.1:1317"
DEFAULT_ABCI = "tcp://127.0.0.1:26658"


@dataclass(frozen=True)
class NodeConfig:
    """Settings read from ``config/app.toml`` (every key optional; these are the defaults)."""

    minimum_gas_prices: str = "0umed"  # mempool fee floor, per unit of gas
    rpc_laddr: str = DEFAULT_RPC  # CometBFT-compatible JSON-RPC (embedded engine only)
    api_address: str = DEFAULT_API  # Cosmos REST API (both engines)
    api_enable: bool = True
    block_interval_ms: int = 200  # embedded engine: a block this often while txs wait
    empty_block_interval_ms: int = 5000  # embedded engine: an empty block this often when idle
    max_block_txs: int = 5000  # embedded engine: txs per block at most
    mempool_size: int = 50000
    comet_rpc: str = DEFAULT_RPC  # --abci mode: the CometBFT node's RPC, for broadcasts and tx lookups
    max_body_bytes: int = 0  # JSON-RPC and REST request bodies; 0: the largest tx the genesis allows (bodylimit)

    @property
    def min_gas_price(self) -> Decimal:
        text = self.minimum_gas_prices.strip()
        if not text:
            return Decimal(0)
        if not text.endswith("umed"):
            raise ValueError(f"minimum-gas-prices must be in umed, got {text!r}")
        try:
            value = Decimal(text[: -len("umed")])
        except InvalidOperation:
            raise ValueError(f"invalid minimum-gas-prices {text!r}") from None
        if value < 0 or not value.is_finite():
            raise ValueError(f"invalid minimum-gas-prices {text!r}")
        return value


_TOML_KEYS = {
    ("", "minimum-gas-prices"): "minimum_gas_prices",
    ("rpc", "laddr"): "rpc_laddr",
    ("rpc", "max-body-bytes"): "max_body_bytes",
    ("api", "address"): "api_address",
    ("api", "enable"): "api_enable",
    ("engine", "block-interval-ms"): "block_interval_ms",
    ("engine", "empty-block-interval-ms"): "empty_block_interval_ms",
    ("engine", "max-block-txs"): "max_block_txs",
    ("mempool", "size"): "mempool_size",
    ("abci", "comet-rpc"): "comet_rpc",
}


class Home:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()

    @property
    def config_dir(self) -> Path:
        return self.path / "config"

    @property
    def data_dir(self) -> Path:
        return self.path / "data"

    @property
    def genesis_file(self) -> Path:
        return self.config_dir / "genesis.json"

    @property
    def priv_validator_key_file(self) -> Path:
        return self.config_dir / "priv_validator_key.json"

    @property
    def node_key_file(self) -> Path:
        return self.config_dir / "node_key.json"

    @property
    def app_toml(self) -> Path:
        return self.config_dir / "app.toml"

    @property
    def app_db(self) -> Path:
        return self.data_dir / "application"

    @property
    def blocks_db(self) -> Path:
        return self.data_dir / "blocks"

    @property
    def priv_validator_state_file(self) -> Path:
        return self.data_dir / "priv_validator_state.json"

    def load_config(self) -> NodeConfig:
        if not self.app_toml.exists():
            return NodeConfig()
        try:
            doc = tomllib.loads(self.app_toml.read_text())
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{self.app_toml}: {e}") from None
        values: dict[str, object] = {}
        for (section, key), name in _TOML_KEYS.items():
            table = doc if not section else doc.get(section, {})
            if isinstance(table, dict) and key in table:
                values[name] = table[key]
        types = {f.name: f.type for f in fields(NodeConfig)}
        for name, value in values.items():
            want = {"str": str, "int": int, "bool": bool}[str(types[name])]
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                raise ValueError(f"{self.app_toml}: {name.replace('_', '-')} must be a {want.__name__}")
        config = NodeConfig(**values)  # type: ignore[arg-type]
        config.min_gas_price  # noqa: B018 - validate early
        return config

    def write_config(self, config: NodeConfig) -> None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Panacea node settings (panacea.node.home.NodeConfig)"))
        for (section, key), name in _TOML_KEYS.items():
            if section and section not in doc:
                doc.add(tomlkit.nl())
                doc.add(section, tomlkit.table())
            table: Any = doc[section] if section else doc
            table[key] = getattr(config, name)
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.app_toml.write_text(tomlkit.dumps(doc))

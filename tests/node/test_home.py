"""The node home's app.toml: written with a TOML library, read back to the same settings, bad values named."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from panacea.node.home import Home, NodeConfig


def test_write_then_load_round_trips(tmp_path: Path) -> None:
    home = Home(tmp_path)
    config = NodeConfig(minimum_gas_prices="0.5umed", rpc_laddr='tcp://127.0.0.1:1/"q"\\', block_interval_ms=7,
                        api_enable=False)
    home.write_config(config)
    assert home.load_config() == config
    doc = tomllib.loads(home.app_toml.read_text())
    assert (doc["minimum-gas-prices"], doc["rpc"]["laddr"], doc["engine"]["block-interval-ms"],
            doc["api"]["enable"]) == ("0.5umed", 'tcp://127.0.0.1:1/"q"\\', 7, False)
    assert home.app_toml.read_text().startswith("# Panacea node settings")


def test_a_value_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    home = Home(tmp_path)
    home.write_config(NodeConfig())
    home.app_toml.write_text(home.app_toml.read_text().replace("block-interval-ms = 200", 'block-interval-ms = "x"'))
    with pytest.raises(ValueError, match=r"app.toml: block-interval-ms must be a int$"):
        home.load_config()

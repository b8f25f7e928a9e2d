"""The genesis document: strict reading, one-line errors."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from panacea.types.cometbft.genesis import GenesisDoc


def test_genesis_doc_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="non-empty chain_id"):
        GenesisDoc.from_json({"chain_id": ""})
    with pytest.raises(ValueError, match="does not match its pub_key"):
        GenesisDoc.from_json({"chain_id": "c", "validators": [
            {"address": "00" * 20, "pub_key": {"type": "tendermint/PubKeyEd25519",
                                               "value": base64.b64encode(bytes(32)).decode()}, "power": "1"}]})
    (tmp_path / "g.json").write_text("{")
    with pytest.raises(ValueError, match="is not JSON"):
        GenesisDoc.load(str(tmp_path / "g.json"))
    g = GenesisDoc.from_json({"chain_id": "c", "initial_height": "0", "genesis_time": "2023-11-14T22:13:20Z"})
    assert (g.initial_height, g.genesis_time_ns, g.max_bytes, g.max_gas) == (1, 1_700_000_000 * 10**9, 22020096, -1)

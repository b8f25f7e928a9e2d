"""The genesis document (cometbft v0.38.25 ``types/genesis.go``): what the embedded engine starts from."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from panacea.types.cometbft.encoding import hexu, parse_time
from panacea.types.cometbft.types import DEFAULT_MAX_BYTES, DEFAULT_MAX_GAS, PUBKEY_ED25519, Validator


@dataclass(frozen=True)
class GenesisDoc:
    chain_id: str
    genesis_time_ns: int
    initial_height: int
    validators: tuple[Validator, ...]
    app_state: dict[str, Any]
    max_bytes: int = DEFAULT_MAX_BYTES
    max_gas: int = DEFAULT_MAX_GAS
    app_hash: bytes = b""
    raw: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def from_json(doc: dict[str, Any]) -> GenesisDoc:
        chain_id = doc.get("chain_id")
        if not isinstance(chain_id, str) or not chain_id.strip():
            raise ValueError("genesis doc must include non-empty chain_id")
        if len(chain_id) > 50:
            raise ValueError(f"chain_id in genesis doc is too long (max: 50): {chain_id!r}")
        try:
            initial_height = int(doc.get("initial_height") or 0) or 1
            validators = tuple(
                Validator(
                    base64.b64decode(v["pub_key"]["value"], validate=True), int(v["power"]), str(v.get("name", ""))
                )
                for v in doc.get("validators") or []
            )
            block_params = (doc.get("consensus_params") or {}).get("block") or {}
            max_bytes = int(block_params.get("max_bytes", DEFAULT_MAX_BYTES))
            max_gas = int(block_params.get("max_gas", DEFAULT_MAX_GAS))
            time_text = doc.get("genesis_time")
            genesis_time = parse_time(time_text) if time_text else 0
            app_hash = bytes.fromhex(doc.get("app_hash") or "")
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"invalid genesis doc: {e}") from None
        for doc_v, v in zip(doc.get("validators") or [], validators, strict=True):
            if doc_v["pub_key"].get("type") != PUBKEY_ED25519 or len(v.pub_key) != 32:
                raise ValueError("invalid genesis doc: validators must have tendermint/PubKeyEd25519 keys")
            if v.power <= 0:
                raise ValueError(f"invalid genesis doc: validator {hexu(v.address)} has no voting power")
            address = doc_v.get("address")
            if address and bytes.fromhex(address) != v.address:
                raise ValueError(f"invalid genesis doc: validator address {address} does not match its pub_key")
        app_state = doc.get("app_state") or {}
        if not isinstance(app_state, dict):
            raise ValueError("invalid genesis doc: app_state must be an object")
        return GenesisDoc(chain_id, genesis_time, initial_height, validators, app_state, max_bytes, max_gas,
                          app_hash, doc)

    @staticmethod
    def load(path: str) -> GenesisDoc:
        try:
            with open(path) as f:
                doc = json.load(f)
        except OSError as e:
            raise ValueError(f"cannot read genesis file {path}: {e.strerror}") from None
        except json.JSONDecodeError as e:
            raise ValueError(f"genesis file {path} is not JSON: {e}") from None
        if not isinstance(doc, dict):
            raise ValueError(f"genesis file {path} is not a JSON object")
        return GenesisDoc.from_json(doc)

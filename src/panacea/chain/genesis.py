"""Build and edit genesis ``app_state`` documents (what `panacead init` / `genesis add-account` write)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Final

from panacea.chain import addr
from panacea.chain.coins import Coin
from panacea.types.dec import dec_to_json, parse_dec

JSON = dict[str, Any]
GO_ZERO_TIME: Final = "0001-01-01T00:00:00Z"
BASE_ACCOUNT_TYPE: Final = "/cosmos.auth.v1beta1.BaseAccount"


def add_account(app_state: JSON, address: str, coins: list[Coin]) -> None:
    """Add a funded base account as the SDK's ``add-genesis-account`` writes it: an auth account (number 0:
    numbers are assigned at init) and its bank balance; error if the address already has either."""
    addr.parse_or(address, detail="invalid account address")
    bank = app_state.setdefault("bank", {})
    balances = bank.setdefault("balances", [])
    accounts = app_state.setdefault("auth", {}).setdefault("accounts", [])
    if any(b["address"] == address for b in balances) or any(a.get("address") == address for a in accounts):
        raise ValueError(f"cannot add account at existing address {address}")
    accounts.append({"@type": BASE_ACCOUNT_TYPE, "address": address, "pub_key": None, "account_number": "0",
                     "sequence": "0"})
    balances.append({"address": address, "coins": [{"denom": c.denom, "amount": str(c.amount)}
                                                   for c in sorted(coins)]})
    totals: dict[str, int] = {}
    for b in balances:
        for c in b["coins"]:
            totals[c["denom"]] = totals.get(c["denom"], 0) + int(c["amount"])
    bank["supply"] = [{"denom": d, "amount": str(a)} for d, a in sorted(totals.items())]


def add_validator_voter(app_state: JSON, address: str, power: int) -> None:
    """Genesis validators vote in gov with their power (validators are fixed by genesis)."""
    addr.parse_or(address, detail="invalid validator address")
    vals = app_state.setdefault("gov", {}).setdefault("validators", [])
    if any(v["address"] == address for v in vals):
        raise ValueError(f"validator {address} already in genesis")
    vals.append({"address": address, "power": str(power)})


def set_oracle_params(app_state: JSON, *, public_key_base64: str | None = None, remote_report_base64: str | None = None,
                      unique_id: str | None = None, signature_digest: str | None = None) -> None:
    params = app_state.setdefault("oracle", {}).setdefault("params", {})
    for key, value in (("oracle_public_key", public_key_base64), ("oracle_pub_key_remote_report", remote_report_base64),
                       ("unique_id", unique_id), ("signature_digest", signature_digest)):
        if value is not None:
            params[key] = value


def add_genesis_oracle(app_state: JSON, address: str, unique_id: str, *, endpoint: str = "",
                       commission_rate: str = "0.1", max_rate: str = "0.3", max_change_rate: str = "0.01") -> None:
    """`add-genesis-oracle` (spec §3.13): append an Oracle, duplicate address rejected, zero update_time."""
    addr.parse_or(address, detail="invalid oracle address")
    oracles = app_state.setdefault("oracle", {}).setdefault("oracles", [])
    if any(o["oracle_address"] == address for o in oracles):
        raise ValueError(f"oracle {address} already exists in genesis")
    oracles.append({
        "oracle_address": address, "unique_id": unique_id, "endpoint": endpoint, "update_time": GO_ZERO_TIME,
        "oracle_commission_rate": dec_to_json(parse_dec(commission_rate)),
        "oracle_commission_max_rate": dec_to_json(parse_dec(max_rate)),
        "oracle_commission_max_change_rate": dec_to_json(parse_dec(max_change_rate)),
    })


def load(path: str | Path) -> JSON:
    try:
        data = json.loads(Path(path).read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"genesis file {path} is not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise ValueError(f"genesis file {path} must hold a JSON object")
    return data


def merged(defaults: JSON, app_state: JSON) -> JSON:
    """Sections missing from ``app_state`` take the module defaults."""
    out = copy.deepcopy(defaults)
    out.update(copy.deepcopy(app_state))
    return out

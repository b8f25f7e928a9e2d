"""Spec §6 "oracle / genesis": validation, init and export (§3.13)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from panacea.chain.errors import ChainError
from panacea.chain.modules.oracle.keeper import timestamp
from panacea.chain.modules.oracle.module import OracleModule
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2
from panacea.types.protojson import to_json

from .conftest import (
    address,
    make_env,
    new_oracle,
    raw_address,
    registration,
    upgrade_record,
)


def _fixture_genesis(with_info: bool = True) -> dict[str, Any]:
    a1, a2 = address(), address()
    state = genesis_pb2.GenesisState(
        oracles=[new_oracle(a, "uniqueID", 0) for a in (a1, a2)],
        oracle_registrations=[registration("uniqueID", a) for a in (a1, a2)],
        oracle_upgrades=[upgrade_record("uniqueID2", a) for a in (a1, a2)],
        params=genesis_pb2.Params(signature_digest="sha256"))
    if with_info:
        state.oracle_upgrade_info.CopyFrom(oracle_pb2.OracleUpgradeInfo(unique_id="uniqueID2", height=100))
    out = to_json(state)
    out.setdefault("oracle_upgrade_info", None)
    return out


def _sorted_genesis(g: dict[str, Any]) -> dict[str, Any]:
    g = copy.deepcopy(g)
    for key in ("oracles", "oracle_registrations", "oracle_upgrades"):
        g[key].sort(key=lambda o: (o["unique_id"], raw_address(oracle_pb2.Oracle(oracle_address=o["oracle_address"]))))
    return g


def test_genesis_init_export_round_trip() -> None:
    genesis = _fixture_genesis()
    assert genesis["oracles"][0]["update_time"] == "1970-01-01T00:00:00Z"
    env = make_env()
    module = OracleModule(env.keeper)
    module.init_genesis(env.ctx, genesis)  # nil trusted_block_hash: InitGenesis does not validate
    a1 = genesis["oracles"][0]["oracle_address"]
    assert env.keeper.get_oracle(env.ctx, a1).update_time == timestamp(0)
    assert env.keeper.get_oracle_upgrade_info(env.ctx) == oracle_pb2.OracleUpgradeInfo(unique_id="uniqueID2",
                                                                                        height=100)
    exported = module.export_genesis(env.ctx)
    assert _sorted_genesis(exported) == _sorted_genesis(genesis)
    assert exported["params"] == {"oracle_public_key": "", "oracle_pub_key_remote_report": "", "unique_id": "",
                                  "signature_digest": "sha256"}


def test_genesis_export_without_upgrade_info() -> None:
    """Departure (§3.13): the reference panics here; we export null."""
    genesis = _fixture_genesis(with_info=False)
    env = make_env()
    module = OracleModule(env.keeper)
    module.init_genesis(env.ctx, genesis)
    exported = module.export_genesis(env.ctx)
    assert exported["oracle_upgrade_info"] is None
    assert _sorted_genesis(exported) == _sorted_genesis(genesis)
    assert module.default_genesis() == {"oracles": [], "oracle_registrations": [], "oracle_upgrades": [],
                                        "oracle_upgrade_info": None, "params": exported["params"]}


def test_genesis_oracle_without_update_time_gets_go_zero_time() -> None:
    env = make_env()
    module = OracleModule(env.keeper)
    genesis = module.default_genesis()
    a = address()
    genesis["oracles"] = [{"oracle_address": a, "unique_id": "u", "oracle_commission_rate": "0.1",
                           "oracle_commission_max_rate": "0.2", "oracle_commission_max_change_rate": "0.01"}]
    module.validate_genesis(genesis)
    module.init_genesis(env.ctx, genesis)
    assert module.export_genesis(env.ctx)["oracles"][0] == {
        "oracle_address": a, "unique_id": "u", "endpoint": "", "update_time": "0001-01-01T00:00:00Z",
        "oracle_commission_rate": "0.100000000000000000", "oracle_commission_max_rate": "0.200000000000000000",
        "oracle_commission_max_change_rate": "0.010000000000000000"}


def test_genesis_validate_default_and_valid_fixture() -> None:
    module = OracleModule(make_env().keeper)
    module.validate_genesis(module.default_genesis())
    genesis = _fixture_genesis()
    for key in ("oracle_registrations", "oracle_upgrades"):
        for item in genesis[key]:
            item["trusted_block_hash"] = "aGFzaA=="
    module.validate_genesis(genesis)


def _invalid(mutate: Any) -> str:
    genesis = _fixture_genesis()
    for key in ("oracle_registrations", "oracle_upgrades"):
        for item in genesis[key]:
            item["trusted_block_hash"] = "aGFzaA=="
    mutate(genesis)
    with pytest.raises(ChainError) as info:
        OracleModule(make_env().keeper).validate_genesis(genesis)
    return info.value.log


def test_genesis_validate_reference_fixture_fails_on_nil_hash() -> None:
    with pytest.raises(ChainError) as info:
        OracleModule(make_env().keeper).validate_genesis(_fixture_genesis())
    assert info.value.log == "trusted block hash should not be nil: invalid request"


def test_genesis_validate_errors() -> None:
    def set_(section: str, field: str, value: Any) -> Any:
        def mutate(g: dict[str, Any]) -> None:
            target = g[section][0] if isinstance(g[section], list) else g[section]
            target[field] = value
        return mutate

    assert _invalid(set_("oracles", "oracle_address", "")) == \
        "oracle address is invalid. address: : empty address string is not allowed"
    assert _invalid(set_("oracles", "unique_id", "")) == "uniqueID is empty"
    assert _invalid(set_("oracles", "oracle_commission_max_rate", "1.1")) == \
        "OracleCommissionMaxRate must be between 0 and 1: invalid request"
    assert _invalid(set_("oracles", "oracle_commission_rate", "0.3")) == \
        "oracleCommissionRate must be between 0 and OracleCommissionMaxRate: invalid request"
    # REF (§3.4): stored types bound max_change_rate by 1, not by max_rate.
    assert _invalid(set_("oracles", "oracle_commission_max_change_rate", "1.5")) == \
        "OracleCommissionMaxChangeRate must be between 0 and 1: invalid request"
    assert _invalid(set_("oracle_registrations", "node_pub_key", "")) == "node public key is empty: invalid request"
    assert _invalid(set_("oracle_registrations", "oracle_commission_max_change_rate", "-0.1")) == \
        "OracleCommissionMaxChangeRate must be between 0 and 1: invalid request"
    assert _invalid(set_("oracle_upgrades", "trusted_block_height", "0")) == \
        "trusted block height must be greater than zero: invalid request"
    assert _invalid(set_("oracle_upgrade_info", "height", "0")) == \
        "upgrade height must be greater than zero: invalid request"
    assert _invalid(set_("oracle_upgrade_info", "unique_id", "")) == "uniqueID is empty: invalid request"
    assert _invalid(set_("params", "oracle_public_key", "!!")) == \
        "illegal base64 data at input byte 0: invalid request"
    assert _invalid(set_("params", "signature_digest", "md5")) == \
        "invalid signature digest 'md5': must be \"sha256\" or \"legacy\": invalid request"


def test_genesis_max_change_rate_above_max_rate_is_valid_for_stored_types() -> None:
    env = make_env()
    genesis = _fixture_genesis()
    for item in genesis["oracle_registrations"] + genesis["oracle_upgrades"]:
        item["trusted_block_hash"] = "aGFzaA=="
    genesis["oracles"][0]["oracle_commission_max_change_rate"] = "0.5"
    OracleModule(env.keeper).validate_genesis(genesis)

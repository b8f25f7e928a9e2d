"""Spec §6 "oracle / queries & genesis", the unique_id separator departure and genesis validation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from panacea.chain import addr
from panacea.chain.errors import ChainError
from panacea.chain.modules.oracle.errors import ErrOracleNotFound
from panacea.chain.modules.oracle.keeper import timestamp
from panacea.chain.modules.oracle.module import OracleModule
from panacea.chain.modules.oracle.queries import OracleQueries
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2, query_pb2
from panacea.types.protojson import to_json

from .conftest import (
    MAX_CHANGE,
    MAX_RATE,
    RATE,
    T0,
    Env,
    address,
    error_of,
    make_env,
    new_oracle,
)

NODE_KEY = PrivateKey(bytes(31) + b"\x07").public_key().compressed


def _registration(unique_id: str, addr: str, block_hash: bytes = b"") -> oracle_pb2.OracleRegistration:
    return oracle_pb2.OracleRegistration(
        unique_id=unique_id, oracle_address=addr, node_pub_key=NODE_KEY, node_pub_key_remote_report=b"report",
        trusted_block_height=10, trusted_block_hash=block_hash, endpoint="https://my-validator.org",
        oracle_commission_rate=RATE, oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=MAX_CHANGE)


def _upgrade(unique_id: str, addr: str, block_hash: bytes = b"") -> oracle_pb2.OracleUpgrade:
    return oracle_pb2.OracleUpgrade(unique_id=unique_id, oracle_address=addr, node_pub_key=NODE_KEY,
                                    node_pub_key_remote_report=b"report", trusted_block_height=10,
                                    trusted_block_hash=block_hash)


@pytest.fixture
def env() -> Env:
    return make_env("correctUniqueID")


# --- queries --------------------------------------------------------------------------------------------
def test_oracles_and_oracle(env: Env) -> None:
    q = OracleQueries(env.keeper)
    oracles = [new_oracle(address(), "correctUniqueID", T0) for _ in range(2)]
    for o in oracles:
        env.keeper.set_oracle(env.ctx, o)
    resp = q.oracles(env.ctx, query_pb2.QueryOraclesRequest())
    assert list(resp.oracles) == sorted(oracles, key=_raw)  # ordered by address bytes
    got = q.oracle(env.ctx, query_pb2.QueryOracleRequest(oracle_address=oracles[0].oracle_address))
    assert got.oracle == oracles[0]


def _raw(o: Any) -> bytes:
    return addr.parse(o.oracle_address)


def test_oracle_not_found_and_bad_address(env: Env) -> None:
    q = OracleQueries(env.keeper)
    addr = address()
    err = error_of(q.oracle, env.ctx, query_pb2.QueryOracleRequest(oracle_address=addr))
    assert err.is_(ErrOracleNotFound)
    assert err.log == f"oracle '{addr}' does not exist: oracle not found"
    err = error_of(q.oracle, env.ctx, query_pb2.QueryOracleRequest(oracle_address=""))
    assert (err.codespace, err.code, err.log) == ("oracle", 4, "empty address string is not allowed: "
                                                  "error while getting a oracle")


def test_oracles_pagination(env: Env) -> None:
    for _ in range(3):
        env.keeper.set_oracle(env.ctx, new_oracle(address(), "correctUniqueID", T0))
    page = pagination_pb2.PageRequest(limit=2, count_total=True)
    resp = OracleQueries(env.keeper).oracles(env.ctx, query_pb2.QueryOraclesRequest(pagination=page))
    assert len(resp.oracles) == 2
    assert resp.pagination.total == 3
    assert len(resp.pagination.next_key) == 20


def test_registrations_and_upgrades_by_unique_id(env: Env) -> None:
    q = OracleQueries(env.keeper)
    a1, a2 = address(), address()
    regs = [_registration("correctUniqueID", a1), _registration("correctUniqueID", a2), _registration("uniqueID2", a1)]
    ups = [_upgrade("correctUniqueID", a1), _upgrade("correctUniqueID", a2), _upgrade("uniqueID2", a2)]
    for r in regs:
        env.keeper.set_oracle_registration(env.ctx, r)
    for u in ups:
        env.keeper.set_oracle_upgrade(env.ctx, u)
    got = q.oracle_registrations(env.ctx, query_pb2.QueryOracleRegistrationsRequest(unique_id="correctUniqueID"))
    assert sorted(got.oracle_registrations, key=_raw) == sorted(regs[:2], key=_raw)
    got = q.oracle_registrations(env.ctx, query_pb2.QueryOracleRegistrationsRequest(unique_id="uniqueID2"))
    assert list(got.oracle_registrations) == [regs[2]]
    got_up = q.oracle_upgrades(env.ctx, query_pb2.QueryOracleUpgradesRequest(unique_id="correctUniqueID"))
    assert sorted(got_up.oracle_upgrades, key=_raw) == sorted(ups[:2], key=_raw)
    got_up = q.oracle_upgrades(env.ctx, query_pb2.QueryOracleUpgradesRequest(unique_id="uniqueID2"))
    assert list(got_up.oracle_upgrades) == [ups[2]]
    one = q.oracle_registration(env.ctx, query_pb2.QueryOracleRegistrationRequest(unique_id="uniqueID2",
                                                                                  oracle_address=a1))
    assert one.oracle_registration == regs[2]
    up = q.oracle_upgrade(env.ctx, query_pb2.QueryOracleUpgradeRequest(unique_id="uniqueID2", oracle_address=a2))
    assert up.oracle_upgrade == ups[2]


def test_prefix_queries_use_separator(env: Env) -> None:
    """Departure (§3.3): unique_id "abc" must not match "abcd"."""
    q = OracleQueries(env.keeper)
    a = address()
    env.keeper.set_oracle_registration(env.ctx, _registration("abcd", a))
    env.keeper.set_oracle_upgrade(env.ctx, _upgrade("abcd", a))
    assert list(q.oracle_registrations(env.ctx, query_pb2.QueryOracleRegistrationsRequest(unique_id="abc"))
                .oracle_registrations) == []
    assert list(q.oracle_upgrades(env.ctx, query_pb2.QueryOracleUpgradesRequest(unique_id="abc"))
                .oracle_upgrades) == []
    assert len(q.oracle_registrations(env.ctx, query_pb2.QueryOracleRegistrationsRequest(unique_id="abcd"))
               .oracle_registrations) == 1


def test_single_registration_and_upgrade_not_found(env: Env) -> None:
    q = OracleQueries(env.keeper)
    a = address()
    err = error_of(q.oracle_registration, env.ctx,
                   query_pb2.QueryOracleRegistrationRequest(unique_id="x", oracle_address=a))
    assert (err.code, err.log) == (3, "oracle registration not found")
    err = error_of(q.oracle_upgrade, env.ctx, query_pb2.QueryOracleUpgradeRequest(unique_id="x", oracle_address=a))
    assert (err.code, err.log) == (18, "oracle upgrade not found")


def test_upgrade_info_query(env: Env) -> None:
    q = OracleQueries(env.keeper)
    assert not q.oracle_upgrade_info(env.ctx, query_pb2.QueryOracleUpgradeInfoRequest()).HasField(
        "oracle_upgrade_info")
    info = oracle_pb2.OracleUpgradeInfo(unique_id="uniqueID2", height=100)
    env.keeper.set_oracle_upgrade_info(env.ctx, info)
    assert q.oracle_upgrade_info(env.ctx, query_pb2.QueryOracleUpgradeInfoRequest()).oracle_upgrade_info == info


def test_query_routes_paths(env: Env) -> None:
    paths = [r.path for r in OracleModule(env.keeper).queries()]
    assert paths == [f"/panacea.oracle.v2.Query/{m}" for m in (
        "Oracles", "Oracle", "OracleRegistrations", "OracleRegistration", "OracleUpgradeInfo", "OracleUpgrades",
        "OracleUpgrade", "Params")]


# --- genesis --------------------------------------------------------------------------------------------
def _fixture_genesis(with_info: bool = True) -> dict[str, Any]:
    a1, a2 = address(), address()
    state = genesis_pb2.GenesisState(
        oracles=[new_oracle(a, "uniqueID", 0) for a in (a1, a2)],
        oracle_registrations=[_registration("uniqueID", a) for a in (a1, a2)],
        oracle_upgrades=[_upgrade("uniqueID2", a) for a in (a1, a2)],
        params=genesis_pb2.Params(signature_digest="sha256"))
    if with_info:
        state.oracle_upgrade_info.CopyFrom(oracle_pb2.OracleUpgradeInfo(unique_id="uniqueID2", height=100))
    out = to_json(state)
    out.setdefault("oracle_upgrade_info", None)
    return out


def _sorted_genesis(g: dict[str, Any]) -> dict[str, Any]:
    g = copy.deepcopy(g)
    for key in ("oracles", "oracle_registrations", "oracle_upgrades"):
        g[key].sort(key=lambda o: (o["unique_id"], _raw(oracle_pb2.Oracle(oracle_address=o["oracle_address"]))))
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

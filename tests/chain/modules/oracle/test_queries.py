"""Spec §6 "oracle / queries": the query handlers and the unique_id separator departure (§3.3)."""

from __future__ import annotations

import pytest

from panacea.chain.modules.oracle.errors import ErrOracleNotFound
from panacea.chain.modules.oracle.module import OracleModule
from panacea.chain.modules.oracle.queries import OracleQueries
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2, query_pb2

from .conftest import (
    T0,
    Env,
    address,
    error_of,
    make_env,
    new_oracle,
    raw_address,
    registration,
    upgrade_record,
)


@pytest.fixture
def env() -> Env:
    return make_env("correctUniqueID")


def test_oracles_and_oracle(env: Env) -> None:
    q = OracleQueries(env.keeper)
    oracles = [new_oracle(address(), "correctUniqueID", T0) for _ in range(2)]
    for o in oracles:
        env.keeper.set_oracle(env.ctx, o)
    resp = q.oracles(env.ctx, query_pb2.QueryOraclesRequest())
    assert list(resp.oracles) == sorted(oracles, key=raw_address)  # ordered by address bytes
    got = q.oracle(env.ctx, query_pb2.QueryOracleRequest(oracle_address=oracles[0].oracle_address))
    assert got.oracle == oracles[0]


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
    regs = [registration("correctUniqueID", a1), registration("correctUniqueID", a2), registration("uniqueID2", a1)]
    ups = [upgrade_record(uid, a) for uid, a in (("correctUniqueID", a1), ("correctUniqueID", a2), ("uniqueID2", a2))]
    for r in regs:
        env.keeper.set_oracle_registration(env.ctx, r)
    for u in ups:
        env.keeper.set_oracle_upgrade(env.ctx, u)
    got = q.oracle_registrations(env.ctx, query_pb2.QueryOracleRegistrationsRequest(unique_id="correctUniqueID"))
    assert sorted(got.oracle_registrations, key=raw_address) == sorted(regs[:2], key=raw_address)
    got = q.oracle_registrations(env.ctx, query_pb2.QueryOracleRegistrationsRequest(unique_id="uniqueID2"))
    assert list(got.oracle_registrations) == [regs[2]]
    got_up = q.oracle_upgrades(env.ctx, query_pb2.QueryOracleUpgradesRequest(unique_id="correctUniqueID"))
    assert sorted(got_up.oracle_upgrades, key=raw_address) == sorted(ups[:2], key=raw_address)
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
    env.keeper.set_oracle_registration(env.ctx, registration("abcd", a))
    env.keeper.set_oracle_upgrade(env.ctx, upgrade_record("abcd", a))
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

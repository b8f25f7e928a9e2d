"""``cosmos.auth.v1beta1.Query``: exact responses and the SDK's error texts."""

from __future__ import annotations

import pytest

from panacea.chain.modules.auth.keeper import default_params
from panacea.chain.modules.auth.queries import PATH, AuthQueries
from panacea.crypto.address import module_address
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from tests.chain.kit import Keepers, error_of, keepers, key

A = key("a")


@pytest.fixture()
def k() -> Keepers:
    k = keepers()
    k.auth.new_account(k.ctx, A.address())
    k.auth.get_or_create_module_account(k.ctx, "fee_collector")
    return k


def test_routes() -> None:
    paths = [r.path for r in AuthQueries(keepers().auth).routes()]
    assert paths == [PATH + m for m in ("Account", "Accounts", "Params", "ModuleAccountByName", "Bech32Prefix")]


def test_account(k: Keepers) -> None:
    q = AuthQueries(k.auth)
    got = q.account(k.ctx, query_pb2.QueryAccountRequest(address=A.bech32()))
    assert got.account == k.auth.get_account(k.ctx, A.address()).to_any()  # type: ignore[union-attr]
    assert error_of(q.account, k.ctx, query_pb2.QueryAccountRequest()).log == \
        "Address cannot be empty: invalid request"
    other = key("other").bech32()
    e = error_of(q.account, k.ctx, query_pb2.QueryAccountRequest(address=other))
    assert (e.code, e.log) == (38, f"account {other} not found: not found")
    e = error_of(q.account, k.ctx, query_pb2.QueryAccountRequest(address="x"))
    assert e.log == "invalid address (decoding bech32 failed: invalid bech32 string length 1): invalid address"


def test_accounts_paginate(k: Keepers) -> None:
    q = AuthQueries(k.auth)
    everything = q.accounts(k.ctx, query_pb2.QueryAccountsRequest())
    assert len(everything.accounts) == 2 and everything.pagination.total == 2
    first = q.accounts(k.ctx, query_pb2.QueryAccountsRequest(pagination=pagination_pb2.PageRequest(limit=1)))
    assert len(first.accounts) == 1 and first.pagination.next_key
    assert first.accounts[0] == everything.accounts[0]


def test_module_account_params_and_prefix(k: Keepers) -> None:
    q = AuthQueries(k.auth)
    got = q.module_account(k.ctx, query_pb2.QueryModuleAccountByNameRequest(name="fee_collector"))
    assert got.account == k.auth.get_account(k.ctx, module_address("fee_collector")).to_any()  # type: ignore[union-attr]
    assert error_of(q.module_account, k.ctx, query_pb2.QueryModuleAccountByNameRequest()).log == \
        "module name is empty: invalid request"
    assert error_of(q.module_account, k.ctx, query_pb2.QueryModuleAccountByNameRequest(name="nope")).log == \
        "account nope not found: not found"
    # a base account at a module address is not a module account
    k.auth.new_account(k.ctx, module_address("plain"))
    assert error_of(q.module_account, k.ctx, query_pb2.QueryModuleAccountByNameRequest(name="plain")).log == \
        "account plain not found: not found"
    assert q.params(k.ctx, query_pb2.QueryParamsRequest()).params == default_params()
    assert q.bech32_prefix(k.ctx, query_pb2.Bech32PrefixRequest()).bech32_prefix == "panacea"

"""The sync and async clients (and wallets) offer the same public methods, signatures and docstrings."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from panacea.client import AsyncChainClient, AsyncWallet, ChainClient, Wallet


def public(cls: type) -> dict[str, Callable[..., object]]:
    return {name: getattr(cls, name) for name in dir(cls) if not name.startswith("_")
            and callable(getattr(cls, name))}


def params(method: Callable[..., object]) -> list[tuple[str, object, object, object]]:
    return [(p.name, p.kind, p.default, p.annotation) for p in inspect.signature(method).parameters.values()]


CLIENT_METHODS = [
    "abci_query", "account", "all_balances", "balance", "block", "broadcast", "close", "consent", "consents",
    "deal", "deals", "deposit", "deposits", "did", "get_chain_id", "get_tx", "gov_params", "oracle", "oracle_params",
    "oracle_registration", "oracle_registrations", "oracle_upgrade", "oracle_upgrades", "oracles", "proposal",
    "proposals", "query", "rpc", "run", "run_all", "run_plan", "simulate", "status", "tally", "total_supply",
    "upgrade_info", "vote", "votes", "wait_for_tx", "wallet",
]
WALLET_METHODS = ["account", "broadcast", "estimate_gas", "run_plan", "send"]


def test_clients_offer_the_same_methods() -> None:
    sync, aio = public(ChainClient), public(AsyncChainClient)
    assert sorted(sync) == sorted(aio) == CLIENT_METHODS
    assert {n: params(m) for n, m in sync.items()} == {n: params(m) for n, m in aio.items()}


def test_wallets_offer_the_same_methods() -> None:
    sync, aio = public(Wallet), public(AsyncWallet)
    assert sorted(sync) == sorted(aio) == WALLET_METHODS
    assert {n: params(m) for n, m in sync.items()} == {n: params(m) for n, m in aio.items()}


def test_every_public_method_has_a_one_line_docstring() -> None:
    for cls in (ChainClient, AsyncChainClient, Wallet, AsyncWallet):
        for name, method in public(cls).items():
            doc = inspect.getdoc(method) or ""
            assert doc and "\n" not in doc, f"{cls.__name__}.{name}: {doc!r}"


def test_async_methods_are_awaitable() -> None:
    client = AsyncChainClient("tcp://127.0.0.1:9")
    for name in CLIENT_METHODS:
        if name != "wallet":
            method = getattr(client, name)
            assert inspect.iscoroutinefunction(method), name


def test_an_effect_the_runner_does_not_know_is_thrown_into_the_plan() -> None:
    import asyncio

    import pytest

    from panacea.client.plan import Extension, Plan

    class Unknown(Extension):
        pass

    def plan() -> Plan[str]:
        try:
            yield Unknown()
        except TypeError as e:
            return f"refused: {e}"
        return "performed"

    with ChainClient("tcp://127.0.0.1:9") as client:
        assert client.run_plan(plan()).startswith("refused: ChainClient cannot perform <")
    assert asyncio.run(AsyncChainClient("tcp://127.0.0.1:9").run_plan(plan())).startswith(
        "refused: AsyncChainClient cannot perform <")

    def careless() -> Plan[str]:
        yield Unknown()
        return "performed"

    with pytest.raises(TypeError), ChainClient("tcp://127.0.0.1:9") as client:
        client.run_plan(careless())

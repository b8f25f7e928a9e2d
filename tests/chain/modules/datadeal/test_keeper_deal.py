"""Deals: creation, escrow, deactivation, and the pre-funding / blocked-transfer departures."""

from __future__ import annotations

import pytest

from panacea.chain import addr
from panacea.chain.errors import ChainError, ErrUnauthorized
from panacea.chain.modules.datadeal.errors import ErrDeactivateDeal, ErrDealAlreadyExist, ErrDealNotInitialized
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.crypto.address import module_address
from panacea.types.coins import DENOM, Coin
from panacea.types.events import Event
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2, tx_pb2

from .conftest import DEFAULT_FUNDS, FIXTURE_BUDGET, Env, key, make_deal

ACTIVE, INACTIVE, COMPLETED = (deal_pb2.DEAL_STATUS_ACTIVE, deal_pb2.DEAL_STATUS_INACTIVE,
                               deal_pb2.DEAL_STATUS_COMPLETED)


@pytest.fixture
def deal_env(sha_env: Env) -> Env:
    """The reference dealTestSuite: deal 1 stored directly (no account), next deal number 2."""
    sha_env.datadeal.set_next_deal_number(sha_env.ctx, 2)
    sha_env.datadeal.set_deal(sha_env.ctx, make_deal(1, sha_env.consumer, 100))
    return sha_env


def test_deal_address_is_module_address() -> None:
    assert DatadealKeeper.deal_address(7) == module_address("deal7")


def test_create_new_deal(deal_env: Env) -> None:
    env = deal_env
    env.fund(env.consumer)
    msg = env.create_msg(budget=10_000_000, max_num_data=10_000)
    del msg.agreement_terms[:]
    msg.agreement_terms.add(id=1, required=True, title="title", description="description")
    deal_id = env.datadeal.create_deal(env.ctx, msg)
    assert deal_id == env.datadeal.get_and_increase_next_deal_number(env.ctx) - 1 == 2
    deal = env.datadeal.get_deal(env.ctx, deal_id)
    assert deal == deal_pb2.Deal(
        id=2, address=addr.encode(module_address("deal2")), data_schema=msg.data_schema, budget=msg.budget,
        max_num_data=10_000, cur_num_data=0, consumer_address=env.consumer, agreement_terms=msg.agreement_terms,
        status=ACTIVE, consumer_service_endpoint=msg.consumer_service_endpoint)
    account = env.auth.get_account(env.ctx, module_address("deal2"))
    assert account is not None and account.module_name == "deal2" and account.permissions == ()
    assert env.balance(deal.address) == 10_000_000
    assert env.balance(env.consumer) == DEFAULT_FUNDS - 10_000_000


def test_create_deal_events_are_bank_only(sha_env: Env) -> None:
    env = sha_env
    env.fund(env.consumer)
    env.datadeal.create_deal(env.ctx, env.create_msg(budget=10_000))
    deal = addr.encode(module_address("deal1"))
    assert env.ctx.events == [
        Event.of("coin_spent", ("spender", env.consumer), ("amount", "10000umed")),
        Event.of("coin_received", ("receiver", deal), ("amount", "10000umed")),
        Event.of("transfer", ("recipient", deal), ("sender", env.consumer), ("amount", "10000umed")),
        Event.of("message", ("sender", env.consumer)),
    ]


def test_create_deal_with_presentation_definition_keeps_it(sha_env: Env) -> None:
    env = sha_env
    env.fund(env.consumer)
    msg = env.create_msg()
    del msg.data_schema[:]
    msg.presentation_definition = b'{"id":"p","input_descriptors":[{"id":"a","schema":[{"uri":"u"}]}]}'
    deal = env.datadeal.get_deal(env.ctx, env.datadeal.create_deal(env.ctx, msg))
    assert deal.presentation_definition == msg.presentation_definition and list(deal.data_schema) == []


def test_create_deal_zero_budget_moves_nothing(sha_env: Env) -> None:
    env = sha_env
    env.fund(env.consumer)
    deal_id = env.datadeal.create_deal(env.ctx, env.create_msg(budget=0))
    assert env.balance(env.datadeal.get_deal(env.ctx, deal_id).address) == 0
    assert env.balance(env.consumer) == DEFAULT_FUNDS


def test_create_deal_insufficient_funds(sha_env: Env) -> None:
    env = sha_env
    env.fund(env.consumer, 5)
    with pytest.raises(ChainError) as info:
        env.datadeal.create_deal(env.ctx, env.create_msg(budget=10_000))
    assert info.value.log == ("Failed to send budget to deal account: 5umed is smaller than 10000umed: "
                              "insufficient funds")


def test_create_deal_not_initialized(sha_env: Env) -> None:
    env = Env(sha_env.mode)
    env.ctx.kv(b"datadeal/").delete(b"\x01")
    with pytest.raises(ChainError) as info:
        env.datadeal.create_deal(env.ctx, env.create_msg())
    assert info.value.is_(ErrDealNotInitialized)
    assert info.value.log == "failed to get next deal num: deal has not been initialized"


def test_create_deal_existing_module_account(sha_env: Env) -> None:
    env = sha_env
    env.fund(env.consumer)
    env.auth.new_module_account(env.ctx, "deal1")
    with pytest.raises(ChainError) as info:
        env.datadeal.create_deal(env.ctx, env.create_msg())
    assert info.value.is_(ErrDealAlreadyExist)
    assert info.value.log == "deal 1 already exist: deal already exist"


def test_prefunded_deal_address_does_not_block_creation(sha_env: Env) -> None:
    """Departure (§2.4 REF): coins sent to SHA256("deal1")[:20] beforehand become part of deal 1."""
    env = sha_env
    attacker = key("attacker").bech32()
    env.fund(attacker, 1_000)
    env.fund(attacker, 7, "uatom")
    escrow = module_address("deal1")
    env.bank.send_user(env.ctx, addr.parse(attacker), escrow, [Coin(DENOM, 3), Coin("uatom", 7)])
    before = env.auth.get_account(env.ctx, escrow)
    assert before is not None and not before.is_module

    env.fund(env.consumer)
    deal_id = env.datadeal.create_deal(env.ctx, env.create_msg(budget=10_000, max_num_data=10))
    assert deal_id == 1
    after = env.auth.get_account(env.ctx, escrow)
    assert after is not None and after.module_name == "deal1" and after.number == before.number
    assert env.balance(escrow) == 10_003 and env.balance(escrow, "uatom") == 7

    # The extra balance goes back to the consumer with the rest on deactivation.
    env.datadeal.deactivate_deal(env.ctx, tx_pb2.MsgDeactivateDeal(deal_id=1, requester_address=env.consumer))
    assert env.bank.all_balances(env.ctx, escrow) == []
    assert env.balance(env.consumer) == DEFAULT_FUNDS + 3
    assert env.balance(env.consumer, "uatom") == 7


def test_deal_account_refuses_ordinary_transfers(sha_env: Env) -> None:
    env = sha_env
    deal_id = env.create_deal()
    escrow = env.datadeal.deal_address(deal_id)
    with pytest.raises(ChainError) as info:
        env.bank.send_user(env.ctx, addr.parse(env.consumer), escrow, [Coin(DENOM, 1)])
    assert info.value.is_(ErrUnauthorized)
    assert info.value.log == f"{addr.encode(escrow)} is not allowed to receive funds: unauthorized"
    assert env.balance(escrow) == 10_000


def test_cur_num_data_increment_completes(sha_env: Env) -> None:
    """TestCheckDealCurNumDataAndIncrement (max 1)."""
    env = sha_env
    env.fund(env.consumer)
    msg = tx_pb2.MsgCreateDeal(data_schema=["http://jsonld.com"], budget=env.create_msg(10_000_000).budget,
                               max_num_data=1, consumer_address=env.consumer)
    deal_id = env.datadeal.create_deal(env.ctx, msg)
    deal = env.datadeal.get_deal(env.ctx, deal_id)
    assert deal.status != COMPLETED
    env.datadeal.increase_cur_num_data(env.ctx, deal)
    updated = env.datadeal.get_deal(env.ctx, deal_id)
    assert updated.cur_num_data == 1 and updated.status == COMPLETED
    # Departure: completion refunds what is left in escrow (here all of it, no consent paid anything).
    assert env.balance(deal.address) == 0
    assert env.balance(env.consumer) == DEFAULT_FUNDS


def test_deactivate_deal_refunds_budget(deal_env: Env) -> None:
    """TestRequestDeactivateDeal."""
    env = deal_env
    env.fund(env.consumer)
    deal = env.datadeal.get_deal(env.ctx, 1)
    env.bank.send(env.ctx, addr.parse(env.consumer), addr.parse(deal.address), [Coin(DENOM, FIXTURE_BUDGET)])
    before = env.balance(env.consumer)
    assert before == 9_000_000_000
    env.ctx.events.clear()
    env.datadeal.deactivate_deal(env.ctx, tx_pb2.MsgDeactivateDeal(deal_id=1, requester_address=env.consumer))
    assert env.datadeal.get_deal(env.ctx, 1).status == INACTIVE
    assert env.balance(env.consumer) == before + FIXTURE_BUDGET == DEFAULT_FUNDS
    assert env.balance(deal.address) == 0
    assert [e.type for e in env.ctx.events] == ["coin_spent", "coin_received", "transfer", "message"]
    assert env.ctx.events[2] == Event.of("transfer", ("recipient", env.consumer), ("sender", deal.address),
                                         ("amount", "1000000000umed"))


def test_deactivate_refunds_every_denom_and_leftovers(sha_env: Env) -> None:
    """Departure: all balances of the escrow go back, not only umed."""
    env = sha_env
    env.store_oracle()
    deal_id = env.create_deal(budget=10_000, max_num_data=10)
    env.submit(deal_id)
    escrow = env.datadeal.deal_address(deal_id)
    env.fund(addr.encode(escrow), 42, "uatom")  # e.g. genesis balance at the escrow address
    env.datadeal.deactivate_deal(env.ctx, tx_pb2.MsgDeactivateDeal(deal_id=deal_id, requester_address=env.consumer))
    assert env.bank.all_balances(env.ctx, escrow) == []
    assert env.balance(env.consumer) == DEFAULT_FUNDS - 10_000 + 9_000
    assert env.balance(env.consumer, "uatom") == 42
    assert env.balance(env.provider) == 900 and env.balance(env.oracle_account) == 100


def test_deactivate_deal_by_non_consumer(deal_env: Env) -> None:
    env = deal_env
    with pytest.raises(ChainError) as info:
        env.datadeal.deactivate_deal(env.ctx, tx_pb2.MsgDeactivateDeal(deal_id=1, requester_address=env.provider))
    assert info.value.is_(ErrDeactivateDeal)
    assert info.value.log == "only consumer can deactivate the deal: error while deactivate deal"


@pytest.mark.parametrize("status", [COMPLETED, INACTIVE])
def test_deactivate_deal_not_active(deal_env: Env, status: int) -> None:
    env = deal_env
    deal = env.datadeal.get_deal(env.ctx, 1)
    deal.status = status  # type: ignore[assignment]
    env.datadeal.set_deal(env.ctx, deal)
    with pytest.raises(ChainError) as info:
        env.datadeal.deactivate_deal(env.ctx, tx_pb2.MsgDeactivateDeal(deal_id=1, requester_address=env.consumer))
    assert info.value.is_(ErrDeactivateDeal)
    assert info.value.log == "deal's status is not 'ACTIVE': error while deactivate deal"


def test_deactivate_unknown_deal(deal_env: Env) -> None:
    env = deal_env
    with pytest.raises(ChainError) as info:
        env.datadeal.deactivate_deal(env.ctx, tx_pb2.MsgDeactivateDeal(deal_id=9, requester_address=env.consumer))
    assert info.value.is_(ErrDeactivateDeal)
    assert info.value.log == "deal with ID 9 does not exist: deal is not found: error while deactivate deal"

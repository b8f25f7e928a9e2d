"""State invariants checked after every block in tests and simulations (like the SDK's crisis module)."""

from __future__ import annotations

from dataclasses import dataclass

from panacea.chain.context import Context
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2


@dataclass(frozen=True)
class Broken:
    name: str
    detail: str

    def __str__(self) -> str:
        return f"{self.name}: {self.detail}"


def check(ctx: Context, bank: BankKeeper, datadeal: DatadealKeeper) -> list[Broken]:
    """Every broken invariant of the state seen by ``ctx`` (empty list = healthy)."""
    broken: list[Broken] = []
    totals: dict[str, int] = {}
    for address, coin in bank.iterate_all_balances(ctx):
        if coin.amount <= 0:
            broken.append(Broken("nonnegative-balance", f"{address.hex()} holds {coin}"))
        totals[coin.denom] = totals.get(coin.denom, 0) + coin.amount
    supply = {c.denom: c.amount for c in bank.all_supply(ctx)}
    if supply != totals:
        broken.append(Broken("total-supply", f"supply {sorted(supply.items())} != balances {sorted(totals.items())}"))
    consents: dict[int, int] = {}
    for consent in datadeal.iterate_consents(ctx):
        deal_id = consent.certificate.unsigned_certificate.deal_id
        consents[deal_id] = consents.get(deal_id, 0) + 1
    for deal in datadeal.iterate_deals(ctx):
        if deal.cur_num_data > deal.max_num_data:
            broken.append(Broken("cur-le-max", f"deal {deal.id}: cur {deal.cur_num_data} > max {deal.max_num_data}"))
        if consents.get(deal.id, 0) != deal.cur_num_data:
            broken.append(Broken("consents-eq-cur",
                                 f"deal {deal.id}: {consents.get(deal.id, 0)} consents, cur {deal.cur_num_data}"))
        if deal.status != deal_pb2.DEAL_STATUS_ACTIVE:
            held = bank.all_balances(ctx, datadeal.deal_address(deal.id))
            if held:
                broken.append(Broken("no-locked-funds", f"deal {deal.id} is closed but holds {held}"))
    return broken

"""State invariants checked after every block in tests and simulations (like the SDK's crisis module)."""

from __future__ import annotations

from dataclasses import dataclass

from panacea.chain.context import Context
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.did.keeper import DIDKeeper, is_deactivated
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


class DIDHistory:
    """x/did's invariants over time (did-reference §3.3): a record is never deleted, its sequence never goes down,
    and a tombstone is never revived (it stays exactly as deactivation left it). It remembers what the previous
    check saw, so check every committed block of one chain with the same instance."""

    def __init__(self) -> None:
        self._seen: dict[bytes, tuple[int, bool, bytes]] = {}  # key -> (sequence, deactivated, document bytes)

    def check(self, ctx: Context, did: DIDKeeper) -> list[Broken]:
        broken: list[Broken] = []
        now: dict[bytes, tuple[int, bool, bytes]] = {}
        for key, record in did.iterate(ctx):
            state = (record.sequence, is_deactivated(record), record.document.SerializeToString())
            now[key] = state
            before = self._seen.get(key)
            if before is None:
                continue
            name = key[1:].decode(errors="replace")
            if state[0] < before[0]:
                broken.append(Broken("did-sequence-grows", f"{name}: sequence {before[0]} -> {state[0]}"))
            if before[1] and state != before:
                broken.append(Broken("did-tombstone-permanent", f"{name}: deactivated at sequence {before[0]}, "
                                                                f"now sequence {state[0]}"))
        for key in sorted(set(self._seen) - set(now)):
            broken.append(Broken("did-never-deleted", f"{key[1:].decode(errors='replace')} was removed"))
        self._seen = now
        return broken

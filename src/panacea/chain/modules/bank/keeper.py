"""x/bank: balances and supply; the only writer of the ``bank`` store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from panacea.chain.coins import Coin, coins_str
from panacea.chain.context import Context
from panacea.chain.errors import ErrInsufficientFunds, ErrInvalidCoins, ErrUnauthorized
from panacea.chain.events import Event
from panacea.chain.kv import KVStore, StoreView, prefix_end
from panacea.chain.modules.bank.events import COIN_RECEIVED, COIN_SPENT, TRANSFER
from panacea.chain.modules.bank.expected_keepers import AccountKeeper
from panacea.chain.modules.bank.keys import (
    BALANCES_PREFIX,
    BALANCES_PREFIX_END,
    PARAMS_KEY,
    STORE,
    SUPPLY_PREFIX,
    SUPPLY_PREFIX_END,
    balance_key,
)
from panacea.crypto.address import ACC_HRP, bech32_encode, module_address
from panacea.types.lp import encode_uvarint
from panacea.types.memo import remember
from panacea.types.pb.cosmos.bank.v1beta1 import bank_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

_AMOUNTS_MAX: Final = 1 << 14
# Stored balance (Coin bytes) -> amount. Balances change every tx, so a value is mostly read back right
# after it was written: ``_encode_coin`` enters what it frames and the next read needs no decode.
_amounts: dict[bytes, int] = {}


def _remember_amount(raw: bytes, amount: int) -> None:
    remember(_amounts, raw, amount, _AMOUNTS_MAX)


def _amount(raw: bytes | None) -> int:
    if raw is None:
        return 0
    amount = _amounts.get(raw)
    if amount is None:
        amount = int(coin_pb2.Coin.FromString(raw).amount or "0")
        _remember_amount(raw, amount)
    return amount


def _encode_coin(denom: str, amount: int) -> bytes:
    """``Coin(denom=denom, amount=str(amount)).SerializeToString()`` framed by hand: fields 1 and 2 in
    order, an empty denom omitted (the amount's text is never empty)."""
    d = denom.encode()
    a = str(amount).encode()
    raw = (b"\x0a" + encode_uvarint(len(d)) + d if d else b"") + b"\x12" + encode_uvarint(len(a)) + a
    _remember_amount(raw, amount)
    return raw


def _write_balance(kv: KVStore, key: bytes, denom: str, amount: int) -> None:
    """Zero balances are not stored (like the SDK)."""
    if amount == 0:
        kv.delete(key)
    else:
        kv.set(key, _encode_coin(denom, amount))


def default_params() -> bank_pb2.Params:
    return bank_pb2.Params(default_send_enabled=True)


class BankKeeper:
    """Balances, supply and the bank params; reaches accounts through :class:`AccountKeeper` only."""

    def __init__(self, auth: AccountKeeper) -> None:
        self.auth: Final = auth

    # --- reads -------------------------------------------------------------------------------------
    def params(self, ctx: Context) -> bank_pb2.Params:
        raw = ctx.kv(STORE).get(PARAMS_KEY)
        return bank_pb2.Params.FromString(raw) if raw is not None else default_params()

    def balance(self, ctx: Context, address: bytes, denom: str) -> int:
        return _amount(ctx.kv(STORE).get(balance_key(address, denom)))

    def all_balances(self, ctx: Context, address: bytes) -> list[Coin]:
        prefix = balance_key(address)
        out = []
        for _k, v in ctx.kv(STORE).iterate(prefix, _next(prefix)):
            c = coin_pb2.Coin.FromString(v)
            out.append(Coin(c.denom, int(c.amount)))
        return out

    def supply(self, ctx: Context, denom: str) -> int:
        raw = ctx.kv(STORE).get(SUPPLY_PREFIX + denom.encode())
        return int(raw.decode()) if raw is not None else 0

    def all_supply(self, ctx: Context) -> list[Coin]:
        supply = ctx.kv(STORE).iterate(SUPPLY_PREFIX, SUPPLY_PREFIX_END)
        return [Coin(k[1:].decode(), int(v.decode())) for k, v in supply]

    def is_blocked(self, ctx: Context, address: bytes) -> bool:
        """Module accounts (fee collector, gov, every deal escrow) take no ordinary transfers."""
        acc = self.auth.get_account(ctx, address)
        return acc is not None and acc.is_module

    # --- writes ------------------------------------------------------------------------------------
    def set_params(self, ctx: Context, params: bank_pb2.Params) -> None:
        ctx.kv(STORE).set(PARAMS_KEY, params.SerializeToString())

    def _set_balance(self, ctx: Context, address: bytes, denom: str, amount: int) -> None:
        _write_balance(ctx.kv(STORE), balance_key(address, denom), denom, amount)

    def _set_supply(self, ctx: Context, denom: str, amount: int) -> None:
        kv = ctx.kv(STORE)
        if amount == 0:
            kv.delete(SUPPLY_PREFIX + denom.encode())
        else:
            kv.set(SUPPLY_PREFIX + denom.encode(), str(amount).encode())

    def send(self, ctx: Context, sender: bytes, recipient: bytes, coins: list[Coin]) -> None:
        """SendCoins: creates the recipient account if needed; zero coins are dropped. Emits the SDK's
        coin_spent, coin_received, transfer and message{sender} events, in that order."""
        if len(coins) == 1 and coins[0].amount > 0:
            self._send_one(ctx, sender, recipient, coins[0])
            return
        coins = [c for c in coins if c.amount != 0]
        if len(coins) > 1:
            coins.sort()
        amount = coins_str(coins)
        for c in coins:
            if c.amount < 0:
                raise ErrInvalidCoins.wrap(amount)
        kv = ctx.kv(STORE)
        for c in coins:
            key = balance_key(sender, c.denom)
            have = _amount(kv.get(key))
            if have < c.amount:
                raise ErrInsufficientFunds.wrap(f"{have}{c.denom} is smaller than {c.amount}{c.denom}")
            _write_balance(kv, key, c.denom, have - c.amount)
        snd = bech32_encode(ACC_HRP, sender)
        rcpt = bech32_encode(ACC_HRP, recipient)
        ctx.emit(Event(COIN_SPENT, ("spender", snd, "amount", amount)))
        for c in coins:
            key = balance_key(recipient, c.denom)
            _write_balance(kv, key, c.denom, _amount(kv.get(key)) + c.amount)
        ctx.emit(Event(COIN_RECEIVED, ("receiver", rcpt, "amount", amount)))
        if not self.auth.has_account(ctx, recipient):
            self.auth.new_account(ctx, recipient)
        ctx.emit(Event(TRANSFER, ("recipient", rcpt, "sender", snd, "amount", amount)))
        ctx.emit(Event("message", ("sender", snd)))

    def _send_one(self, ctx: Context, sender: bytes, recipient: bytes, coin: Coin) -> None:
        """``send`` of one positive coin (every reward and most fees): the same reads, writes, gas and
        events in the same order, without the coin-set bookkeeping."""
        kv = ctx.kv(STORE)
        self._transfer(ctx, kv, sender, recipient, coin, _amount(kv.get(balance_key(sender, coin.denom))))

    def _transfer(self, ctx: Context, kv: StoreView, sender: bytes, recipient: bytes, coin: Coin, have: int) -> int:
        """The rest of ``_send_one`` once the sender's balance ``have`` of ``coin.denom`` is known (read
        first, as the SDK does); returns the sender's balance afterwards."""
        denom = coin.denom
        value = coin.amount
        amount = f"{value}{denom}"
        if have < value:
            raise ErrInsufficientFunds.wrap(f"{have}{denom} is smaller than {value}{denom}")
        left = have - value
        if left:  # ``_write_balance`` inlined, here and below
            kv.set(balance_key(sender, denom), _encode_coin(denom, left))
        else:
            kv.delete(balance_key(sender, denom))
        snd = bech32_encode(ACC_HRP, sender)
        rcpt = bech32_encode(ACC_HRP, recipient)
        events = ctx.events
        events.append(Event(COIN_SPENT, ("spender", snd, "amount", amount)))
        key = balance_key(recipient, denom)
        _write_balance(kv, key, denom, _amount(kv.get(key)) + value)
        events.append(Event(COIN_RECEIVED, ("receiver", rcpt, "amount", amount)))
        if not self.auth.has_account(ctx, recipient):
            self.auth.new_account(ctx, recipient)
        events.append(Event(TRANSFER, ("recipient", rcpt, "sender", snd, "amount", amount)))
        events.append(Event("message", ("sender", snd)))
        return have if recipient == sender else have - value

    def payer(self, ctx: Context, sender: bytes) -> Payer:
        """Several payments out of ``sender`` in one step (see :class:`Payer`)."""
        return Payer(self, ctx, sender)

    def send_user(self, ctx: Context, sender: bytes, recipient: bytes, coins: list[Coin]) -> None:
        """A user-initiated transfer (MsgSend): blocked module addresses refuse it."""
        if self.is_blocked(ctx, recipient):
            raise ErrUnauthorized.wrap(f"{bech32_encode(ACC_HRP, recipient)} is not allowed to receive funds")
        self.send(ctx, sender, recipient, coins)

    def send_to_module(self, ctx: Context, sender: bytes, module: str, coins: list[Coin]) -> None:
        self.send(ctx, sender, module_address(module), coins)

    def mint_genesis(self, ctx: Context, address: bytes, coins: Iterable[Coin]) -> None:
        """Genesis balances: no events, supply follows."""
        for c in coins:
            self._set_balance(ctx, address, c.denom, self.balance(ctx, address, c.denom) + c.amount)
            self._set_supply(ctx, c.denom, self.supply(ctx, c.denom) + c.amount)

    def iterate_all_balances(self, ctx: Context) -> list[tuple[bytes, Coin]]:
        out = []
        for k, v in ctx.kv(STORE).iterate(BALANCES_PREFIX, BALANCES_PREFIX_END):
            n = k[1]
            c = coin_pb2.Coin.FromString(v)
            out.append((k[2 : 2 + n], Coin(c.denom, int(c.amount))))
        return out


class Payer:
    """Payments out of one account within one keeper step: each ``send(recipient, coin)`` is exactly
    ``BankKeeper.send(ctx, sender, recipient, [coin])`` (the same writes, events and errors in the same
    order) except that the sender's balance of a denom is read from the store once, by the first
    ``balance`` or ``send``, and then kept current by the payer's own writes. So a payout of several
    rewards reads the escrow once (less gas than separate sends). Valid while nothing but the payer
    moves the sender's coins: keep it local to one keeper call."""

    __slots__ = ("_bank", "_ctx", "_held", "_kv", "_sender")

    def __init__(self, bank: BankKeeper, ctx: Context, sender: bytes) -> None:
        self._bank = bank
        self._ctx = ctx
        self._kv = ctx.kv(STORE)
        self._sender = sender
        self._held: dict[str, int] = {}

    def balance(self, denom: str) -> int:
        held = self._held.get(denom)
        if held is None:
            held = self._held[denom] = _amount(self._kv.get(balance_key(self._sender, denom)))
        return held

    def send(self, recipient: bytes, coin: Coin) -> None:
        if coin.amount <= 0:  # dropped or refused before any balance is read: the general path
            self._bank.send(self._ctx, self._sender, recipient, [coin])
            return
        have = self.balance(coin.denom)
        self._held[coin.denom] = self._bank._transfer(self._ctx, self._kv, self._sender, recipient, coin, have)


def _next(prefix: bytes) -> bytes:
    end = prefix_end(prefix)
    assert end is not None
    return end

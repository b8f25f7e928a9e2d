"""Signing wallets, once, without I/O: gas estimation, sequence assignment under the account lock, retries.

``Wallet`` (sync) and ``AsyncWallet`` inherit these methods; see ``panacea.client.sequence`` for the rule
that lets many senders share one account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from google.protobuf.message import Message

from panacea.client.base import DEFAULT_TX_TIMEOUT, ChainBase
from panacea.client.errors import BroadcastError, ChainClientError, SimulationError, TxTimeoutError
from panacea.client.fees import DEFAULT_GAS_ADJUSTMENT, fee_amount, gas_limit
from panacea.client.plan import Plan, locked, op
from panacea.client.queries import auth
from panacea.client.sequence import MAX_SEQUENCE_RETRIES, AccountSequence, expected_sequence
from panacea.client.tx import Signer, build_tx
from panacea.client.types import Account, BroadcastResult, Fee, Gas, TxResponse
from panacea.crypto.keys import PrivateKey

SIMULATION_RETRIES = 20  # gas estimation runs outside the account lock: under many concurrent senders the
# sequence it signs with may be passed several times before it gets through


@dataclass(frozen=True)
class TxPlan:
    """Everything of a tx except its sequence (which is assigned under the account lock)."""

    key: PrivateKey
    msgs: tuple[Message, ...]
    chain_id: str
    fee: Fee
    gas_price: Decimal | str | None
    memo: str

    def fee_for(self, gas: int) -> int:
        return fee_amount(self.fee, gas, self.gas_price)

    def sign(self, number: int, sequence: int, gas: int, fee_gas: int | None = None) -> bytes:
        """The signed tx; its fee is the one for ``fee_gas`` (default: the gas limit ``gas``)."""
        return build_tx(self.msgs, [Signer(self.key, number, sequence)], self.chain_id, gas=gas,
                        fee=self.fee_for(gas if fee_gas is None else fee_gas), memo=self.memo)


def _retry_sequence(state: AccountSequence, e: BroadcastError, attempt: int) -> bool:
    """On a sequence mismatch, adopt the node's expectation and say "sign again" (bounded)."""
    expected = expected_sequence(e.codespace or "sdk", e.code, e.log)
    if expected is None or attempt >= MAX_SEQUENCE_RETRIES:
        return False
    state.next_sequence = expected
    return True


class WalletBase:
    """What both wallets can do; ``client`` is the chain client whose transport runs the plans."""

    client: ChainBase
    key: PrivateKey
    address: str

    def _load(self, state: AccountSequence) -> Plan[None]:
        acc = yield from self.client._run(auth.account(self.address))
        state.load(acc.number, acc.sequence)

    def _load_once(self, state: AccountSequence) -> Plan[None]:
        if not state.loaded:
            yield from self._load(state)

    def _simulate(self, plan: TxPlan, gas: int, fee_gas: int) -> Plan[int]:
        state = self.client.sequences[self.address]
        if not state.loaded:
            yield from locked(self.address, self._load_once(state))
        assert state.number is not None and state.next_sequence is not None
        number, sequence = state.number, state.next_sequence
        for attempt in range(SIMULATION_RETRIES + 1):
            try:
                return (yield from self.client._simulate(plan.sign(number, sequence, gas, fee_gas)))
            except SimulationError as e:  # the node's state moved (other txs of this account): catch up with it
                expected = expected_sequence(e.codespace, e.code, e.log)
                if expected is None or attempt == SIMULATION_RETRIES:
                    raise
                # concurrent senders of this account move both: take the newest of the book and the node
                sequence = max(expected, state.next_sequence or 0)
        raise AssertionError("unreachable")

    def _estimate(self, plan: TxPlan, adjustment: float) -> Plan[int]:
        # A fixed fee is in the first simulation already. With a gas price the fee depends on the gas: simulate
        # again carrying the fee of the first estimate, so the fee deduction's own gas is counted (issue 10).
        guess = gas_limit((yield from self._simulate(plan, 0, 0)), adjustment)
        if plan.gas_price is None or plan.fee_for(guess) == 0:
            return guess
        return gas_limit((yield from self._simulate(plan, guess, guess)), adjustment)

    def _plan(self, msgs: Sequence[Message], fee: Fee, gas_price: Decimal | str | None, memo: str) -> Plan[TxPlan]:
        chain_id = yield from self.client._get_chain_id()
        return TxPlan(self.key, tuple(msgs), chain_id, fee, gas_price, memo)

    def _sign_and_broadcast(self, plan: TxPlan, gas: int) -> Plan[BroadcastResult]:
        state = self.client.sequences[self.address]
        for attempt in range(MAX_SEQUENCE_RETRIES + 1):
            if not state.loaded:
                yield from self._load(state)
            assert state.number is not None and state.next_sequence is not None
            tx = plan.sign(state.number, state.next_sequence, gas)
            try:
                result = yield from self.client._broadcast(tx)
            except BroadcastError as e:
                if _retry_sequence(state, e, attempt):
                    continue
                raise
            except ChainClientError:
                state.forget()
                raise
            state.accepted()
            return result
        raise AssertionError("unreachable")

    def _broadcast(self, msgs: Sequence[Message], gas: Gas, fee: Fee, gas_price: Decimal | str | None,
                   gas_adjustment: float, memo: str) -> Plan[BroadcastResult]:
        plan = yield from self._plan(msgs, fee, gas_price, memo)
        limit = (yield from self._estimate(plan, gas_adjustment)) if gas == "auto" else gas
        return (yield from locked(self.address, self._sign_and_broadcast(plan, limit)))

    @op
    def account(self) -> Plan[Account]:
        """This key's account (number, sequence, public key)."""
        return (yield from self.client._run(auth.account(self.address)))

    @op
    def estimate_gas(self, msgs: Sequence[Message], *, fee: Fee = 0, gas_price: Decimal | str | None = None,
                     gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT, memo: str = "") -> Plan[int]:
        """The gas limit ``broadcast(gas="auto")`` would sign for these msgs and fee."""
        plan = yield from self._plan(msgs, fee, gas_price, memo)
        return (yield from self._estimate(plan, gas_adjustment))

    @op
    def broadcast(self, msgs: Sequence[Message], *, gas: Gas = "auto", fee: Fee = 0,
                  gas_price: Decimal | str | None = None, gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT,
                  memo: str = "") -> Plan[BroadcastResult]:
        """Sign and CheckTx; returns once the tx is in the mempool (BroadcastError if rejected)."""
        return (yield from self._broadcast(msgs, gas, fee, gas_price, gas_adjustment, memo))

    @op
    def send(self, msgs: Sequence[Message], *, gas: Gas = "auto", fee: Fee = 0,
             gas_price: Decimal | str | None = None, gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT, memo: str = "",
             timeout: float = DEFAULT_TX_TIMEOUT) -> Plan[TxResponse]:
        """Sign, broadcast and wait for the block; a tx that fails in the block is returned with its code."""
        result = yield from self._broadcast(msgs, gas, fee, gas_price, gas_adjustment, memo)
        try:
            return (yield from self.client._wait_for_tx(result.tx_hash, timeout))
        except TxTimeoutError:
            self.client.sequences[self.address].forget()
            raise


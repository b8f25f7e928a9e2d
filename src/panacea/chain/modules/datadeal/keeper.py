"""x/datadeal keeper: deals, consents, escrow and rewards; the only writer of the ``datadeal`` store.

Accounting (for invariants): every umed a deal pays out leaves its escrow account through a bank
``transfer`` event whose ``sender`` is the deal address — to the provider and the oracle per consent
(§2.8), and to the consumer on completion or deactivation (refunds). Hence, per deal, over its life:
``budget + pre-funded balance = provider rewards + oracle rewards + refunds + balance still held``.
In state: an ACTIVE deal holds at least ``price_per_data(deal) * (max_num_data - cur_num_data)`` of
its budget denom (umed budgets) or its whole budget (other denoms, never paid out); an INACTIVE or
COMPLETED deal created by CreateDeal holds nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Final, TypeVar

from google.protobuf import wrappers_pb2
from google.protobuf.message import DecodeError, Message

from panacea.chain import addr, decmath
from panacea.chain.coins import DENOM, Coin
from panacea.chain.context import Context
from panacea.chain.errors import ChainError, Registered
from panacea.chain.kv import prefix_end
from panacea.chain.modules.datadeal import keys
from panacea.chain.modules.datadeal.errors import (
    ErrConsentNotFound,
    ErrDeactivateDeal,
    ErrDealAlreadyExist,
    ErrDealNotFound,
    ErrDealNotInitialized,
    ErrGetConsent,
    ErrGetDeal,
    ErrSubmitConsent,
    Rejection,
)
from panacea.chain.modules.datadeal.expected_keepers import AccountKeeper, BankKeeper, OracleKeeper
from panacea.crypto.errors import CryptoError
from panacea.types.dec import dec_from_wire, dec_to_scaled
from panacea.types.lp import marshal_length_prefixed, unmarshal_length_prefixed
from panacea.types.memo import remember
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, tx_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2

M = TypeVar("M", bound=Message)

ACTIVE: Final = deal_pb2.DEAL_STATUS_ACTIVE
INACTIVE: Final = deal_pb2.DEAL_STATUS_INACTIVE
COMPLETED: Final = deal_pb2.DEAL_STATUS_COMPLETED


_DEALS_MAX: Final = 64  # the next consent reads the deal its predecessor wrote: a few entries suffice
# Stored deal bytes -> their decoding. Entries are never handed out or changed: ``get_deal`` returns a
# copy and ``set_deal`` enters a copy of what it stores.
_decoded_deals: dict[bytes, deal_pb2.Deal] = {}


def _remember_deal(raw: bytes, deal: deal_pb2.Deal) -> None:
    remember(_decoded_deals, raw, deal, _DEALS_MAX)


def price_per_data(deal: deal_pb2.Deal) -> int:
    """``TruncateDec(Dec(budget) / Dec(max_num_data))`` from the original budget (§2.8), in umed."""
    return _price_per_data(deal.budget.amount, deal.max_num_data)


@functools.lru_cache(maxsize=256)
def _price_per_data(budget_amount: str, max_num_data: int) -> int:
    """A pure function of a deal's two fixed terms: memoised, a deal pays the same price per consent."""
    budget = int(budget_amount or "0")
    return decmath.truncate_scaled(decmath.quo_scaled(budget * decmath.SCALE, max_num_data * decmath.SCALE))


@functools.lru_cache(maxsize=256)
def rewards(price: int, commission_rate_scaled: int) -> tuple[int, int]:
    """(provider, oracle) reward in umed: ``truncate(P·(1−r))`` and ``truncate(P·r)`` with sdk.Dec math
    (``commission_rate_scaled`` is the Dec's wire form, the rate times 10^18)."""
    p = price * decmath.SCALE
    oracle = decmath.truncate_scaled(decmath.mul_scaled(p, commission_rate_scaled))
    provider = decmath.truncate_scaled(decmath.mul_scaled(p, decmath.SCALE - commission_rate_scaled))
    return provider, oracle


def validate_agreements(terms: list[deal_pb2.AgreementTerm], agreements: list[consent_pb2.Agreement]) -> None:
    """Every term answered once, required terms agreed (§2.6 step 5); raises Rejection."""
    if len(terms) != len(agreements):
        raise Rejection(f"invalid count({len(agreements)}) of agreements: expected:{len(terms)}")
    for term in terms:
        agreement = next((a for a in agreements if a.term_id == term.id), None)
        if agreement is None:
            raise Rejection(f"cannot find agreement for term {term.id}")
        if term.required and not agreement.agreement:
            raise Rejection(f"disagreed to the required agreement term {term.id}")


@functools.lru_cache(maxsize=256)
def _scaled_rate(wire: str) -> int:
    """A commission rate's sdk.Dec wire string as its scaled integer; oracles' rates rarely change."""
    return dec_to_scaled(dec_from_wire(wire))


def _parse(address: str) -> bytes:
    try:
        return addr.parse(address)
    except CryptoError as e:
        raise Rejection(str(e)) from None


class DatadealKeeper:
    def __init__(self, auth: AccountKeeper, bank: BankKeeper, oracle: OracleKeeper) -> None:
        self.auth = auth
        self.bank = bank
        self.oracle = oracle

    @staticmethod
    def deal_address(deal_id: int) -> bytes:
        return keys.deal_address(deal_id)

    # --- next deal number -----------------------------------------------------------------------------
    def get_next_deal_number(self, ctx: Context) -> int:
        raw = ctx.kv(keys.STORE).get(keys.NEXT_DEAL_NUMBER_KEY)
        if raw is None:
            raise ErrDealNotInitialized.error()
        return unmarshal_length_prefixed(raw, wrappers_pb2.UInt64Value).value

    def set_next_deal_number(self, ctx: Context, number: int) -> None:
        ctx.kv(keys.STORE).set(keys.NEXT_DEAL_NUMBER_KEY,
                               marshal_length_prefixed(wrappers_pb2.UInt64Value(value=number)))

    def get_and_increase_next_deal_number(self, ctx: Context) -> int:
        number = self.get_next_deal_number(ctx)
        self.set_next_deal_number(ctx, number + 1)
        return number

    # --- deals ----------------------------------------------------------------------------------------
    def get_deal(self, ctx: Context, deal_id: int) -> deal_pb2.Deal:
        """A fresh message the caller may mutate (a copy of the memoised decoding of the stored bytes)."""
        raw = ctx.kv(keys.STORE).get(keys.deal_key(deal_id))
        if raw is None:
            raise ErrDealNotFound.wrap(f"deal with ID {deal_id} does not exist")
        cached = _decoded_deals.get(raw)
        if cached is None:
            cached = decode_stored(raw, deal_pb2.Deal, ErrGetDeal)
            _remember_deal(raw, cached)
        deal = deal_pb2.Deal()
        deal.CopyFrom(cached)
        return deal

    def set_deal(self, ctx: Context, deal: deal_pb2.Deal) -> None:
        raw = marshal_length_prefixed(deal)
        ctx.kv(keys.STORE).set(keys.deal_key(deal.id), raw)
        # Every consent writes its deal and the next one reads it back: remember a private copy (the
        # caller keeps ``deal`` and may change it) so that read needs no protobuf decode.
        stored = deal_pb2.Deal()
        stored.CopyFrom(deal)
        _remember_deal(raw, stored)

    def iterate_deals(self, ctx: Context) -> Iterator[deal_pb2.Deal]:
        """All deals, ascending by id."""
        for _k, v in ctx.kv(keys.STORE).iterate(keys.DEAL_PREFIX, prefix_end(keys.DEAL_PREFIX)):
            yield decode_stored(v, deal_pb2.Deal, ErrGetDeal)

    def create_deal(self, ctx: Context, msg: tx_pb2.MsgCreateDeal) -> int:
        """Open a deal and escrow its budget; returns the new deal id (§2.4)."""
        try:
            deal_id = self.get_and_increase_next_deal_number(ctx)
        except ChainError as e:
            raise e.wrap("failed to get next deal num") from None
        deal = new_deal(deal_id, msg)
        address = keys.deal_address(deal_id)
        self._open_deal_account(ctx, deal_id, address)
        consumer = addr.parse_or(msg.consumer_address, detail="invalid consumer address")
        budget = Coin(msg.budget.denom, int(msg.budget.amount))
        try:
            self.bank.send(ctx, consumer, address, [budget])
        except ChainError as e:
            raise e.wrap("Failed to send budget to deal account") from None
        self.set_deal(ctx, deal)
        return deal_id

    def _open_deal_account(self, ctx: Context, deal_id: int, address: bytes) -> None:
        existing = self.auth.get_account(ctx, address)
        if existing is None:
            self.auth.new_module_account(ctx, keys.deal_account_name(deal_id))
            return
        if existing.is_module:
            raise ErrDealAlreadyExist.wrap(f"deal {deal_id} already exist")
        # Departure: the reference refuses any existing account here, so anyone could block deal N
        # forever by sending coins to SHA256("deal<N>")[:20] in advance (§2.4 REF). A plain account
        # there is turned into the deal's module account; its balance becomes part of the deal and
        # goes back to the consumer on completion or deactivation.
        self.auth.set_account(ctx, existing.replace(pubkey=None, module_name=keys.deal_account_name(deal_id),
                                                    permissions=()))

    def increase_cur_num_data(self, ctx: Context, deal: deal_pb2.Deal) -> None:
        """Count one more datum; at max_num_data the deal completes and its leftovers are refunded."""
        deal.cur_num_data += 1
        if deal.cur_num_data == deal.max_num_data:
            deal.status = COMPLETED
        self.set_deal(ctx, deal)
        if deal.status == COMPLETED:
            # Departure: the reference leaves rounding dust (and anything else in the escrow) locked in a
            # COMPLETED deal forever (§2.8, §2.5 step 3); we refund every denom to the consumer in this tx.
            leftovers = self.bank.all_balances(ctx, _parse(deal.address))
            if leftovers:
                self.bank.send(ctx, _parse(deal.address), _parse(deal.consumer_address), leftovers)

    def deactivate_deal(self, ctx: Context, msg: tx_pb2.MsgDeactivateDeal) -> None:
        """Consumer-only: stop an ACTIVE deal and refund its escrow (§2.5)."""
        try:
            deal = self.get_deal(ctx, msg.deal_id)
        except ChainError as e:
            raise ErrDeactivateDeal.wrap(e.log) from None
        try:
            if deal.consumer_address != msg.requester_address:
                raise Rejection("only consumer can deactivate the deal")
            if deal.status != ACTIVE:
                raise Rejection("deal's status is not 'ACTIVE'")
            deal.status = INACTIVE
            self.set_deal(ctx, deal)
            escrow, consumer = _parse(deal.address), _parse(deal.consumer_address)
            # Departure: the reference refunds only the umed balance; every denom is refunded here.
            self.bank.send(ctx, escrow, consumer, self.bank.all_balances(ctx, escrow))
        except Rejection as rejection:
            raise ErrDeactivateDeal.wrap(str(rejection)) from None
        except ChainError as e:
            raise ErrDeactivateDeal.wrap(e.log) from None

    # --- consents -------------------------------------------------------------------------------------
    def set_consent(self, ctx: Context, consent: consent_pb2.Consent) -> None:
        """Stored under the certificate's deal_id and data_hash (§2.2)."""
        cert = consent.certificate.unsigned_certificate
        ctx.kv(keys.STORE).set(keys.consent_key(cert.deal_id, cert.data_hash), marshal_length_prefixed(consent))

    def get_consent(self, ctx: Context, deal_id: int, data_hash: str) -> consent_pb2.Consent:
        raw = ctx.kv(keys.STORE).get(keys.consent_key(deal_id, data_hash))
        if raw is None:
            raise ErrConsentNotFound.error()
        return decode_stored(raw, consent_pb2.Consent, ErrGetConsent)

    def has_consent(self, ctx: Context, deal_id: int, data_hash: str) -> bool:
        return ctx.kv(keys.STORE).get(keys.consent_key(deal_id, data_hash)) is not None

    def iterate_consents(self, ctx: Context, deal_id: int | None = None) -> Iterator[consent_pb2.Consent]:
        """Consents in key order (deal id, then data_hash bytes); one deal's only if ``deal_id`` is given."""
        prefix = keys.CONSENT_PREFIX if deal_id is None else keys.consents_prefix(deal_id)
        for _k, v in ctx.kv(keys.STORE).iterate(prefix, prefix_end(prefix)):
            yield decode_stored(v, consent_pb2.Consent, ErrGetConsent)

    def submit_consent(self, ctx: Context, consent: consent_pb2.Consent) -> None:
        """Accept a provider's certified datum and pay provider and oracle, checks in the §2.6 order."""
        try:
            self._submit_consent(ctx, consent)
        except Rejection as e:
            raise ErrSubmitConsent.wrap(str(e)) from None
        except ChainError as err:
            raise ErrSubmitConsent.wrap(err.log) from None

    def _submit_consent(self, ctx: Context, consent: consent_pb2.Consent) -> None:
        cert = consent.certificate.unsigned_certificate
        params = self.oracle.params_view(ctx)  # read once: nothing in this tx changes them (read-only)
        self._verify_certificate_signature(ctx, consent.certificate, params)
        oracle = self._verify_oracle(ctx, cert.oracle_address, params.unique_id)
        try:
            deal = self.get_deal(ctx, consent.deal_id)
        except ChainError as e:
            raise Rejection(f"failed to get deal. {e.log}") from None
        if deal.status != ACTIVE:
            raise Rejection("deal status is not ACTIVE")
        if cert.unique_id != params.unique_id:
            raise Rejection(f"does not match active uniqueID. certificateUniqueID({cert.unique_id}) "
                            f"activeUniqueID({params.unique_id})")
        kv = ctx.kv(keys.STORE)
        consent_key = keys.consent_key(cert.deal_id, cert.data_hash)  # has_consent + set_consent, one key
        if kv.get(consent_key) is not None:
            raise Rejection("already provided consent")
        validate_agreements(list(deal.agreement_terms), list(consent.agreements))
        kv.set(consent_key, marshal_length_prefixed(consent))
        self._send_rewards(ctx, deal, cert, oracle)
        self.increase_cur_num_data(ctx, deal)

    def _verify_certificate_signature(self, ctx: Context, certificate: consent_pb2.Certificate,
                                      params: genesis_pb2.Params) -> None:
        # Departure: the digest comes from the oracle params (sha256 by default; "legacy" = the
        # reference's unhashed first 32 bytes of the encoding, §2.7).
        message = certificate.unsigned_certificate.SerializeToString(deterministic=True)
        if not self.oracle.verify_oracle_signature(ctx, message, certificate.signature, params):
            raise Rejection("failed to signature validation")

    def _verify_oracle(self, ctx: Context, oracle_address: str, active_unique_id: str) -> oracle_pb2.Oracle:
        try:
            oracle = self.oracle.oracle_view(ctx, oracle_address)  # read-only
        except ChainError as e:
            raise Rejection(f"failed to oracle validation. address({oracle_address}) {e.log}") from None
        if oracle.unique_id != active_unique_id:
            raise Rejection(f"is not active an oracle. oracleAddress({oracle.oracle_address}), "
                            f"oracleUniqueID({oracle.unique_id}), activeUniqueID({active_unique_id})")
        return oracle

    def _send_rewards(self, ctx: Context, deal: deal_pb2.Deal, cert: consent_pb2.UnsignedCertificate,
                      oracle: oracle_pb2.Oracle) -> None:
        """Pays provider then oracle; ``oracle`` is the record read (and checked) earlier in this tx — the
        reference reads it again here, which can only give the same record.

        Departure (gas only): the escrow's balance is read once, for the check; the two reward transfers
        keep it current instead of reading it again (the reference reads it three times)."""
        escrow, provider = _parse(deal.address), _parse(cert.provider_address)
        price = price_per_data(deal)
        payer = self.bank.payer(ctx, escrow)
        if payer.balance(DENOM) < price:
            raise Rejection("not enough balance in deal")
        provider_reward, oracle_reward = rewards(price, _scaled_rate(oracle.oracle_commission_rate))
        try:
            payer.send(provider, Coin(DENOM, provider_reward))
        except ChainError as e:
            raise Rejection(f"failed to send reward to provider. {e.log}") from None
        try:
            payer.send(_parse(cert.oracle_address), Coin(DENOM, oracle_reward))
        except ChainError as e:
            raise Rejection(f"failed to send reward to oracle. {e.log}") from None


def new_deal(deal_id: int, msg: tx_pb2.MsgCreateDeal) -> deal_pb2.Deal:
    deal = deal_pb2.Deal(
        id=deal_id,
        address=addr.encode(keys.deal_address(deal_id)),
        data_schema=msg.data_schema,
        presentation_definition=msg.presentation_definition,
        max_num_data=msg.max_num_data,
        cur_num_data=0,
        consumer_address=msg.consumer_address,
        agreement_terms=msg.agreement_terms,
        status=ACTIVE,
        consumer_service_endpoint=msg.consumer_service_endpoint,
    )
    if msg.HasField("budget"):
        deal.budget.CopyFrom(msg.budget)
    return deal


def decode_stored(raw: bytes, cls: type[M], error: Registered) -> M:
    """A length-prefixed store value; corruption surfaces as ``error``."""
    try:
        return unmarshal_length_prefixed(raw, cls)
    except (ValueError, DecodeError) as e:
        raise error.wrap(str(e)) from None

"""The chain test kit: deterministic keys, keepers wired as the App wires them over an in-memory store
(module tests), a real App on a real store with funded keys and a genesis oracle (app tests), and the
small helpers every chain test shares. Module-specific fixtures live in that module's ``conftest.py``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from google.protobuf.message import Message

from panacea.chain import addr
from panacea.chain.app import App, BlockResult
from panacea.chain.context import BlockInfo, Context
from panacea.chain.errors import ChainError
from panacea.chain.genesis import add_account, add_genesis_oracle, add_validator_voter, set_oracle_params
from panacea.chain.invariants import DIDHistory, check
from panacea.chain.kv import CacheKV, MemKV
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.gov.keeper import GovKeeper
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.store import Store
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.coins import Coin
from panacea.types.dec import dec_to_wire
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

CHAIN_ID = "panacea-test"
UNIQUE_ID = "u" * 64
T0 = 1_700_000_000 * 10**9
FUNDS = 10**12


def key(label: str) -> PrivateKey:
    """Deterministic test keys."""
    return PrivateKey(hashlib.sha256(label.encode()).digest())


def dec(text: str) -> str:
    """sdk.Dec wire form ("0.1" → "100000000000000000")."""
    return dec_to_wire(Decimal(text))


def error_of(fn: Callable[..., object], *args: object) -> ChainError:
    """The ChainError ``fn(*args)`` raises (tests then compare its exact log and code)."""
    with pytest.raises(ChainError) as info:
        fn(*args)
    return info.value


@dataclass
class Keepers:
    """Every keeper, wired as :class:`panacea.chain.app.App` wires them, over one in-memory cache."""

    auth: AuthKeeper
    bank: BankKeeper
    oracle: OracleKeeper
    datadeal: DatadealKeeper
    gov: GovKeeper
    cache: CacheKV
    ctx: Context


def keepers(height: int = 1, time_ns: int = T0, chain_id: str = "testchain") -> Keepers:
    auth = AuthKeeper()
    bank = BankKeeper(auth)
    oracle = OracleKeeper()
    cache = CacheKV(MemKV())
    return Keepers(auth, bank, oracle, DatadealKeeper(auth, bank, oracle), GovKeeper(auth, bank, oracle), cache,
                   Context(cache, BlockInfo(height, time_ns, chain_id)))


class Chain:
    def __init__(self, home: Path, digest: str = "sha256") -> None:
        self.store = Store(str(home))
        self.app = App(self.store)
        self.mode = SignatureMode(digest)
        self.oracle_key = key("oracle-shared")
        self.oracle = key("oracle-account")
        self.consumer = key("consumer")
        self.providers = [key(f"provider{i}") for i in range(6)]
        self.validator = key("validator")
        self.height = 0
        self.time_ns = T0
        self.did_history = DIDHistory()
        state = self.app.default_genesis()
        for k in [self.oracle, self.consumer, self.validator, *self.providers]:
            add_account(state, k.bech32(), [Coin("umed", FUNDS)])
        set_oracle_params(state, public_key_base64=self.oracle_key.public_key().to_base64(), unique_id=UNIQUE_ID,
                          signature_digest=digest)
        add_genesis_oracle(state, self.oracle.bech32(), UNIQUE_ID, commission_rate="0.1")
        add_validator_voter(state, self.validator.bech32(), 10)
        self.genesis = state
        self.app.init_chain(CHAIN_ID, state, time_ns=T0)
        self.block()

    def block(self, txs: list[bytes] | None = None, *, seconds: int = 5) -> BlockResult:
        self.height += 1
        self.time_ns += seconds * 10**9
        result = self.app.finalize_block(BlockInfo(self.height, self.time_ns, CHAIN_ID), txs or [])
        self.app.commit()
        ctx = self.app.query_context(None)
        broken = check(ctx, self.app.bank, self.app.datadeal) + self.did_history.check(ctx, self.app.did)
        assert not broken, broken
        return result

    def signer(self, k: PrivateKey, sequence_offset: int = 0) -> Signer:
        acc = self.app.auth.get_account(self.app.query_context(None), k.address())
        assert acc is not None
        return Signer(k, acc.number, acc.sequence + sequence_offset)

    def tx(self, k: PrivateKey, *msgs: Message, offset: int = 0, gas: int = 400_000, fee: int = 0,
           chain_id: str = CHAIN_ID) -> bytes:
        return build_tx(msgs, [self.signer(k, offset)], chain_id, gas=gas, fee=fee)

    def balance(self, k: PrivateKey | bytes, denom: str = "umed") -> int:
        address = k if isinstance(k, bytes) else k.address()
        return self.app.bank.balance(self.app.query_context(None), address, denom)

    def create_deal(self, budget: int, max_num_data: int) -> deal_tx.MsgCreateDeal:
        return deal_tx.MsgCreateDeal(
            data_schema=["https://schema.example/s.json"], budget=coin_pb2.Coin(denom="umed", amount=str(budget)),
            max_num_data=max_num_data, consumer_address=self.consumer.bech32(),
            consumer_service_endpoint="https://consumer.example",
            agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="Term 1", description="d1")])

    def consent(self, deal_id: int, provider: PrivateKey, data: str, *,
                signer: PrivateKey | None = None) -> deal_tx.MsgSubmitConsent:
        unsigned = consent_pb2.UnsignedCertificate(
            unique_id=UNIQUE_ID, oracle_address=self.oracle.bech32(), deal_id=deal_id,
            provider_address=provider.bech32(), data_hash=hashlib.sha256(data.encode()).hexdigest())
        sig = sign_message(signer or self.oracle_key, unsigned.SerializeToString(), self.mode)
        return deal_tx.MsgSubmitConsent(consent=consent_pb2.Consent(
            deal_id=deal_id, certificate=consent_pb2.Certificate(unsigned_certificate=unsigned, signature=sig),
            agreements=[consent_pb2.Agreement(term_id=1, agreement=True)]))


__all__ = ["CHAIN_ID", "FUNDS", "T0", "Chain", "Keepers", "addr", "dec", "error_of", "keepers", "key"]

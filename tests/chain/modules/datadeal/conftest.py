"""x/datadeal fixtures: the kit's keepers (real auth, bank and oracle) with oracle params and funded accounts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.coins import DENOM, Coin
from panacea.types.dec import dec_to_wire, parse_dec
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, tx_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2
from tests.chain.kit import keepers, key

UNIQUE_ID = "uniqueID"
DEFAULT_FUNDS = 10_000_000_000
FIXTURE_BUDGET = 1_000_000_000
ENDPOINT = "http://127.0.0.1/v1/data"


def terms() -> list[deal_pb2.AgreementTerm]:
    return [
        deal_pb2.AgreementTerm(id=1, required=True, title="Term 1", description="Please agree to this term."),
        deal_pb2.AgreementTerm(id=2, required=False, title="Term 2", description="This is not mandatory."),
    ]


def make_deal(deal_id: int, consumer: str, max_num_data: int) -> deal_pb2.Deal:
    """The reference testutil MakeTestDeal."""
    return deal_pb2.Deal(
        id=deal_id,
        address=addr.encode(DatadealKeeper.deal_address(deal_id)),
        data_schema=["http://jsonld.com"],
        budget=coin_pb2.Coin(denom=DENOM, amount=str(FIXTURE_BUDGET)),
        max_num_data=max_num_data,
        cur_num_data=0,
        consumer_address=consumer,
        agreement_terms=terms(),
        status=deal_pb2.DEAL_STATUS_ACTIVE,
        consumer_service_endpoint=ENDPOINT,
    )


def agreements_for(deal: deal_pb2.Deal, agree_optional: bool = True) -> list[consent_pb2.Agreement]:
    return [consent_pb2.Agreement(term_id=t.id, agreement=t.required or agree_optional) for t in deal.agreement_terms]


@dataclass
class Env:
    mode: SignatureMode
    ctx: Context = field(init=False)
    auth: AuthKeeper = field(init=False)
    bank: BankKeeper = field(init=False)
    oracle: OracleKeeper = field(init=False)
    datadeal: DatadealKeeper = field(init=False)
    oracle_key: PrivateKey = field(default_factory=lambda: key("oracle-shared-key"))
    other_oracle_key: PrivateKey = field(default_factory=lambda: key("not-the-oracle-key"))
    consumer: str = key("consumer").bech32()
    provider: str = key("provider").bech32()
    oracle_account: str = key("oracle-operator").bech32()

    def __post_init__(self) -> None:
        k = keepers()
        self.ctx, self.auth, self.bank, self.oracle, self.datadeal = k.ctx, k.auth, k.bank, k.oracle, k.datadeal
        self.oracle.set_params(self.ctx, genesis_pb2.Params(
            oracle_public_key=self.oracle_key.public_key().to_base64(), oracle_pub_key_remote_report="",
            unique_id=UNIQUE_ID, signature_digest=self.mode.value))
        self.datadeal.set_next_deal_number(self.ctx, 1)

    # --- balances -------------------------------------------------------------------------------------
    def fund(self, address: str, amount: int = DEFAULT_FUNDS, denom: str = DENOM) -> None:
        self.bank.mint_genesis(self.ctx, addr.parse(address), [Coin(denom, amount)])
        if not self.auth.has_account(self.ctx, addr.parse(address)):
            self.auth.new_account(self.ctx, addr.parse(address))

    def balance(self, address: str | bytes, denom: str = DENOM) -> int:
        raw = addr.parse(address) if isinstance(address, str) else address
        return self.bank.balance(self.ctx, raw, denom)

    # --- oracle state ---------------------------------------------------------------------------------
    def store_oracle(self, address: str | None = None, unique_id: str = UNIQUE_ID, rate: str = "0.1") -> None:
        self.oracle.set_oracle(self.ctx, oracle_pb2.Oracle(
            oracle_address=address or self.oracle_account, unique_id=unique_id, endpoint="https://my-validator.org",
            oracle_commission_rate=dec_to_wire(parse_dec(rate))))

    # --- deals and consents ---------------------------------------------------------------------------
    def create_msg(self, budget: int = 10_000, max_num_data: int = 10, denom: str = DENOM) -> tx_pb2.MsgCreateDeal:
        return tx_pb2.MsgCreateDeal(
            data_schema=["http://jsonld.com"], budget=coin_pb2.Coin(denom=denom, amount=str(budget)),
            max_num_data=max_num_data, consumer_address=self.consumer, agreement_terms=terms(),
            consumer_service_endpoint=ENDPOINT)

    def create_deal(self, budget: int = 10_000, max_num_data: int = 10) -> int:
        """Fund the consumer with the default funds and open a deal (reference createSampleDeal)."""
        self.fund(self.consumer)
        return self.datadeal.create_deal(self.ctx, self.create_msg(budget, max_num_data))

    def certificate(self, deal_id: int, data_hash: str = "dataHash", *, unique_id: str = UNIQUE_ID,
                    oracle_address: str | None = None, provider: str | None = None) -> consent_pb2.UnsignedCertificate:
        return consent_pb2.UnsignedCertificate(
            unique_id=unique_id, oracle_address=oracle_address or self.oracle_account, deal_id=deal_id,
            provider_address=provider or self.provider, data_hash=data_hash)

    def sign(self, cert: consent_pb2.UnsignedCertificate, signer: PrivateKey | None = None) -> bytes:
        return sign_message(signer or self.oracle_key, cert.SerializeToString(), self.mode)

    def consent(self, cert: consent_pb2.UnsignedCertificate, *, signature: bytes | None = None,
                agreements: list[consent_pb2.Agreement] | None = None) -> consent_pb2.Consent:
        if agreements is None:
            agreements = agreements_for(self.datadeal.get_deal(self.ctx, cert.deal_id))
        return consent_pb2.Consent(
            deal_id=cert.deal_id,
            certificate=consent_pb2.Certificate(unsigned_certificate=cert,
                                                signature=signature if signature is not None else self.sign(cert)),
            agreements=agreements)

    def submit(self, deal_id: int, data_hash: str = "dataHash", **kw: object) -> None:
        self.datadeal.submit_consent(self.ctx, self.consent(self.certificate(deal_id, data_hash, **kw)))  # type: ignore[arg-type]


@pytest.fixture(params=[SignatureMode.SHA256, SignatureMode.LEGACY], ids=["sha256", "legacy"])
def env(request: pytest.FixtureRequest) -> Env:
    """Every keeper test runs under both certificate digests."""
    return Env(request.param)


@pytest.fixture
def sha_env() -> Env:
    return Env(SignatureMode.SHA256)


@pytest.fixture
def legacy_env() -> Env:
    return Env(SignatureMode.LEGACY)


__all__ = ["key"]

"""x/gov fixtures: the kit's keepers (real auth, bank and oracle), three genesis validators with powers
10/20/30 and funded proposer/depositor accounts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from google.protobuf.message import Message

from panacea.chain import addr
from panacea.chain.context import BlockInfo, Context
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.gov.genesis import default_genesis
from panacea.chain.modules.gov.keeper import GovKeeper
from panacea.chain.modules.gov.module import GovModule
from panacea.chain.modules.gov.msg_server import GovMsgServer
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.modules.oracle.module import OracleModule
from panacea.crypto.address import module_address
from panacea.types.anyutil import pack_any
from panacea.types.coins import DENOM, Coin
from panacea.types.events import Event
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, tx_pb2
from panacea.types.pb.cosmos.params.v1beta1 import params_pb2
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2
from tests.chain.kit import T0, keepers

CHAIN_ID = "testchain"
HOUR = 3600 * 1_000_000_000
PERIOD = 172_800 * 1_000_000_000
FUNDS = 100_000_000
MIN_DEPOSIT = 10_000_000
UNIQUE_ID = "uniqueID-v1"


def address(i: int) -> str:
    return addr.encode(bytes([i]) * 20)


V1, V2, V3 = address(1), address(2), address(3)
PROPOSER, DEPOSITOR, OUTSIDER = address(11), address(12), address(13)
GOV_ADDRESS = module_address("gov")
FEE_COLLECTOR_ADDRESS = module_address("fee_collector")


def umed(amount: int) -> list[coin_pb2.Coin]:
    return [coin_pb2.Coin(denom=DENOM, amount=str(amount))]


def upgrade_proposal(height: int = 100, unique_id: str = "uniqueID-v2") -> proposal_pb2.OracleUpgradeProposal:
    return proposal_pb2.OracleUpgradeProposal(title="Upgrade oracle", description="Move to the v2 enclave",
                                              plan=proposal_pb2.Plan(unique_id=unique_id, height=height))


def param_change(*changes: tuple[str, str, str]) -> params_pb2.ParameterChangeProposal:
    return params_pb2.ParameterChangeProposal(
        title="Change params", description="Param change",
        changes=[params_pb2.ParamChange(subspace=s, key=k, value=v) for s, k, v in changes])


def text_proposal() -> gov_pb2.TextProposal:
    return gov_pb2.TextProposal(title="Text", description="Just words")


@dataclass
class Env:
    auth: AuthKeeper
    bank: BankKeeper
    oracle: OracleKeeper
    gov: GovKeeper
    module: GovModule
    ctx: Context

    @property
    def msg_server(self) -> GovMsgServer:
        return self.module.msg_server

    def at(self, time_ns: int, height: int | None = None) -> Context:
        """A new block context over the same state."""
        self.ctx = Context(self.ctx.cache, BlockInfo(height if height is not None else self.ctx.height + 1,
                                                     time_ns, CHAIN_ID))
        return self.ctx

    def balance(self, bech32_or_raw: str | bytes) -> int:
        raw = addr.parse(bech32_or_raw) if isinstance(bech32_or_raw, str) else bech32_or_raw
        return self.bank.balance(self.ctx, raw, DENOM)

    def submit(self, content: Message, deposit: int, proposer: str = PROPOSER) -> int:
        msg = tx_pb2.MsgSubmitProposal(content=pack_any(content), initial_deposit=umed(deposit), proposer=proposer)
        return self.msg_server.submit_proposal(self.ctx, msg).proposal_id

    def deposit(self, proposal_id: int, amount: int, depositor: str = DEPOSITOR) -> None:
        self.msg_server.deposit(self.ctx, tx_pb2.MsgDeposit(proposal_id=proposal_id, depositor=depositor,
                                                        amount=umed(amount)))

    def vote(self, proposal_id: int, voter: str, option: int) -> None:
        self.msg_server.vote(self.ctx, tx_pb2.MsgVote(proposal_id=proposal_id, voter=voter,
                                                  option=option))  # type: ignore[arg-type]

    def proposal(self, proposal_id: int) -> gov_pb2.Proposal:
        p = self.gov.get_proposal(self.ctx, proposal_id)
        assert p is not None
        return p

    def events_since(self, n: int) -> list[Event]:
        return self.ctx.events[n:]

    def activated(self, content: Message) -> int:
        """Submit with the full minimum deposit (voting starts at once)."""
        return self.submit(content, MIN_DEPOSIT)


def validators_json() -> list[dict[str, str]]:
    return [{"address": V1, "power": "10"}, {"address": V2, "power": "20"}, {"address": V3, "power": "30"}]


def new_env(gov_genesis: dict[str, object] | None = None, gov_balance: int = 0) -> Env:
    k = keepers(chain_id=CHAIN_ID)
    auth, bank, oracle, gov, ctx = k.auth, k.bank, k.oracle, k.gov, k.ctx
    oracle_genesis = OracleModule(oracle).default_genesis()
    oracle_genesis["params"]["unique_id"] = UNIQUE_ID
    OracleModule(oracle).init_genesis(ctx, oracle_genesis)
    for a in (V1, V2, V3, PROPOSER, DEPOSITOR, OUTSIDER):
        raw = addr.parse(a)
        bank.mint_genesis(ctx, raw, [Coin(DENOM, FUNDS)])
        auth.new_account(ctx, raw)
    if gov_balance:
        bank.mint_genesis(ctx, GOV_ADDRESS, [Coin(DENOM, gov_balance)])
    module = GovModule(gov)
    genesis = gov_genesis if gov_genesis is not None else {**default_genesis(), "validators": validators_json()}
    module.init_genesis(ctx, genesis)
    return Env(auth, bank, oracle, gov, module, ctx)


@pytest.fixture()
def env() -> Env:
    return new_env()


__all__ = ["T0"]

"""Seeded randomized simulation of the whole chain (Cosmos SimApp style).

Random accounts send coins, create and deactivate deals, submit valid and invalid consents, update
oracle info, register oracles, run proposals, and create, update and deactivate DIDs (with invalid
attempts: forged signatures, stale sequences, replays, a deactivated DID touched again); after every block
the invariants are checked and the deal escrow is balanced from the block's transfer events. Same seed ⇒
same app hash at every height.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf.message import Message

from panacea.chain import addr
from panacea.chain.app import App, BlockResult
from panacea.chain.context import NANOS_PER_HOUR, NANOS_PER_SECOND, BlockInfo
from panacea.chain.genesis import add_account, add_genesis_oracle, add_validator_voter, set_oracle_params
from panacea.chain.invariants import Broken, DIDHistory, check
from panacea.chain.modules.did.keeper import is_deactivated, is_empty
from panacea.chain.store import Store
from panacea.client.tx import Signer, build_tx, pack
from panacea.crypto import aes
from panacea.crypto import did as did_crypto
from panacea.crypto.ecdh import shared_key
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.coins import Coin, parse_coins
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2 as gov_tx
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.did.v2 import tx_pb2 as did_tx
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2
from panacea.types.pb.panacea.oracle.v2 import tx_pb2 as oracle_tx

CHAIN_ID = "panacea-sim"
UNIQUE_ID = "a" * 64
GENESIS_TIME_NS = 1_700_000_000 * NANOS_PER_SECOND
GAS = 400_000
FEE = 2_000


class SimulationError(AssertionError):
    """An invariant broke; the message names the height and the invariant."""


def _key(seed: int, label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"sim/{seed}/{label}".encode()).digest())


@dataclass
class Actor:
    key: PrivateKey
    number: int = -1
    sequence: int = 0

    @property
    def address(self) -> str:
        return self.key.bech32()


@dataclass
class EscrowBook:
    """Per deal account: coins in and out, from transfer events."""

    received: dict[str, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)


class Simulation:
    def __init__(self, seed: int, home: str | Path, *, accounts: int = 12, digest: str = "sha256") -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.mode = SignatureMode(digest)
        self.oracle_key = _key(seed, "oracle-shared")
        self.users = [Actor(_key(seed, f"user{i}")) for i in range(accounts)]
        self.oracles = [Actor(_key(seed, f"oracle{i}")) for i in range(2)]
        self.validators = [Actor(_key(seed, f"validator{i}")) for i in range(3)]
        self.newcomers = [Actor(_key(seed, f"newcomer{i}")) for i in range(4)]
        self.store = Store(str(home))
        self.app = App(self.store)
        self.height = 0
        self.time_ns = GENESIS_TIME_NS
        self.hashes: list[bytes] = []
        # Running SHA-256 over every tx result (code, codespace, log, gas, data, events), one per block:
        # with ``hashes`` it pins everything a block produces (builds are compared on both).
        self.result_hashes: list[bytes] = []
        self.books: dict[str, EscrowBook] = {}
        self.deal_ids: list[int] = []
        self.consent_hashes: dict[int, list[str]] = {}
        self.proposals: list[int] = []
        self.did_keys = [_key(seed, f"did{i}") for i in range(8)]
        self.did_history = DIDHistory()
        self.stats: dict[str, int] = {}

    # --- genesis ------------------------------------------------------------------------------------
    def genesis(self) -> dict[str, object]:
        state = self.app.default_genesis()
        state["gov"]["deposit_params"]["max_deposit_period"] = "60s"
        state["gov"]["voting_params"]["voting_period"] = "60s"
        for a in self.users + self.oracles + self.validators:
            add_account(state, a.address, [Coin("umed", 10**13)])
        set_oracle_params(state, public_key_base64=self.oracle_key.public_key().to_base64(), unique_id=UNIQUE_ID,
                          signature_digest=self.mode.value)
        for o in self.oracles:
            add_genesis_oracle(state, o.address, UNIQUE_ID, endpoint="https://oracle.example", commission_rate="0.1",
                               max_rate="0.5", max_change_rate="0.05")
        for i, v in enumerate(self.validators):
            add_validator_voter(state, v.address, 10 * (i + 1))
        return state

    def start(self) -> None:
        """Genesis, committed with an empty first block so accounts can be read back."""
        self.app.init_chain(CHAIN_ID, self.genesis(), time_ns=self.time_ns)
        self.height = 1
        self.hashes.append(self.app.finalize_block(BlockInfo(1, self.time_ns, CHAIN_ID), []).app_hash)
        self.app.commit()

    # --- helpers ------------------------------------------------------------------------------------
    def _tx(self, actor: Actor, *msgs: Message, fee: int = FEE) -> bytes:
        tx = build_tx(msgs, [Signer(actor.key, actor.number, actor.sequence)], CHAIN_ID, gas=GAS, fee=fee)
        actor.sequence += 1
        return tx

    def _sync_accounts(self) -> None:
        ctx = self.app.query_context(None)
        for a in self.users + self.oracles + self.validators + self.newcomers:
            acc = self.app.auth.get_account(ctx, addr.parse(a.address))
            if acc is not None:
                a.number, a.sequence = acc.number, acc.sequence

    def _count(self, name: str) -> None:
        self.stats[name] = self.stats.get(name, 0) + 1

    # --- operations ---------------------------------------------------------------------------------
    def op_send(self) -> bytes:
        a, b = self.rng.sample(self.users, 2)
        self._count("send")
        msg = bank_tx.MsgSend(from_address=a.address, to_address=b.address,
                              amount=[coin_pb2.Coin(denom="umed", amount=str(self.rng.randint(1, 10**6)))])
        return self._tx(a, msg)

    def op_create_deal(self) -> bytes:
        consumer = self.rng.choice(self.users)
        self._count("create_deal")
        terms = [deal_pb2.AgreementTerm(id=1, required=True, title="Term 1", description="required"),
                 deal_pb2.AgreementTerm(id=2, required=False, title="Term 2", description="optional")]
        msg = deal_tx.MsgCreateDeal(
            data_schema=["https://schema.example/health.json"],
            budget=coin_pb2.Coin(denom="umed", amount=str(self.rng.randint(0, 10**7))),
            max_num_data=self.rng.randint(1, 6), consumer_address=consumer.address, agreement_terms=terms,
            consumer_service_endpoint="https://consumer.example")
        return self._tx(consumer, msg)

    def op_deactivate(self) -> bytes | None:
        if not self.deal_ids:
            return None
        deal = self._deal(self.rng.choice(self.deal_ids))
        consumer = next((u for u in self.users if u.address == deal.consumer_address), None)
        if consumer is None:
            return None
        self._count("deactivate")
        return self._tx(consumer, deal_tx.MsgDeactivateDeal(deal_id=deal.id, requester_address=consumer.address))

    def _deal(self, deal_id: int) -> deal_pb2.Deal:
        ctx = self.app.query_context(None)
        return self.app.datadeal.get_deal(ctx, deal_id)

    def op_consent(self) -> bytes | None:
        if not self.deal_ids:
            return None
        deal_id = self.rng.choice(self.deal_ids)
        provider = self.rng.choice(self.users)
        oracle = self.rng.choice(self.oracles)
        kind = self.rng.choice(["valid", "valid", "valid", "duplicate", "bad-signature", "wrong-unique-id",
                                "disagree"])
        self._count(f"consent-{kind}")
        hashes = self.consent_hashes.setdefault(deal_id, [])
        if kind == "duplicate" and hashes:
            data_hash = self.rng.choice(hashes)
        else:
            data_hash = hashlib.sha256(f"{self.seed}/{self.height}/{self.rng.random()}".encode()).hexdigest()
            hashes.append(data_hash)
        unsigned = consent_pb2.UnsignedCertificate(
            unique_id="b" * 64 if kind == "wrong-unique-id" else UNIQUE_ID, oracle_address=oracle.address,
            deal_id=deal_id, provider_address=provider.address, data_hash=data_hash)
        signer = _key(self.seed, "not-the-oracle") if kind == "bad-signature" else self.oracle_key
        signature = sign_message(signer, unsigned.SerializeToString(), self.mode)
        agreements = [consent_pb2.Agreement(term_id=1, agreement=kind != "disagree"),
                      consent_pb2.Agreement(term_id=2, agreement=self.rng.random() < 0.5)]
        consent = consent_pb2.Consent(deal_id=deal_id, agreements=agreements, certificate=consent_pb2.Certificate(
            unsigned_certificate=unsigned, signature=signature))
        return self._tx(provider, deal_tx.MsgSubmitConsent(consent=consent))

    def op_update_oracle(self) -> bytes:
        oracle = self.rng.choice(self.oracles)
        self._count("update_oracle")
        rate = f"0.{self.rng.randint(5, 14):02d}"
        msg = oracle_tx.MsgUpdateOracleInfo(oracle_address=oracle.address,
                                            endpoint=f"https://oracle{self.rng.randint(0, 9)}.example")
        msg.oracle_commission_rate = str(int(rate[2:]) * 10**16)
        return self._tx(oracle, msg)

    def op_register_oracle(self) -> bytes | None:
        candidates = [n for n in self.newcomers if n.number < 0 or n.sequence == 0]
        if not candidates:
            return None
        newcomer = self.rng.choice(candidates)
        if newcomer.number < 0:  # needs an account first: fund it
            self._count("fund_newcomer")
            funder = self.rng.choice(self.users)
            return self._tx(funder, bank_tx.MsgSend(from_address=funder.address, to_address=newcomer.address,
                                                    amount=[coin_pb2.Coin(denom="umed", amount="100000000")]))
        self._count("register_oracle")
        node = _key(self.seed, f"node/{newcomer.address}")
        msg = oracle_tx.MsgRegisterOracle(
            unique_id=UNIQUE_ID, oracle_address=newcomer.address, node_pub_key=node.public_key().compressed,
            node_pub_key_remote_report=b"report", trusted_block_height=max(self.height, 1),
            trusted_block_hash=hashlib.sha256(b"block").digest(), endpoint="https://new-oracle.example",
            oracle_commission_rate=str(10**17), oracle_commission_max_rate=str(3 * 10**17),
            oracle_commission_max_change_rate=str(10**16))
        return self._tx(newcomer, msg)

    def op_approve_oracle(self) -> bytes | None:
        registered = [n for n in self.newcomers if n.sequence > 0]
        if not registered:
            return None
        target = self.rng.choice(registered)
        approver = self.rng.choice(self.oracles)
        self._count("approve_oracle")
        node = _key(self.seed, f"node/{target.address}")
        approval = oracle_tx.ApprovalSharingOracleKey(
            approver_unique_id=UNIQUE_ID, approver_oracle_address=approver.address, target_unique_id=UNIQUE_ID,
            target_oracle_address=target.address,
            encrypted_oracle_priv_key=aes.encrypt(shared_key(self.oracle_key, node.public_key()),
                                                  self.oracle_key.secret, nonce=self.rng.randbytes(12)))
        sig = sign_message(self.oracle_key, approval.SerializeToString(), self.mode)
        return self._tx(approver, oracle_tx.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval,
                                                                         signature=sig))

    def op_proposal(self) -> bytes:
        proposer = self.rng.choice(self.users)
        self._count("proposal")
        if self.rng.random() < 0.5:
            content = pack(gov_pb2.TextProposal(title="text", description="a text proposal"))
        else:
            content = pack(proposal_pb2.OracleUpgradeProposal(
                title="upgrade", description="upgrade the oracle",
                plan=proposal_pb2.Plan(unique_id="c" * 64, height=self.height + self.rng.randint(-5, 40))))
        deposit = self.rng.choice([5_000_000, 10_000_000])
        msg = gov_tx.MsgSubmitProposal(content=content, proposer=proposer.address,
                                       initial_deposit=[coin_pb2.Coin(denom="umed", amount=str(deposit))])
        return self._tx(proposer, msg)

    def op_vote(self) -> bytes | None:
        if not self.proposals:
            return None
        voter = self.rng.choice(self.validators + self.users[:1])
        self._count("vote")
        option = self.rng.choice([gov_pb2.VOTE_OPTION_YES, gov_pb2.VOTE_OPTION_YES, gov_pb2.VOTE_OPTION_NO,
                                  gov_pb2.VOTE_OPTION_ABSTAIN, gov_pb2.VOTE_OPTION_NO_WITH_VETO])
        return self._tx(voter, gov_tx.MsgVote(proposal_id=self.rng.choice(self.proposals), voter=voter.address,
                                              option=option))

    def op_did(self) -> bytes:
        """A DID msg for one of a few DID keys, chosen by the DID's committed state: mostly valid, some not."""
        owner = self.rng.choice(self.did_keys)
        payer = self.rng.choice(self.users)
        did = did_crypto.did_for_key(owner.public_key())
        record = self.app.did.get(self.app.query_context(None), did)
        seq = record.sequence
        if is_empty(record) or is_deactivated(record):
            kind = self.rng.choice(["create", "create", "create-forged"] if is_empty(record) else
                                   ["create", "update"])  # both fail on a tombstone
        else:
            kind = self.rng.choices(["update", "deactivate", "create", "update-stale", "update-replay",
                                     "update-forged"], [6, 1, 1, 1, 2, 1])[0]
        self._count(f"did-{kind}")
        signer = _key(self.seed, "not-the-did-owner") if kind.endswith("forged") else owner
        if kind.startswith("create"):
            doc = did_crypto.key_document(owner.public_key())
            return self._tx(payer, did_tx.MsgCreateDID(
                did=did, document=doc, verification_method_id=f"{did}#key1", from_address=payer.address,
                signature=did_crypto.sign_ownership(signer, doc.SerializeToString(), 0)))
        if kind == "deactivate":
            return self._tx(payer, did_tx.MsgDeactivateDID(
                did=did, verification_method_id=f"{did}#key1", from_address=payer.address,
                signature=did_crypto.sign_ownership(owner, did_crypto.deactivation_data(did), seq)))
        if kind == "update-replay":  # the create signature replayed as an update (refused: unchanged document)
            doc = did_crypto.key_document(owner.public_key())
            seq = 0
        else:
            doc = did_crypto.key_document(owner.public_key())
            doc.services.append(did_pb2.Service(id=f"{did}#svc", type="LinkedDomains",
                                                service_endpoint=f"https://svc{self.rng.randint(0, 999)}.example"))
            seq = seq + 1 if kind == "update-stale" else seq
        return self._tx(payer, did_tx.MsgUpdateDID(
            did=did, document=doc, verification_method_id=f"{did}#key1", from_address=payer.address,
            signature=did_crypto.sign_ownership(signer, doc.SerializeToString(), seq)))

    def op_garbage(self) -> bytes:
        self._count("garbage")
        return self.rng.randbytes(self.rng.randint(0, 64))

    # --- blocks -------------------------------------------------------------------------------------
    def next_block(self, max_txs: int = 8) -> BlockResult:
        self.height += 1
        self.time_ns += (30 * NANOS_PER_HOUR if self.rng.random() < 0.02 else 5 * NANOS_PER_SECOND)
        self._sync_accounts()
        ops: list[tuple[Callable[[], bytes | None], int]] = [
            (self.op_send, 3), (self.op_create_deal, 3), (self.op_consent, 8), (self.op_deactivate, 1),
            (self.op_update_oracle, 1), (self.op_register_oracle, 1), (self.op_approve_oracle, 1),
            (self.op_proposal, 1), (self.op_vote, 3), (self.op_did, 2), (self.op_garbage, 1)]
        funcs = [f for f, _ in ops]
        weights = [w for _, w in ops]
        txs: list[bytes] = []
        for _ in range(self.rng.randint(0, max_txs)):
            tx = self.rng.choices(funcs, weights)[0]()
            if tx is not None:
                txs.append(tx)
        result = self.app.finalize_block(BlockInfo(self.height, self.time_ns, CHAIN_ID), txs)
        self.app.commit()
        self.hashes.append(result.app_hash)
        self._after_block(result)
        return result

    def _after_block(self, result: BlockResult) -> None:
        self.result_hashes.append(results_digest(self.result_hashes[-1] if self.result_hashes else b"", result))
        for tx in result.tx_results:
            self._count("tx-ok" if tx.ok else "tx-failed")
            for ev in tx.events:
                attrs = dict(ev.attributes)
                if ev.type == "transfer":
                    self._book(attrs["sender"], attrs["recipient"], attrs["amount"])
            if tx.ok and tx.data:
                for d in abci_pb2.TxMsgData.FromString(tx.data).data:
                    if d.msg_type == "CreateDeal":
                        self.deal_ids.append(deal_tx.MsgCreateDealResponse.FromString(d.data).deal_id)
                    elif d.msg_type == "submit_proposal":
                        self.proposals.append(gov_tx.MsgSubmitProposalResponse.FromString(d.data).proposal_id)
        ctx = self.app.query_context(None)
        broken = check(ctx, self.app.bank, self.app.datadeal) + self.did_history.check(ctx, self.app.did)
        for deal_id in self.deal_ids:
            raw = self.app.datadeal.deal_address(deal_id)
            book = self.books.get(addr.encode(raw), EscrowBook())
            held = {c.denom: c.amount for c in self.app.bank.all_balances(ctx, raw)}
            for denom in sorted(set(book.received) | set(held) | set(book.sent)):
                if book.received.get(denom, 0) - book.sent.get(denom, 0) != held.get(denom, 0):
                    broken.append(Broken("escrow-conservation",
                                         f"deal {deal_id}: in {book.received} out {book.sent} held {held}"))
        if broken:
            raise SimulationError(f"height {self.height}: " + "; ".join(map(str, broken)))

    def _book(self, sender: str, recipient: str, amount: str) -> None:
        for c in parse_coins(amount):
            into = self.books.setdefault(recipient, EscrowBook()).received
            into[c.denom] = into.get(c.denom, 0) + c.amount
            out = self.books.setdefault(sender, EscrowBook()).sent
            out[c.denom] = out.get(c.denom, 0) + c.amount

    def run(self, blocks: int, progress: Callable[[int], None] | None = None) -> list[bytes]:
        self.start()
        for _ in range(blocks):
            self.next_block()
            if progress is not None:
                progress(self.height)
        return self.hashes

    def close(self) -> None:
        self.store.close()


def results_digest(previous: bytes, result: BlockResult) -> bytes:
    """SHA-256 of ``previous`` and every field of the block's tx results and events, in order."""
    h = hashlib.sha256(previous)
    for tx in [*result.tx_results, None]:
        fields: list[object] = ["block-events", result.events] if tx is None else [
            tx.code, tx.codespace, tx.log, tx.data.hex(), tx.gas_wanted, tx.gas_used, tx.events]
        h.update(repr(fields).encode() + b"\n")
    return h.digest()

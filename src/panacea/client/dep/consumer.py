"""``Consumer`` / ``AsyncConsumer``: a data consumer's side of DEP — register a deal (step 1), watch it fill, and
take delivery (step 5): the ciphertext from the consumer service, the secret key from an oracle, decryption, and
the JCS hash checked against the consent's (oracle-reference §2.2, §3, §7; chain-reference §2.4–2.5). Written
once as plans; the two classes only run them."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from panacea.client.aio import AsyncChainClient
from panacea.client.base import ChainBase
from panacea.client.dep.common import (
    OracleTarget,
    oracle_at,
    oracle_public_key,
    read_deal,
    read_params,
    send_tx,
    token,
    transfers,
)
from panacea.client.dep.errors import DepError, IntegrityError
from panacea.client.dep.runner import AsyncServices, SyncServices, call_service, chain_read
from panacea.client.dep.types import ConsentInfo, DealProgress, FetchedData, Term, price_per_data, status_name
from panacea.client.plan import Plan, op, sleep
from panacea.client.queries import bank, datadeal
from panacea.client.services.consumer import (
    AsyncConsumerServiceClient,
    ConsumerServiceClient,
    get_call,
    parse_data,
)
from panacea.client.services.oracle import parse_secret_key, secret_key_call
from panacea.client.sync import ChainClient
from panacea.client.wallet import WalletBase
from panacea.crypto import aes
from panacea.crypto.errors import CryptoError
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.secret import decrypt_from
from panacea.types.coins import DENOM
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx

Progress = Callable[[int, int, FetchedData], None]  # (done, total, the datum just handled)
POLL_SECONDS = 0.5


def _terms(terms: Sequence[Term | str]) -> list[deal_pb2.AgreementTerm]:
    """Terms numbered 1… in order; a plain string is ``Term.from_text`` (not required)."""
    out = []
    for i, term in enumerate(terms, 1):
        t = Term.from_text(term) if isinstance(term, str) else term
        out.append(deal_pb2.AgreementTerm(id=i, required=t.required, title=t.title, description=t.description))
    return out


def _presentation_definition(pd: bytes | dict[str, Any] | None) -> bytes:
    if pd is None:
        return b""
    return pd if isinstance(pd, bytes) else json.dumps(pd, separators=(",", ":")).encode()


def _deal_id(data: bytes) -> int:
    """The new deal's id from the tx's MsgCreateDealResponse (in its TxMsgData)."""
    return int(deal_tx.MsgCreateDealResponse.FromString(abci_pb2.TxMsgData.FromString(data).data[0].data).deal_id)


def read_consents(chain: ChainBase, deal_id: int) -> Plan[list[consent_pb2.Consent]]:
    return (yield from chain_read("read consents", chain._run_all(datadeal.consents(deal_id))))


def read_progress(chain: ChainBase, deal_id: int) -> Plan[DealProgress]:
    """A deal's progress from the chain alone (no key needed: ``chain.run_plan(read_progress(chain, deal_id))``)."""
    deal = yield from read_deal(chain, deal_id)
    escrow = yield from chain_read("read deal", chain._run(bank.balance(deal.address)))
    consents = yield from read_consents(chain, deal_id)
    budget = int(deal.budget.amount or "0")
    return DealProgress(
        deal_id, status_name(deal.status), deal.cur_num_data, deal.max_num_data, budget,
        price_per_data(budget, deal.max_num_data), escrow, deal.consumer_address,
        tuple(ConsentInfo(c.certificate.unsigned_certificate.data_hash,
                          c.certificate.unsigned_certificate.provider_address,
                          c.certificate.unsigned_certificate.oracle_address) for c in consents))


@dataclass
class _Delivery:
    """What every datum of one deal's delivery needs: the deal, the oracle key, the oracles met so far."""

    deal: deal_pb2.Deal
    oracle_key: PublicKey
    oracles: dict[str, OracleTarget] = field(default_factory=dict)


def _write(path: Path, data: bytes) -> None:
    """Whole or absent: a temporary file renamed into place (an interrupted fetch leaves no partial datum)."""
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _verified_copy(path: Path, hash_hex: str) -> bytes | None:
    """The file's bytes if it holds the datum ``hash_hex`` (a resumed fetch keeps it), else None."""
    try:
        content = path.read_bytes()
        return content if data_hash(content) == hash_hex else None
    except (OSError, CryptoError):
        return None


class ConsumerFlow:
    """The consumer's steps, once, without I/O; ``Consumer`` and ``AsyncConsumer`` run them."""

    chain: ChainBase
    key: PrivateKey
    address: str
    _wallet: WalletBase
    _gas_price: Decimal | str | None
    _oracle: str | None
    _storage_audience: str | None

    # --- step 1: the deal ----------------------------------------------------------------------------------------
    @op
    def create_deal(self, *, schema: Sequence[str] | None = None,
                    presentation_definition: bytes | dict[str, Any] | None = None, budget: int, max_data: int,
                    terms: Sequence[Term | str], endpoint: str) -> Plan[int]:
        """Register a deal (schema URIs or a presentation definition; budget in umed, escrowed); its id."""
        msg = deal_tx.MsgCreateDeal(
            data_schema=list(schema or []), presentation_definition=_presentation_definition(presentation_definition),
            budget=coin_pb2.Coin(denom=DENOM, amount=str(budget)), max_num_data=max_data,
            consumer_address=self.address, agreement_terms=_terms(terms), consumer_service_endpoint=endpoint)
        tx = yield from send_tx("create deal", self._wallet, [msg], self._gas_price)
        return _deal_id(tx.data)

    @op
    def progress(self, deal_id: int) -> Plan[DealProgress]:
        """The deal's status, data received of the data wanted, escrow left and consents."""
        return (yield from self._progress(deal_id))

    def _progress(self, deal_id: int) -> Plan[DealProgress]:
        return (yield from read_progress(self.chain, deal_id))

    def _consents(self, deal_id: int) -> Plan[list[consent_pb2.Consent]]:
        return (yield from read_consents(self.chain, deal_id))

    @op
    def wait(self, deal_id: int, *, until_data: int | None = None, timeout: float = 60.0) -> Plan[DealProgress]:
        """Poll until the deal holds ``until_data`` data (default: until it is no longer ACTIVE)."""
        deadline = time.monotonic() + timeout
        while True:
            now = yield from self._progress(deal_id)
            if (now.cur_num_data >= until_data) if until_data is not None else not now.active:
                return now
            if time.monotonic() >= deadline:
                wanted = f"{until_data} data" if until_data is not None else "the end of the deal"
                raise DepError("wait", f"deal {deal_id} has {now.cur_num_data} of {now.max_num_data} data and is "
                                       f"{now.status} after {timeout:g}s (waited for {wanted})")
            yield from sleep(POLL_SECONDS)

    @op
    def deactivate(self, deal_id: int) -> Plan[int]:
        """Stop an ACTIVE deal; the umed refunded from its escrow."""
        deal = yield from read_deal(self.chain, deal_id)
        msg = deal_tx.MsgDeactivateDeal(deal_id=deal_id, requester_address=self.address)
        tx = yield from send_tx("deactivate deal", self._wallet, [msg], self._gas_price)
        return sum(amount for to, amount in transfers(tx, deal.address) if to == self.address)

    # --- step 5: delivery -------------------------------------------------------------------------------------
    @op
    def delivered(self, deal_id: int) -> Plan[list[str]]:
        """The data hashes the deal has consents for (what it paid for), in the chain's order."""
        return (yield from self._delivered(deal_id))

    def _delivered(self, deal_id: int) -> Plan[list[str]]:
        return [c.certificate.unsigned_certificate.data_hash for c in (yield from self._consents(deal_id))]

    def _delivery(self, deal_id: int) -> Plan[_Delivery]:
        deal = yield from read_deal(self.chain, deal_id)
        if deal.consumer_address != self.address:
            raise DepError("read deal", f"deal {deal_id} is {deal.consumer_address}'s, not this key's ({self.address})")
        params = yield from read_params(self.chain)
        return _Delivery(deal, oracle_public_key("get secret key", params))

    def _oracle_for(self, d: _Delivery, certified_by: str) -> Plan[OracleTarget]:
        """The oracle to ask: the one given at construction, else the consent's (any active oracle holds the key)."""
        choice = self._oracle or certified_by
        if choice not in d.oracles:
            d.oracles[choice] = yield from oracle_at("get secret key", self.chain, choice)
        return d.oracles[choice]

    def _fetch(self, d: _Delivery, hash_hex: str) -> Plan[bytes]:
        deal_id = d.deal.id
        consent = yield from chain_read("read consent", self.chain._run(datadeal.consent(deal_id, hash_hex)))
        storage = token(self.key, self._storage_audience)
        ciphertext = yield from call_service("fetch", "storage", d.deal.consumer_service_endpoint,
                                             get_call(deal_id, hash_hex, storage), parse_data)
        target = yield from self._oracle_for(d, consent.certificate.unsigned_certificate.oracle_address)
        call = secret_key_call(deal_id, hash_hex, token(self.key, target.address))
        sealed = yield from call_service("get secret key", "oracle", target.endpoint, call, parse_secret_key)
        try:
            secret = decrypt_from(self.key, d.oracle_key, sealed)
        except CryptoError:
            raise IntegrityError("decrypt", f"the secret key from oracle {target.address} does not open with this "
                                            f"key and the chain's oracle public key") from None
        try:
            plaintext = aes.decrypt(secret, ciphertext)
        except CryptoError:
            raise IntegrityError("decrypt", f"the stored data {hash_hex} does not decrypt with its secret key"
                                 ) from None
        try:
            got = data_hash(plaintext)
        except CryptoError as e:
            raise IntegrityError("verify hash", f"the data stored as {hash_hex} is not JSON: {e}") from None
        if got != consent.certificate.unsigned_certificate.data_hash:
            raise IntegrityError("verify hash", f"the data stored as {hash_hex} hashes to {got}, not to the "
                                                f"consent's data hash")
        return plaintext

    @op
    def fetch(self, deal_id: int, data_hash: str) -> Plan[bytes]:
        """One delivered datum, decrypted; its JCS hash is checked against the consent's (IntegrityError if not)."""
        return (yield from self._fetch((yield from self._delivery(deal_id)), data_hash))

    @op
    def fetch_all(self, deal_id: int, out_dir: str | os.PathLike[str], *, progress: Progress | None = None,
                  resume: bool = True) -> Plan[list[FetchedData]]:
        """Every delivered datum into ``out_dir/<data hash>.json``, verified; with ``resume``, verified files stay."""
        d = yield from self._delivery(deal_id)
        hashes = yield from self._delivered(deal_id)
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DepError("fetch", f"cannot create {out}: {e.strerror or e}") from None
        results: list[FetchedData] = []
        for hash_hex in hashes:
            path = out / f"{hash_hex}.json"
            kept = _verified_copy(path, hash_hex) if resume else None
            if kept is not None:
                item = FetchedData(hash_hex, kept, path, fetched=False)
            else:
                plaintext = yield from self._fetch(d, hash_hex)
                try:
                    _write(path, plaintext)
                except OSError as e:
                    raise DepError("fetch", f"cannot write {path}: {e.strerror or e}") from None
                item = FetchedData(hash_hex, plaintext, path)
            results.append(item)
            if progress is not None:
                progress(len(results), len(hashes), item)
        return results


def _init(flow: ConsumerFlow, chain: ChainClient | AsyncChainClient, key: PrivateKey, gas_price: Decimal | str | None,
          oracle: str | None, storage_audience: str | None) -> None:
    flow.chain, flow.key, flow.address, flow._wallet = chain, key, key.bech32(), chain.wallet(key)
    flow._gas_price, flow._oracle, flow._storage_audience = gas_price, oracle, storage_audience


class Consumer(SyncServices, ConsumerFlow):
    """A data consumer (blocking). ``storage`` replaces the deal's consumer-service endpoint (a client or a URL);
    ``oracle`` (an oracle address or URL) answers every secret-key request instead of each consent's oracle."""

    def __init__(self, chain: ChainClient, key: PrivateKey, *, storage: ConsumerServiceClient | str | None = None,
                 oracle: str | None = None, gas_price: Decimal | str | None = None,
                 storage_audience: str | None = None) -> None:
        super().__init__(chain, storage)
        _init(self, chain, key, gas_price, oracle, storage_audience)


class AsyncConsumer(AsyncServices, ConsumerFlow):
    """asyncio twin of Consumer: the same methods, awaited."""

    def __init__(self, chain: AsyncChainClient, key: PrivateKey, *,
                 storage: AsyncConsumerServiceClient | str | None = None, oracle: str | None = None,
                 gas_price: Decimal | str | None = None, storage_audience: str | None = None) -> None:
        super().__init__(chain, storage)
        _init(self, chain, key, gas_price, oracle, storage_audience)

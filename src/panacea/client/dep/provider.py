"""``Provider`` / ``AsyncProvider``: one call takes a datum through DEP steps 2–4 — encrypt it for the oracle
key, have an oracle validate it, check the certificate against the chain's oracle key *before* using it, submit
the consent with the agreements, and report what the chain paid (oracle-reference §2, chain-reference §2.6–2.8).
The flow is written once, as a plan; the two classes only run it (sync: httpx; async: aiohttp)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from panacea.client.aio import AsyncChainClient
from panacea.client.base import ChainBase
from panacea.client.dep.common import (
    OracleTarget,
    active_oracle,
    fee_paid,
    oracle_at,
    oracle_public_key,
    read_deal,
    read_params,
    send_tx,
    signature_mode,
    token,
    transfers,
)
from panacea.client.dep.credentials import key_method_id, make_presentation, presentation_bytes
from panacea.client.dep.errors import CertificateError, DepError
from panacea.client.dep.runner import AsyncServices, SyncServices, call_service, chain_read
from panacea.client.dep.types import ProvideResult, status_name
from panacea.client.plan import Plan, op
from panacea.client.queries import auth
from panacea.client.services.oracle import parse_certificate, validate_call
from panacea.client.sync import ChainClient
from panacea.client.wallet import WalletBase
from panacea.crypto.did import did_for_key
from panacea.crypto.errors import CryptoError
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.secret import encrypt_for
from panacea.crypto.signature import verify_message
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as deal_tx
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2


def agreements(deal: deal_pb2.Deal, agree: Sequence[int] | None) -> list[consent_pb2.Agreement]:
    """One agreement per term of the deal (the chain's count rule): the ``agree`` ids agreed (default: the required
    terms), the others declined; an id the deal lacks, or a required term left out, fails here, before any upload."""
    terms = {t.id: t for t in deal.agreement_terms}
    chosen = {t.id for t in deal.agreement_terms if t.required} if agree is None else set(agree)
    unknown = sorted(chosen - set(terms))
    if unknown:
        known = ", ".join(str(i) for i in terms) or "none"
        raise DepError("agree", f"deal {deal.id} has no term {unknown[0]} (its terms: {known})")
    missing = [t.id for t in deal.agreement_terms if t.required and t.id not in chosen]
    if missing:
        raise DepError("agree", f"term {missing[0]} of deal {deal.id} is required: the chain pays only if you agree "
                                f"to it")
    return [consent_pb2.Agreement(term_id=t.id, agreement=t.id in chosen) for t in deal.agreement_terms]


def check_certificate(cert: consent_pb2.Certificate, *, deal_id: int, provider: str, hash_hex: str,
                      oracle_address: str, params: genesis_pb2.Params, key: PublicKey) -> None:
    """The certificate names this deal, provider, datum, oracle and the active unique ID, and its signature
    verifies with the chain's oracle public key under the chain's digest rule — else CertificateError."""
    u = cert.unsigned_certificate
    for what, got, want in (("deal", str(u.deal_id), str(deal_id)), ("provider", u.provider_address, provider),
                            ("data hash", u.data_hash, hash_hex), ("oracle", u.oracle_address, oracle_address),
                            ("unique ID", u.unique_id, params.unique_id)):
        if got != want:
            raise CertificateError("check certificate", f"the certificate's {what} is {got or '(empty)'}, not {want}")
    message = u.SerializeToString(deterministic=True)
    if not verify_message(key, message, cert.signature, signature_mode(params)):
        raise CertificateError("check certificate", "the certificate's signature does not verify with the chain's "
                                                    "oracle public key")


class ProviderFlow:
    """The provider's steps, once, without I/O; ``Provider`` and ``AsyncProvider`` run them."""

    chain: ChainBase
    key: PrivateKey
    address: str
    _wallet: WalletBase
    _gas_price: Decimal | str | None

    def _target(self, params: genesis_pb2.Params, choice: str | None) -> Plan[OracleTarget]:
        if choice is None:
            return (yield from active_oracle("choose oracle", self.chain, params))
        return (yield from oracle_at("choose oracle", self.chain, choice, params))

    def _check_account(self) -> Plan[None]:
        """The oracle verifies the provider's JWT with its on-chain public key: say so before uploading anything."""
        account = yield from chain_read("read account", self.chain._run(auth.account(self.address)))
        if account.pubkey is None:
            raise DepError("read account", f"account {self.address} has no public key on chain yet (the oracle "
                                           f"checks your token with it): sign any tx first, e.g. send yourself 1umed")

    def _active_deal(self, deal_id: int) -> Plan[deal_pb2.Deal]:
        deal = yield from read_deal(self.chain, deal_id)
        if deal.status != deal_pb2.DEAL_STATUS_ACTIVE:
            raise DepError("read deal", f"deal {deal_id} is {status_name(deal.status)}: it takes no more data")
        return deal

    @op
    def provide(self, deal_id: int, data: bytes, *, agree: Sequence[int] | None = None,
                oracle: str | None = None) -> Plan[ProvideResult]:
        """Encrypt ``data`` (a VP for a presentation-definition deal) for the oracle key, validate it, consent."""
        deal = yield from self._active_deal(deal_id)
        return (yield from self._provide(deal, data, agree, oracle))

    @op
    def provide_credentials(self, deal_id: int, credentials: Sequence[dict[str, Any] | str], *,
                            holder_key: PrivateKey | None = None, holder_did: str | None = None,
                            method_id: str | None = None, agree: Sequence[int] | None = None,
                            oracle: str | None = None) -> Plan[ProvideResult]:
        """Make the VP of ``credentials`` for the deal's definition (``holder_key`` as its DID), then provide it."""
        # holder_key: default the provider's key; holder_did: default that key's did:panacea; method_id: default the
        # DID's #key1 (did:panacea) or fingerprint (did:key).
        deal = yield from self._active_deal(deal_id)
        if not deal.presentation_definition:
            raise DepError("make presentation", f"deal {deal_id} takes data matching a JSON schema, not a "
                                                f"verifiable presentation")
        key = holder_key or self.key
        did = holder_did or did_for_key(key.public_key())
        vp = make_presentation(credentials, did, method_id or key_method_id(did), key,
                               definition=deal.presentation_definition)
        return (yield from self._provide(deal, presentation_bytes(vp), agree, oracle))

    def _provide(self, deal: deal_pb2.Deal, data: bytes, agree: Sequence[int] | None,
                 oracle: str | None) -> Plan[ProvideResult]:
        deal_id = deal.id
        consent_agreements = agreements(deal, agree)
        if deal.presentation_definition and data.lstrip().startswith(b"ey"):  # a bare VP-JWT: sent enveloped
            data = presentation_bytes(data.strip().decode("ascii", "replace"))
        yield from self._check_account()
        try:
            hash_hex = data_hash(data)
        except CryptoError as e:
            what = "presentation" if deal.presentation_definition else "data"
            raise DepError("hash", f"the {what} is not JSON the oracle can hash: {e}") from None
        params = yield from read_params(self.chain)
        key = oracle_public_key("encrypt", params)
        target = yield from self._target(params, oracle)
        try:
            encrypted = encrypt_for(self.key, key, data)
        except CryptoError as e:
            raise DepError("encrypt", str(e)) from None
        call = validate_call(deal_id, self.address, encrypted, hash_hex, token(self.key, target.address))
        cert = yield from call_service("validate", "oracle", target.endpoint, call, parse_certificate)
        check_certificate(cert, deal_id=deal_id, provider=self.address, hash_hex=hash_hex,
                          oracle_address=target.address, params=params, key=key)
        consent = consent_pb2.Consent(deal_id=deal_id, certificate=cert, agreements=consent_agreements)
        tx = yield from send_tx("submit consent", self._wallet, [deal_tx.MsgSubmitConsent(consent=consent)],
                                self._gas_price)
        paid = transfers(tx, deal.address)  # provider first, then the oracle (chain-reference §2.8)
        reward = next((amount for to, amount in paid if to == self.address), 0)
        commission = next((amount for to, amount in paid[1:] if to == target.address), 0)
        return ProvideResult(deal_id, hash_hex, cert, target.address, tx.tx_hash, tx.height, reward, commission,
                             fee_paid(tx))


class Provider(SyncServices, ProviderFlow):
    """A data provider (blocking): ``provide(deal_id, data)`` runs encrypt → validate → check → consent."""

    def __init__(self, chain: ChainClient, key: PrivateKey, *, gas_price: Decimal | str | None = None) -> None:
        super().__init__(chain, None)
        self.chain, self.key, self.address = chain, key, key.bech32()
        self._wallet = chain.wallet(key)
        self._gas_price = gas_price


class AsyncProvider(AsyncServices, ProviderFlow):
    """asyncio twin of Provider: the same methods, awaited."""

    def __init__(self, chain: AsyncChainClient, key: PrivateKey, *, gas_price: Decimal | str | None = None) -> None:
        super().__init__(chain, None)
        self.chain, self.key, self.address = chain, key, key.bech32()
        self._wallet = chain.wallet(key)
        self._gas_price = gas_price

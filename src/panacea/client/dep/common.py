"""What the consumer and provider flows share: tokens, the oracle to talk to, txs with step errors, and the
payments a tx's events record."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from google.protobuf.message import Message

from panacea.client.base import ChainBase
from panacea.client.dep.errors import DepError, TxError
from panacea.client.dep.runner import call_service, chain_read
from panacea.client.errors import BroadcastError, ChainClientError, SimulationError, TxTimeoutError
from panacea.client.plan import Plan
from panacea.client.queries import datadeal, oracle
from panacea.client.services.oracle import STATUS_CALL, parse_status
from panacea.client.types import TxResponse
from panacea.client.wallet import WalletBase
from panacea.crypto import jwt
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.signature import SignatureMode
from panacea.types.coins import DENOM, parse_coins
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2

TOKEN_SECONDS = 60  # well inside the services' default bound on a token's lifetime (300 s)


def token(key: PrivateKey, audience: str | None = None) -> str:
    """A fresh secure-profile JWT of ``key``: a one-use ``jti``, ``aud`` when the service checks it."""
    return jwt.issue(key, TOKEN_SECONDS * 1_000_000_000, audience=audience, jti=secrets.token_hex(16))


def signature_mode(params: genesis_pb2.Params) -> SignatureMode:
    """How the chain verifies certificate signatures (param ``signature_digest``: ``legacy``, else SHA-256)."""
    return SignatureMode.LEGACY if params.signature_digest == SignatureMode.LEGACY.value else SignatureMode.SHA256


def oracle_public_key(step: str, params: genesis_pb2.Params) -> PublicKey:
    """The shared oracle key from the chain's oracle params."""
    try:
        return PublicKey.from_base64(params.oracle_public_key)
    except CryptoError as e:
        raise DepError(step, f"the chain's oracle public key is unusable: {e}") from None


def read_deal(chain: ChainBase, deal_id: int) -> Plan[deal_pb2.Deal]:
    return (yield from chain_read("read deal", chain._run(datadeal.deal(deal_id))))


def read_params(chain: ChainBase) -> Plan[genesis_pb2.Params]:
    return (yield from chain_read("read oracle params", chain._run(oracle.oracle_params())))


@dataclass(frozen=True)
class OracleTarget:
    """An oracle to call: its account (the JWT ``aud``) and endpoint."""

    address: str
    endpoint: str


def is_url(choice: str) -> bool:
    return "://" in choice


def oracle_at(step: str, chain: ChainBase, choice: str, params: genesis_pb2.Params | None = None
              ) -> Plan[OracleTarget]:
    """The oracle ``choice`` names: an endpoint URL (its account from its ``/v0/status``) or an oracle address (its
    endpoint from the chain). With ``params``, the oracle must also be active (the chain's unique ID)."""
    if is_url(choice):
        address = (yield from call_service(step, "oracle", choice, STATUS_CALL, parse_status)).oracle_account_address
        endpoint = choice
    else:
        address, endpoint = choice, ""
    record = yield from chain_read(step, chain._run(oracle.oracle(address)))
    if params is not None and record.unique_id != params.unique_id:
        raise DepError(step, f"oracle {address} is not active: its unique ID {record.unique_id} is not the chain's "
                             f"{params.unique_id}")
    endpoint = endpoint or record.endpoint
    if not endpoint:
        raise DepError(step, f"oracle {address} has no endpoint on chain: pass its URL as oracle")
    return OracleTarget(address, endpoint)


def active_oracle(step: str, chain: ChainBase, params: genesis_pb2.Params) -> Plan[OracleTarget]:
    """The first oracle on chain (by address) that runs the active unique ID and has an endpoint."""
    for record in (yield from chain_read(step, chain._run_all(oracle.oracles()))):
        if record.unique_id == params.unique_id and record.endpoint:
            return OracleTarget(record.oracle_address, record.endpoint)
    raise DepError(step, f"no active oracle with an endpoint on chain (active unique ID {params.unique_id})")


def send_tx(step: str, wallet: WalletBase, msgs: Sequence[Message], gas_price: Decimal | str | None
            ) -> Plan[TxResponse]:
    """Sign, broadcast and wait for the block; any refusal or failure is ``TxError(step, <the chain's log>)``."""
    try:
        tx = yield from WalletBase.send.plan(wallet, msgs, gas_price=gas_price)
    except SimulationError as e:
        raise TxError(step, e.log, code=e.code, codespace=e.codespace) from None
    except BroadcastError as e:
        raise TxError(step, str(e), code=e.code, codespace=e.codespace, tx_hash=e.tx_hash) from None
    except TxTimeoutError as e:
        raise TxError(step, str(e), tx_hash=e.tx_hash) from None
    except ChainClientError as e:
        raise DepError(step, str(e)) from None
    if not tx.ok:
        raise TxError(step, tx.raw_log or f"tx failed with code {tx.code}", code=tx.code, codespace=tx.codespace,
                      tx_hash=tx.tx_hash)
    return tx


def umed(amount: str) -> int:
    """The umed part of an event's coin amount (``""`` when nothing moved)."""
    return sum(c.amount for c in parse_coins(amount) if c.denom == DENOM)


def transfers(tx: TxResponse, sender: str) -> list[tuple[str, int]]:
    """(recipient, umed) of each bank transfer out of ``sender``, in the tx's order."""
    out = []
    for event in tx.events:
        if event.type == "transfer":
            attrs = dict(event.attributes)
            if attrs.get("sender") == sender:
                out.append((attrs.get("recipient", ""), umed(attrs.get("amount", ""))))
    return out


def fee_paid(tx: TxResponse) -> int:
    """The umed fee of the tx (its ``tx`` event)."""
    return umed(tx.attribute("tx", "fee") or "")

"""Chain client over CometBFT JSON-RPC (the embedded engine and a real CometBFT serve the same methods).

``ChainClient`` (sync, httpx) and ``AsyncChainClient`` (asyncio, aiohttp) share everything but I/O:
request building, result parsing and the typed query table live in this module once; each client only
moves bytes. ``Wallet`` / ``AsyncWallet`` sign SIGN_MODE_DIRECT txs for one key, estimate gas by
simulation and keep account sequences straight under concurrency (see ``panacea.client.sequence``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, Literal, TypeVar, cast

from google.protobuf.message import DecodeError, Message

from panacea.client.sequence import MAX_SEQUENCE_RETRIES, AccountSequence, SequenceBook, expected_sequence
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.types.coins import DENOM, Coin, parse_coins
from panacea.types.events import Event
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2 as gov_query
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2
from panacea.types.pb.panacea.datadeal.v2 import query_pb2 as deal_query
from panacea.types.pb.panacea.oracle.v2 import query_pb2 as oracle_query

T = TypeVar("T")
Gas = int | Literal["auto"]
Fee = int | str

DEFAULT_NODE = "tcp://127.0.0.1:26657"
DEFAULT_GAS_ADJUSTMENT = 1.3
DEFAULT_TX_TIMEOUT = 30.0
SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
PAGE_LIMIT = 100

# (codespace, code) pairs that mean "no such thing" in query answers.
_NOT_FOUND = {
    ("sdk", 22), ("sdk", 38), ("datadeal", 3), ("datadeal", 5),
    ("oracle", 3), ("oracle", 5), ("oracle", 13), ("oracle", 18), ("gov", 2),
}


# --- errors ---------------------------------------------------------------------------------------------
class ChainClientError(Exception):
    """Anything the chain client could not do; the message is one line."""


class NodeUnreachableError(ChainClientError):
    """No HTTP answer from the node (refused, timeout, not JSON)."""


class RpcCallError(ChainClientError):
    """The node answered with a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: str = "") -> None:
        super().__init__(f"{message}: {data}" if data else message)
        self.code = code
        self.message = message
        self.data = data


class QueryError(ChainClientError):
    """An ABCI query returned a non-zero code."""

    def __init__(self, path: str, code: int, codespace: str, log: str) -> None:
        super().__init__(log or f"query {path} failed with code {code} ({codespace})")
        self.path = path
        self.code = code
        self.codespace = codespace
        self.log = log


class NotFoundError(QueryError):
    """The queried object (account, deal, oracle, proposal…) does not exist."""


class SimulationError(ChainClientError):
    """Simulating a tx for gas failed; the tx would fail the same way."""

    def __init__(self, code: int, codespace: str, log: str) -> None:
        super().__init__(log)
        self.code = code
        self.codespace = codespace
        self.log = log


class BroadcastError(ChainClientError):
    """CheckTx rejected the tx; it is not in the mempool."""

    def __init__(self, tx_hash: str, code: int, log: str, codespace: str = "") -> None:
        super().__init__(log or f"tx {tx_hash} rejected with code {code}")
        self.tx_hash = tx_hash
        self.code = code
        self.log = log
        self.codespace = codespace


class TxTimeoutError(ChainClientError):
    def __init__(self, tx_hash: str, timeout: float) -> None:
        super().__init__(f"tx {tx_hash} was not included in a block within {timeout:g}s")
        self.tx_hash = tx_hash
        self.timeout = timeout


# --- values -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    address: str
    number: int
    sequence: int
    pubkey: bytes | None  # compressed secp256k1, None until the account's first tx


@dataclass(frozen=True)
class Status:
    chain_id: str
    latest_height: int
    latest_block_time: str
    latest_block_hash: str
    latest_app_hash: str
    moniker: str
    catching_up: bool


@dataclass(frozen=True)
class BroadcastResult:
    tx_hash: str
    code: int
    codespace: str
    log: str


@dataclass(frozen=True)
class TxResponse:
    tx_hash: str
    height: int
    code: int
    codespace: str
    raw_log: str
    gas_wanted: int
    gas_used: int
    data: bytes
    events: tuple[Event, ...]

    @property
    def ok(self) -> bool:
        return self.code == 0

    def attribute(self, event_type: str, key: str) -> str | None:
        """The first value of ``key`` in an event of ``event_type`` (e.g. the oracle's registration events)."""
        for ev in self.events:
            if ev.type == event_type:
                for k, v in ev.attributes:
                    if k == key:
                        return v
        return None

    def to_json(self) -> dict[str, object]:
        """Cosmos ``TxResponse`` JSON (what ``panacead tx`` prints)."""
        return {
            "height": str(self.height),
            "txhash": self.tx_hash,
            "codespace": self.codespace,
            "code": self.code,
            "data": self.data.hex().upper(),
            "raw_log": self.raw_log,
            "gas_wanted": str(self.gas_wanted),
            "gas_used": str(self.gas_used),
            "events": [e.to_json() for e in self.events],
        }


def tx_hash(tx_bytes: bytes) -> str:
    return hashlib.sha256(tx_bytes).hexdigest().upper()


def rpc_url(node: str) -> str:
    """CometBFT writes RPC addresses as tcp://host:port; HTTP clients need http://."""
    if node.startswith("tcp://"):
        return "http://" + node[len("tcp://") :]
    if not node.startswith(("http://", "https://")):
        return "http://" + node
    return node


# --- typed query table (shared by both clients) -------------------------------------------------------------
@dataclass(frozen=True)
class Query(Generic[T]):
    path: str
    request: Message
    response_cls: type[Message]
    extract: Callable[[Any], T]


@dataclass(frozen=True)
class PagedQuery(Generic[T]):
    """A list query; the client follows ``pagination.next_key`` until the end."""

    path: str
    request: Callable[[pagination_pb2.PageRequest], Message]
    response_cls: type[Message]
    items: Callable[[Any], Sequence[T]]


def _page(key: bytes) -> pagination_pb2.PageRequest:
    return pagination_pb2.PageRequest(key=key, limit=PAGE_LIMIT)


def _coin(c: Any) -> Coin:
    return Coin(c.denom, int(c.amount or "0"))


def _account(resp: auth_query.QueryAccountResponse) -> Account:
    packed = resp.account
    if packed.type_url.endswith("ModuleAccount"):
        base = auth_pb2.ModuleAccount.FromString(packed.value).base_account
    else:
        base = auth_pb2.BaseAccount.FromString(packed.value)
    pubkey = keys_pb2.PubKey.FromString(base.pub_key.value).key if base.pub_key.value else None
    return Account(base.address, base.account_number, base.sequence, pubkey)


class Q:
    """Constructors of the typed queries (paths as registered by the chain modules)."""

    @staticmethod
    def account(address: str) -> Query[Account]:
        return Query("/cosmos.auth.v1beta1.Query/Account", auth_query.QueryAccountRequest(address=address),
                     auth_query.QueryAccountResponse, _account)

    @staticmethod
    def balance(address: str, denom: str = DENOM) -> Query[int]:
        return Query("/cosmos.bank.v1beta1.Query/Balance", bank_query.QueryBalanceRequest(address=address, denom=denom),
                     bank_query.QueryBalanceResponse, lambda r: int(r.balance.amount or "0"))

    @staticmethod
    def all_balances(address: str) -> PagedQuery[Coin]:
        return PagedQuery("/cosmos.bank.v1beta1.Query/AllBalances",
                          lambda p: bank_query.QueryAllBalancesRequest(address=address, pagination=p),
                          bank_query.QueryAllBalancesResponse, lambda r: [_coin(c) for c in r.balances])

    @staticmethod
    def total_supply() -> PagedQuery[Coin]:
        return PagedQuery("/cosmos.bank.v1beta1.Query/TotalSupply",
                          lambda p: bank_query.QueryTotalSupplyRequest(pagination=p),
                          bank_query.QueryTotalSupplyResponse, lambda r: [_coin(c) for c in r.supply])

    @staticmethod
    def deal(deal_id: int) -> Query[Any]:
        return Query("/panacea.datadeal.v2.Query/Deal", deal_query.QueryDealRequest(deal_id=deal_id),
                     deal_query.QueryDealResponse, lambda r: r.deal)

    @staticmethod
    def deals() -> PagedQuery[Any]:
        return PagedQuery("/panacea.datadeal.v2.Query/Deals", lambda p: deal_query.QueryDealsRequest(pagination=p),
                          deal_query.QueryDealsResponse, lambda r: list(r.deals))

    @staticmethod
    def consent(deal_id: int, data_hash: str) -> Query[Any]:
        return Query("/panacea.datadeal.v2.Query/Consent",
                     deal_query.QueryConsent(deal_id=deal_id, data_hash=data_hash),
                     deal_query.QueryConsentResponse, lambda r: r.consent)

    @staticmethod
    def consents(deal_id: int) -> PagedQuery[Any]:
        return PagedQuery("/panacea.datadeal.v2.Query/Consents",
                          lambda p: deal_query.QueryConsents(deal_id=deal_id, pagination=p),
                          deal_query.QueryConsentsResponse, lambda r: list(r.consents))

    @staticmethod
    def oracle(address: str) -> Query[Any]:
        return Query("/panacea.oracle.v2.Query/Oracle", oracle_query.QueryOracleRequest(oracle_address=address),
                     oracle_query.QueryOracleResponse, lambda r: r.oracle)

    @staticmethod
    def oracles() -> PagedQuery[Any]:
        return PagedQuery("/panacea.oracle.v2.Query/Oracles", lambda p: oracle_query.QueryOraclesRequest(pagination=p),
                          oracle_query.QueryOraclesResponse, lambda r: list(r.oracles))

    @staticmethod
    def oracle_registration(unique_id: str, address: str) -> Query[Any]:
        return Query("/panacea.oracle.v2.Query/OracleRegistration",
                     oracle_query.QueryOracleRegistrationRequest(unique_id=unique_id, oracle_address=address),
                     oracle_query.QueryOracleRegistrationResponse, lambda r: r.oracle_registration)

    @staticmethod
    def oracle_registrations(unique_id: str) -> PagedQuery[Any]:
        return PagedQuery("/panacea.oracle.v2.Query/OracleRegistrations",
                          lambda p: oracle_query.QueryOracleRegistrationsRequest(unique_id=unique_id, pagination=p),
                          oracle_query.QueryOracleRegistrationsResponse, lambda r: list(r.oracle_registrations))

    @staticmethod
    def oracle_upgrade(unique_id: str, address: str) -> Query[Any]:
        return Query("/panacea.oracle.v2.Query/OracleUpgrade",
                     oracle_query.QueryOracleUpgradeRequest(unique_id=unique_id, oracle_address=address),
                     oracle_query.QueryOracleUpgradeResponse, lambda r: r.oracle_upgrade)

    @staticmethod
    def oracle_upgrades(unique_id: str) -> PagedQuery[Any]:
        return PagedQuery("/panacea.oracle.v2.Query/OracleUpgrades",
                          lambda p: oracle_query.QueryOracleUpgradesRequest(unique_id=unique_id, pagination=p),
                          oracle_query.QueryOracleUpgradesResponse, lambda r: list(r.oracle_upgrades))

    @staticmethod
    def upgrade_info() -> Query[Any]:
        """``None`` when no upgrade is scheduled (the chain answers with an empty response)."""
        return Query("/panacea.oracle.v2.Query/OracleUpgradeInfo", oracle_query.QueryOracleUpgradeInfoRequest(),
                     oracle_query.QueryOracleUpgradeInfoResponse,
                     lambda r: r.oracle_upgrade_info if r.HasField("oracle_upgrade_info") else None)

    @staticmethod
    def oracle_params() -> Query[Any]:
        return Query("/panacea.oracle.v2.Query/Params", oracle_query.QueryOracleParamsRequest(),
                     oracle_query.QueryParamsResponse, lambda r: r.params)

    @staticmethod
    def proposal(proposal_id: int) -> Query[Any]:
        return Query("/cosmos.gov.v1beta1.Query/Proposal", gov_query.QueryProposalRequest(proposal_id=proposal_id),
                     gov_query.QueryProposalResponse, lambda r: r.proposal)

    @staticmethod
    def proposals(status: int = 0, voter: str = "", depositor: str = "") -> PagedQuery[Any]:
        return PagedQuery("/cosmos.gov.v1beta1.Query/Proposals",
                          lambda p: gov_query.QueryProposalsRequest(proposal_status=cast(Any, status), voter=voter,
                                                                    depositor=depositor, pagination=p),
                          gov_query.QueryProposalsResponse, lambda r: list(r.proposals))

    @staticmethod
    def vote(proposal_id: int, voter: str) -> Query[Any]:
        return Query("/cosmos.gov.v1beta1.Query/Vote", gov_query.QueryVoteRequest(proposal_id=proposal_id, voter=voter),
                     gov_query.QueryVoteResponse, lambda r: r.vote)

    @staticmethod
    def votes(proposal_id: int) -> PagedQuery[Any]:
        return PagedQuery("/cosmos.gov.v1beta1.Query/Votes",
                          lambda p: gov_query.QueryVotesRequest(proposal_id=proposal_id, pagination=p),
                          gov_query.QueryVotesResponse, lambda r: list(r.votes))

    @staticmethod
    def deposit(proposal_id: int, depositor: str) -> Query[Any]:
        return Query("/cosmos.gov.v1beta1.Query/Deposit",
                     gov_query.QueryDepositRequest(proposal_id=proposal_id, depositor=depositor),
                     gov_query.QueryDepositResponse, lambda r: r.deposit)

    @staticmethod
    def deposits(proposal_id: int) -> PagedQuery[Any]:
        return PagedQuery("/cosmos.gov.v1beta1.Query/Deposits",
                          lambda p: gov_query.QueryDepositsRequest(proposal_id=proposal_id, pagination=p),
                          gov_query.QueryDepositsResponse, lambda r: list(r.deposits))

    @staticmethod
    def tally(proposal_id: int) -> Query[Any]:
        return Query("/cosmos.gov.v1beta1.Query/TallyResult",
                     gov_query.QueryTallyResultRequest(proposal_id=proposal_id),
                     gov_query.QueryTallyResultResponse, lambda r: r.tally)

    @staticmethod
    def gov_params(params_type: str) -> Query[Any]:
        """``params_type`` is ``voting``, ``tallying`` or ``deposit``."""
        return Query("/cosmos.gov.v1beta1.Query/Params", gov_query.QueryParamsRequest(params_type=params_type),
                     gov_query.QueryParamsResponse, lambda r: r)


# --- JSON-RPC shapes ------------------------------------------------------------------------------------------
def _abci_query_params(path: str, data: bytes, height: int) -> dict[str, Any]:
    return {"path": path, "data": data.hex(), "height": str(height), "prove": False}


def _abci_value(path: str, result: dict[str, Any]) -> bytes:
    response = result.get("response", {})
    code = int(response.get("code", 0))
    if code:
        codespace = str(response.get("codespace", ""))
        log = str(response.get("log", ""))
        not_found = (codespace, code) in _NOT_FOUND or (codespace == "sdk" and code == 18 and "not found" in log)
        raise (NotFoundError if not_found else QueryError)(path, code, codespace, log)
    return base64.b64decode(response.get("value") or "")


def _decode(cls: type[Message], raw: bytes, what: str) -> Any:
    try:
        return cls.FromString(raw)
    except DecodeError:
        raise ChainClientError(f"cannot decode the answer to {what}") from None


def _status(result: dict[str, Any]) -> Status:
    info, sync = result.get("node_info", {}), result.get("sync_info", {})
    return Status(
        chain_id=str(info.get("network", "")),
        latest_height=int(sync.get("latest_block_height", 0)),
        latest_block_time=str(sync.get("latest_block_time", "")),
        latest_block_hash=str(sync.get("latest_block_hash", "")),
        latest_app_hash=str(sync.get("latest_app_hash", "")),
        moniker=str(info.get("moniker", "")),
        catching_up=bool(sync.get("catching_up", False)),
    )


def _simulate_gas(result: dict[str, Any]) -> int:
    try:
        raw = _abci_value(SIMULATE_PATH, result)
    except QueryError as e:
        raise SimulationError(e.code, e.codespace, e.log) from None
    return int(_decode(service_pb2.SimulateResponse, raw, "simulate").gas_info.gas_used)


def _broadcast_result(tx_bytes: bytes, result: dict[str, Any]) -> BroadcastResult:
    out = BroadcastResult(
        tx_hash=str(result.get("hash") or tx_hash(tx_bytes)),
        code=int(result.get("code", 0)),
        codespace=str(result.get("codespace", "")),
        log=str(result.get("log", "")),
    )
    if out.code:
        raise BroadcastError(out.tx_hash, out.code, out.log, out.codespace)
    return out


def _tx_response(result: dict[str, Any]) -> TxResponse:
    r = result.get("tx_result", {})
    events = tuple(
        Event.from_pairs(str(e.get("type", "")), ((str(a.get("key", "")), str(a.get("value", "")))
                                                  for a in e.get("attributes") or []))
        for e in r.get("events") or []
    )
    return TxResponse(
        tx_hash=str(result.get("hash", "")).upper(),
        height=int(result.get("height", 0)),
        code=int(r.get("code", 0)),
        codespace=str(r.get("codespace", "")),
        raw_log=str(r.get("log", "")),
        gas_wanted=int(r.get("gas_wanted", 0)),
        gas_used=int(r.get("gas_used", 0)),
        data=base64.b64decode(r.get("data") or ""),
        events=events,
    )


def _tx_params(hash_hex: str) -> dict[str, Any]:
    try:
        raw = bytes.fromhex(hash_hex)
    except ValueError:
        raise ChainClientError(f"invalid tx hash {hash_hex!r}: not hex") from None
    if len(raw) != 32:
        raise ChainClientError(f"invalid tx hash {hash_hex!r}: need 32 bytes")
    return {"hash": base64.b64encode(raw).decode(), "prove": False}


def _is_tx_not_found(e: RpcCallError) -> bool:
    return "not found" in e.data or "not found" in e.message


def _rpc_result(node: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise NodeUnreachableError(f"node {node} answered with an unexpected JSON-RPC body")
    if body.get("error") is not None:
        err = body["error"]
        raise RpcCallError(int(err.get("code", 0)), str(err.get("message", "")), str(err.get("data", "") or ""))
    result = body.get("result")
    if not isinstance(result, dict):
        raise NodeUnreachableError(f"node {node} answered without a result")
    return result


def _poll_delays(timeout: float) -> Callable[[], float | None]:
    """Sleep 50 ms, then longer, up to 500 ms; ``None`` when the deadline has passed."""
    deadline = time.monotonic() + timeout
    delay = [0.05]

    def next_delay() -> float | None:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        d = min(delay[0], left)
        delay[0] = min(delay[0] * 1.5, 0.5)
        return d

    return next_delay


def fee_amount(fee: Fee, gas: int, gas_price: Decimal | str | None = None) -> int:
    """Fee in umed from ``2000``, ``"2000umed"`` or a gas price (``0.025``: fee = ceil(gas × price))."""
    if gas_price is not None:
        try:
            price = Decimal(str(gas_price).removesuffix(DENOM))
        except InvalidOperation:
            raise ValueError(f"invalid gas price {gas_price!r}") from None
        if not price.is_finite() or price < 0:
            raise ValueError(f"invalid gas price {gas_price!r}")
        return math.ceil(price * gas)
    if isinstance(fee, int):
        if fee < 0:
            raise ValueError(f"negative fee {fee}")
        return fee
    coins = parse_coins(fee)
    if any(c.denom != DENOM for c in coins):
        raise ValueError(f"fees must be paid in {DENOM}, got {fee!r}")
    return sum(c.amount for c in coins)


def _gas_limit(simulated: int, adjustment: float) -> int:
    return max(1, math.ceil(simulated * adjustment))


@dataclass(frozen=True)
class _TxPlan:
    """Everything of a tx except its sequence (which is assigned under the account lock)."""

    key: PrivateKey
    msgs: tuple[Message, ...]
    chain_id: str
    fee: Fee
    gas_price: Decimal | str | None
    memo: str

    def sign(self, number: int, sequence: int, gas: int) -> bytes:
        return build_tx(self.msgs, [Signer(self.key, number, sequence)], self.chain_id, gas=gas,
                        fee=fee_amount(self.fee, gas, self.gas_price), memo=self.memo)


def _retry_sequence(state: AccountSequence, e: BroadcastError, attempt: int) -> bool:
    """On a sequence mismatch, adopt the node's expectation and say "sign again" (bounded)."""
    expected = expected_sequence(e.codespace or "sdk", e.code, e.log)
    if expected is None or attempt >= MAX_SEQUENCE_RETRIES:
        return False
    state.next_sequence = expected
    return True


# --- sync client ---------------------------------------------------------------------------------------------------
class ChainClient:
    """Blocking client; thread-safe (one pooled HTTP client, one sequence book)."""

    def __init__(self, node_rpc_url: str = DEFAULT_NODE, chain_id: str | None = None, *, timeout: float = 10.0) -> None:
        import httpx

        self.node = node_rpc_url
        self.url = rpc_url(node_rpc_url).rstrip("/") + "/"
        self._chain_id = chain_id
        self._http = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=64))
        self._ids = itertools.count(1)
        self.sequences: SequenceBook[threading.Lock] = SequenceBook(threading.Lock)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChainClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # transport
    def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        import httpx

        payload = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params or {}}
        try:
            resp = self._http.post(self.url, json=payload)
            body = resp.json()
        except httpx.HTTPError as e:
            raise NodeUnreachableError(f"cannot reach node {self.node}: {e}") from None
        except ValueError:
            raise NodeUnreachableError(f"node {self.node} answered with invalid JSON") from None
        return _rpc_result(self.node, body)

    # queries
    def abci_query(self, path: str, data: bytes = b"", height: int = 0) -> bytes:
        return _abci_value(path, self.rpc("abci_query", _abci_query_params(path, data, height)))

    def query(self, path: str, request: Message, response_cls: type[Message], height: int = 0) -> Any:
        return _decode(response_cls, self.abci_query(path, request.SerializeToString(), height), path)

    def run(self, q: Query[T], height: int = 0) -> T:
        return q.extract(self.query(q.path, q.request, q.response_cls, height))

    def run_all(self, q: PagedQuery[T], height: int = 0) -> list[T]:
        out: list[T] = []
        key = b""
        while True:
            resp = self.query(q.path, q.request(_page(key)), q.response_cls, height)
            out.extend(q.items(resp))
            key = resp.pagination.next_key
            if not key:
                return out

    def status(self) -> Status:
        return _status(self.rpc("status"))

    @property
    def chain_id(self) -> str:
        if self._chain_id is None:
            self._chain_id = self.status().chain_id
        return self._chain_id

    def account(self, address: str) -> Account:
        return self.run(Q.account(address))

    def balance(self, address: str, denom: str = DENOM) -> int:
        return self.run(Q.balance(address, denom))

    def all_balances(self, address: str) -> list[Coin]:
        return self.run_all(Q.all_balances(address))

    def total_supply(self) -> list[Coin]:
        return self.run_all(Q.total_supply())

    def deal(self, deal_id: int) -> Any:
        return self.run(Q.deal(deal_id))

    def deals(self) -> list[Any]:
        return self.run_all(Q.deals())

    def consent(self, deal_id: int, data_hash: str) -> Any:
        return self.run(Q.consent(deal_id, data_hash))

    def consents(self, deal_id: int) -> list[Any]:
        return self.run_all(Q.consents(deal_id))

    def oracle(self, address: str) -> Any:
        return self.run(Q.oracle(address))

    def oracles(self) -> list[Any]:
        return self.run_all(Q.oracles())

    def oracle_registration(self, unique_id: str, address: str) -> Any:
        return self.run(Q.oracle_registration(unique_id, address))

    def oracle_registrations(self, unique_id: str) -> list[Any]:
        return self.run_all(Q.oracle_registrations(unique_id))

    def oracle_upgrade(self, unique_id: str, address: str) -> Any:
        return self.run(Q.oracle_upgrade(unique_id, address))

    def oracle_upgrades(self, unique_id: str) -> list[Any]:
        return self.run_all(Q.oracle_upgrades(unique_id))

    def upgrade_info(self) -> Any:
        return self.run(Q.upgrade_info())

    def oracle_params(self) -> Any:
        return self.run(Q.oracle_params())

    def proposal(self, proposal_id: int) -> Any:
        return self.run(Q.proposal(proposal_id))

    def proposals(self, status: int = 0, voter: str = "", depositor: str = "") -> list[Any]:
        return self.run_all(Q.proposals(status, voter, depositor))

    def vote(self, proposal_id: int, voter: str) -> Any:
        return self.run(Q.vote(proposal_id, voter))

    def votes(self, proposal_id: int) -> list[Any]:
        return self.run_all(Q.votes(proposal_id))

    def deposit(self, proposal_id: int, depositor: str) -> Any:
        return self.run(Q.deposit(proposal_id, depositor))

    def deposits(self, proposal_id: int) -> list[Any]:
        return self.run_all(Q.deposits(proposal_id))

    def tally(self, proposal_id: int) -> Any:
        return self.run(Q.tally(proposal_id))

    def gov_params(self, params_type: str) -> Any:
        return self.run(Q.gov_params(params_type))

    def block(self, height: int | None = None) -> dict[str, Any]:
        return self.rpc("block", {} if height is None else {"height": str(height)})

    # txs
    def simulate(self, tx_bytes: bytes) -> int:
        data = service_pb2.SimulateRequest(tx_bytes=tx_bytes).SerializeToString()
        return _simulate_gas(self.rpc("abci_query", _abci_query_params(SIMULATE_PATH, data, 0)))

    def broadcast(self, tx_bytes: bytes, mode: Literal["sync", "async"] = "sync") -> BroadcastResult:
        result = self.rpc(f"broadcast_tx_{mode}", {"tx": base64.b64encode(tx_bytes).decode()})
        return _broadcast_result(tx_bytes, result)

    def get_tx(self, hash_hex: str) -> TxResponse | None:
        try:
            return _tx_response(self.rpc("tx", _tx_params(hash_hex)))
        except RpcCallError as e:
            if _is_tx_not_found(e):
                return None
            raise

    def wait_for_tx(self, hash_hex: str, timeout: float = DEFAULT_TX_TIMEOUT) -> TxResponse:
        next_delay = _poll_delays(timeout)
        while True:
            found = self.get_tx(hash_hex)
            if found is not None:
                return found
            delay = next_delay()
            if delay is None:
                raise TxTimeoutError(hash_hex, timeout)
            time.sleep(delay)

    def wallet(self, key: PrivateKey) -> Wallet:
        return Wallet(self, key)


class Wallet:
    """Sends txs signed by one key; any number of threads may share it (or other Wallets of the same key)."""

    def __init__(self, client: ChainClient, key: PrivateKey) -> None:
        self.client = client
        self.key = key
        self.address = key.bech32()

    def account(self) -> Account:
        return self.client.account(self.address)

    def _load(self, state: AccountSequence) -> None:
        acc = self.client.account(self.address)
        state.load(acc.number, acc.sequence)

    def estimate_gas(self, plan: _TxPlan, adjustment: float = DEFAULT_GAS_ADJUSTMENT) -> int:
        lock, state = self.client.sequences.entry(self.address)
        if not state.loaded:
            with lock:
                if not state.loaded:
                    self._load(state)
        assert state.number is not None and state.next_sequence is not None
        try:
            return _gas_limit(self.client.simulate(plan.sign(state.number, state.next_sequence, 0)), adjustment)
        except SimulationError as e:  # simulation sees committed state only: use the sequence it expects
            expected = expected_sequence(e.codespace, e.code, e.log)
            if expected is None:
                raise
        return _gas_limit(self.client.simulate(plan.sign(state.number, expected, 0)), adjustment)

    def broadcast(self, msgs: Sequence[Message], *, gas: Gas = "auto", fee: Fee = 0,
                  gas_price: Decimal | str | None = None, gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT,
                  memo: str = "") -> BroadcastResult:
        """Sign and CheckTx; returns once the tx is in the mempool (BroadcastError if rejected)."""
        plan = _TxPlan(self.key, tuple(msgs), self.client.chain_id, fee, gas_price, memo)
        gas_limit = self.estimate_gas(plan, gas_adjustment) if gas == "auto" else gas
        lock, state = self.client.sequences.entry(self.address)
        with lock:
            for attempt in range(MAX_SEQUENCE_RETRIES + 1):
                if not state.loaded:
                    self._load(state)
                assert state.number is not None and state.next_sequence is not None
                tx = plan.sign(state.number, state.next_sequence, gas_limit)
                try:
                    result = self.client.broadcast(tx)
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

    def send(self, msgs: Sequence[Message], *, gas: Gas = "auto", fee: Fee = 0,
             gas_price: Decimal | str | None = None, gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT, memo: str = "",
             timeout: float = DEFAULT_TX_TIMEOUT) -> TxResponse:
        """Sign, broadcast and wait for the block; a tx that fails in the block is returned with its code."""
        result = self.broadcast(msgs, gas=gas, fee=fee, gas_price=gas_price, gas_adjustment=gas_adjustment, memo=memo)
        try:
            return self.client.wait_for_tx(result.tx_hash, timeout)
        except TxTimeoutError:
            self.client.sequences[self.address].forget()
            raise


TxSender = Wallet


# --- async client ----------------------------------------------------------------------------------------------------
class AsyncChainClient:
    """asyncio twin of ChainClient (aiohttp); create and use it inside one event loop."""

    def __init__(self, node_rpc_url: str = DEFAULT_NODE, chain_id: str | None = None, *, timeout: float = 10.0) -> None:
        self.node = node_rpc_url
        self.url = rpc_url(node_rpc_url).rstrip("/") + "/"
        self._chain_id = chain_id
        self._timeout = timeout
        self._session: Any = None
        self._next_id = 0
        self.sequences: SequenceBook[asyncio.Lock] = SequenceBook(asyncio.Lock)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> AsyncChainClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        import aiohttp

        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        self._next_id += 1
        payload = {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params or {}}
        try:
            async with self._session.post(self.url, json=payload) as resp:
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as e:
            raise NodeUnreachableError(f"cannot reach node {self.node}: {e or type(e).__name__}") from None
        except ValueError:
            raise NodeUnreachableError(f"node {self.node} answered with invalid JSON") from None
        return _rpc_result(self.node, body)

    async def abci_query(self, path: str, data: bytes = b"", height: int = 0) -> bytes:
        return _abci_value(path, await self.rpc("abci_query", _abci_query_params(path, data, height)))

    async def query(self, path: str, request: Message, response_cls: type[Message], height: int = 0) -> Any:
        return _decode(response_cls, await self.abci_query(path, request.SerializeToString(), height), path)

    async def run(self, q: Query[T], height: int = 0) -> T:
        return q.extract(await self.query(q.path, q.request, q.response_cls, height))

    async def run_all(self, q: PagedQuery[T], height: int = 0) -> list[T]:
        out: list[T] = []
        key = b""
        while True:
            resp = await self.query(q.path, q.request(_page(key)), q.response_cls, height)
            out.extend(q.items(resp))
            key = resp.pagination.next_key
            if not key:
                return out

    async def status(self) -> Status:
        return _status(await self.rpc("status"))

    async def get_chain_id(self) -> str:
        if self._chain_id is None:
            self._chain_id = (await self.status()).chain_id
        return self._chain_id

    async def account(self, address: str) -> Account:
        return await self.run(Q.account(address))

    async def balance(self, address: str, denom: str = DENOM) -> int:
        return await self.run(Q.balance(address, denom))

    async def all_balances(self, address: str) -> list[Coin]:
        return await self.run_all(Q.all_balances(address))

    async def total_supply(self) -> list[Coin]:
        return await self.run_all(Q.total_supply())

    async def deal(self, deal_id: int) -> Any:
        return await self.run(Q.deal(deal_id))

    async def deals(self) -> list[Any]:
        return await self.run_all(Q.deals())

    async def consent(self, deal_id: int, data_hash: str) -> Any:
        return await self.run(Q.consent(deal_id, data_hash))

    async def consents(self, deal_id: int) -> list[Any]:
        return await self.run_all(Q.consents(deal_id))

    async def oracle(self, address: str) -> Any:
        return await self.run(Q.oracle(address))

    async def oracles(self) -> list[Any]:
        return await self.run_all(Q.oracles())

    async def oracle_registration(self, unique_id: str, address: str) -> Any:
        return await self.run(Q.oracle_registration(unique_id, address))

    async def oracle_registrations(self, unique_id: str) -> list[Any]:
        return await self.run_all(Q.oracle_registrations(unique_id))

    async def oracle_upgrade(self, unique_id: str, address: str) -> Any:
        return await self.run(Q.oracle_upgrade(unique_id, address))

    async def oracle_upgrades(self, unique_id: str) -> list[Any]:
        return await self.run_all(Q.oracle_upgrades(unique_id))

    async def proposal(self, proposal_id: int) -> Any:
        return await self.run(Q.proposal(proposal_id))

    async def proposals(self, status: int = 0, voter: str = "", depositor: str = "") -> list[Any]:
        return await self.run_all(Q.proposals(status, voter, depositor))

    async def votes(self, proposal_id: int) -> list[Any]:
        return await self.run_all(Q.votes(proposal_id))

    async def deposits(self, proposal_id: int) -> list[Any]:
        return await self.run_all(Q.deposits(proposal_id))

    async def tally(self, proposal_id: int) -> Any:
        return await self.run(Q.tally(proposal_id))

    async def upgrade_info(self) -> Any:
        return await self.run(Q.upgrade_info())

    async def oracle_params(self) -> Any:
        return await self.run(Q.oracle_params())

    async def block(self, height: int | None = None) -> dict[str, Any]:
        return await self.rpc("block", {} if height is None else {"height": str(height)})

    async def simulate(self, tx_bytes: bytes) -> int:
        data = service_pb2.SimulateRequest(tx_bytes=tx_bytes).SerializeToString()
        return _simulate_gas(await self.rpc("abci_query", _abci_query_params(SIMULATE_PATH, data, 0)))

    async def broadcast(self, tx_bytes: bytes, mode: Literal["sync", "async"] = "sync") -> BroadcastResult:
        result = await self.rpc(f"broadcast_tx_{mode}", {"tx": base64.b64encode(tx_bytes).decode()})
        return _broadcast_result(tx_bytes, result)

    async def get_tx(self, hash_hex: str) -> TxResponse | None:
        try:
            return _tx_response(await self.rpc("tx", _tx_params(hash_hex)))
        except RpcCallError as e:
            if _is_tx_not_found(e):
                return None
            raise

    async def wait_for_tx(self, hash_hex: str, timeout: float = DEFAULT_TX_TIMEOUT) -> TxResponse:
        next_delay = _poll_delays(timeout)
        while True:
            found = await self.get_tx(hash_hex)
            if found is not None:
                return found
            delay = next_delay()
            if delay is None:
                raise TxTimeoutError(hash_hex, timeout)
            await asyncio.sleep(delay)

    def wallet(self, key: PrivateKey) -> AsyncWallet:
        return AsyncWallet(self, key)


class AsyncWallet:
    """asyncio twin of Wallet: concurrent tasks may send from the same account."""

    def __init__(self, client: AsyncChainClient, key: PrivateKey) -> None:
        self.client = client
        self.key = key
        self.address = key.bech32()

    async def _load(self, state: AccountSequence) -> None:
        acc = await self.client.account(self.address)
        state.load(acc.number, acc.sequence)

    async def estimate_gas(self, plan: _TxPlan, adjustment: float = DEFAULT_GAS_ADJUSTMENT) -> int:
        lock, state = self.client.sequences.entry(self.address)
        if not state.loaded:
            async with lock:
                if not state.loaded:
                    await self._load(state)
        assert state.number is not None and state.next_sequence is not None
        try:
            return _gas_limit(await self.client.simulate(plan.sign(state.number, state.next_sequence, 0)), adjustment)
        except SimulationError as e:
            expected = expected_sequence(e.codespace, e.code, e.log)
            if expected is None:
                raise
        return _gas_limit(await self.client.simulate(plan.sign(state.number, expected, 0)), adjustment)

    async def broadcast(self, msgs: Sequence[Message], *, gas: Gas = "auto", fee: Fee = 0,
                        gas_price: Decimal | str | None = None, gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT,
                        memo: str = "") -> BroadcastResult:
        plan = _TxPlan(self.key, tuple(msgs), await self.client.get_chain_id(), fee, gas_price, memo)
        gas_limit = await self.estimate_gas(plan, gas_adjustment) if gas == "auto" else gas
        lock, state = self.client.sequences.entry(self.address)
        async with lock:
            for attempt in range(MAX_SEQUENCE_RETRIES + 1):
                if not state.loaded:
                    await self._load(state)
                assert state.number is not None and state.next_sequence is not None
                tx = plan.sign(state.number, state.next_sequence, gas_limit)
                try:
                    result = await self.client.broadcast(tx)
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

    async def send(self, msgs: Sequence[Message], *, gas: Gas = "auto", fee: Fee = 0,
                   gas_price: Decimal | str | None = None, gas_adjustment: float = DEFAULT_GAS_ADJUSTMENT,
                   memo: str = "", timeout: float = DEFAULT_TX_TIMEOUT) -> TxResponse:
        result = await self.broadcast(msgs, gas=gas, fee=fee, gas_price=gas_price, gas_adjustment=gas_adjustment,
                                      memo=memo)
        try:
            return await self.client.wait_for_tx(result.tx_hash, timeout)
        except TxTimeoutError:
            self.client.sequences[self.address].forget()
            raise

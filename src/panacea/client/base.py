"""The chain client's methods, once, without I/O: each builds its JSON-RPC requests and parses the answers.

``ChainClient`` (httpx) and ``AsyncChainClient`` (aiohttp) inherit every method from here and only move
bytes (see ``panacea.client.plan``). Queries go through the typed tables of ``panacea.client.queries``.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from google.protobuf.message import Message

from panacea.client import rpc as shapes
from panacea.client.errors import QueryError, RpcCallError, SimulationError, TxTimeoutError
from panacea.client.plan import Plan, op, rpc, sleep
from panacea.client.queries import auth, bank, datadeal, gov, next_key, oracle, page, tx
from panacea.client.queries import did as did_query
from panacea.client.queries.base import PagedQuery, Query
from panacea.client.sequence import SequenceBook
from panacea.client.types import Account, BroadcastResult, Status, TxResponse
from panacea.types.coins import DENOM, Coin
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2 as gov_query
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2

R = TypeVar("R", bound=Message)
T = TypeVar("T")

DEFAULT_TX_TIMEOUT = 30.0


class ChainBase:
    """What both chain clients can do; a transport subclass supplies ``rpc`` and the account locks."""

    node: str
    sequences: SequenceBook[Any]
    _chain_id: str | None

    # --- plans the methods are made of (generic ones are wrapped by each transport) -------------------------
    def _query(self, path: str, request: Message, response_cls: type[R], height: int = 0) -> Plan[R]:
        raw = yield from self._abci_query(path, request.SerializeToString(), height)
        decoded: R = shapes.decode(response_cls, raw, path)
        return decoded

    def _abci_query(self, path: str, data: bytes, height: int) -> Plan[bytes]:
        return shapes.abci_value(path, (yield from rpc("abci_query", shapes.abci_query_params(path, data, height))))

    def _run(self, q: Query[R, T], height: int = 0) -> Plan[T]:
        return q.extract((yield from self._query(q.path, q.request, q.response_cls, height)))

    def _run_all(self, q: PagedQuery[R, T], height: int = 0) -> Plan[list[T]]:
        out: list[T] = []
        key = b""
        while True:
            resp = yield from self._query(q.path, q.request(page(key)), q.response_cls, height)
            out.extend(q.items(resp))
            key = next_key(resp)
            if not key:
                return out

    def _get_tx(self, hash_hex: str) -> Plan[TxResponse | None]:
        try:
            return shapes.tx_response((yield from rpc("tx", shapes.tx_params(hash_hex))))
        except RpcCallError as e:
            if shapes.is_tx_not_found(e):
                return None
            raise

    def _get_chain_id(self) -> Plan[str]:
        if self._chain_id is None:
            self._chain_id = shapes.status((yield from rpc("status"))).chain_id
        return self._chain_id

    def _simulate(self, tx_bytes: bytes) -> Plan[int]:
        try:
            return (yield from self._run(tx.simulate(tx_bytes)))
        except QueryError as e:
            raise SimulationError(e.code, e.codespace, e.log) from None

    def _broadcast(self, tx_bytes: bytes, mode: Literal["sync", "async"] = "sync") -> Plan[BroadcastResult]:
        result = yield from rpc(f"broadcast_tx_{mode}", shapes.broadcast_params(tx_bytes))
        return shapes.broadcast_result(tx_bytes, result)

    def _wait_for_tx(self, hash_hex: str, timeout: float) -> Plan[TxResponse]:
        next_delay = shapes.poll_delays(timeout)
        while True:
            found = yield from self._get_tx(hash_hex)
            if found is not None:
                return found
            delay = next_delay()
            if delay is None:
                raise TxTimeoutError(hash_hex, timeout)
            yield from sleep(delay)

    # --- node ---------------------------------------------------------------------------------------------
    @op
    def status(self) -> Plan[Status]:
        """The node's chain id, latest block and sync state."""
        return shapes.status((yield from rpc("status")))

    @op
    def get_chain_id(self) -> Plan[str]:
        """The chain id given at construction, else the node's (asked once)."""
        return (yield from self._get_chain_id())

    @op
    def block(self, height: int | None = None) -> Plan[dict[str, Any]]:
        """The block at ``height`` (default: latest) as CometBFT JSON."""
        return (yield from rpc("block", shapes.block_params(height)))

    @op
    def abci_query(self, path: str, data: bytes = b"", height: int = 0) -> Plan[bytes]:
        """The raw value of an ABCI query (QueryError / NotFoundError on a non-zero code)."""
        return (yield from self._abci_query(path, data, height))

    # --- auth / bank ---------------------------------------------------------------------------------------
    @op
    def account(self, address: str) -> Plan[Account]:
        """The account at ``address``; NotFoundError before it first receives funds."""
        return (yield from self._run(auth.account(address)))

    @op
    def balance(self, address: str, denom: str = DENOM) -> Plan[int]:
        """The amount of ``denom`` held by ``address``."""
        return (yield from self._run(bank.balance(address, denom)))

    @op
    def all_balances(self, address: str) -> Plan[list[Coin]]:
        """Every coin held by ``address``."""
        return (yield from self._run_all(bank.all_balances(address)))

    @op
    def total_supply(self) -> Plan[list[Coin]]:
        """The supply of every denom."""
        return (yield from self._run_all(bank.total_supply()))

    # --- datadeal ------------------------------------------------------------------------------------------
    @op
    def deal(self, deal_id: int) -> Plan[deal_pb2.Deal]:
        """Deal ``deal_id``."""
        return (yield from self._run(datadeal.deal(deal_id)))

    @op
    def deals(self) -> Plan[list[deal_pb2.Deal]]:
        """Every deal, by id."""
        return (yield from self._run_all(datadeal.deals()))

    @op
    def consent(self, deal_id: int, data_hash: str) -> Plan[consent_pb2.Consent]:
        """The consent for ``data_hash`` in deal ``deal_id``."""
        return (yield from self._run(datadeal.consent(deal_id, data_hash)))

    @op
    def consents(self, deal_id: int) -> Plan[list[consent_pb2.Consent]]:
        """The consents of deal ``deal_id``."""
        return (yield from self._run_all(datadeal.consents(deal_id)))

    # --- oracle --------------------------------------------------------------------------------------------
    @op
    def oracle(self, address: str) -> Plan[oracle_pb2.Oracle]:
        """The oracle at ``address``."""
        return (yield from self._run(oracle.oracle(address)))

    @op
    def oracles(self) -> Plan[list[oracle_pb2.Oracle]]:
        """Every oracle."""
        return (yield from self._run_all(oracle.oracles()))

    @op
    def oracle_registration(self, unique_id: str, address: str) -> Plan[oracle_pb2.OracleRegistration]:
        """The registration of ``address`` for ``unique_id``."""
        return (yield from self._run(oracle.oracle_registration(unique_id, address)))

    @op
    def oracle_registrations(self, unique_id: str) -> Plan[list[oracle_pb2.OracleRegistration]]:
        """The registrations for ``unique_id``."""
        return (yield from self._run_all(oracle.oracle_registrations(unique_id)))

    @op
    def oracle_upgrade(self, unique_id: str, address: str) -> Plan[oracle_pb2.OracleUpgrade]:
        """The upgrade of ``address`` to ``unique_id``."""
        return (yield from self._run(oracle.oracle_upgrade(unique_id, address)))

    @op
    def oracle_upgrades(self, unique_id: str) -> Plan[list[oracle_pb2.OracleUpgrade]]:
        """The upgrades to ``unique_id``."""
        return (yield from self._run_all(oracle.oracle_upgrades(unique_id)))

    @op
    def upgrade_info(self) -> Plan[oracle_pb2.OracleUpgradeInfo | None]:
        """The scheduled oracle upgrade, ``None`` when there is none."""
        return (yield from self._run(oracle.upgrade_info()))

    @op
    def oracle_params(self) -> Plan[genesis_pb2.Params]:
        """The oracle module params (oracle public key, remote report, active unique ID)."""
        return (yield from self._run(oracle.oracle_params()))

    # --- did ----------------------------------------------------------------------------------------------------
    @op
    def did(self, did: str) -> Plan[did_pb2.DIDDocumentWithSeq]:
        """The document of ``did`` and its sequence; NotFoundError when it is missing or deactivated."""
        return (yield from self._run(did_query.did(did)))

    # --- gov -----------------------------------------------------------------------------------------------
    @op
    def proposal(self, proposal_id: int) -> Plan[gov_pb2.Proposal]:
        """Proposal ``proposal_id``."""
        return (yield from self._run(gov.proposal(proposal_id)))

    @op
    def proposals(self, status: int = 0, voter: str = "", depositor: str = "") -> Plan[list[gov_pb2.Proposal]]:
        """Proposals, optionally only in ``status`` or touched by ``voter`` / ``depositor``."""
        return (yield from self._run_all(gov.proposals(status, voter, depositor)))

    @op
    def vote(self, proposal_id: int, voter: str) -> Plan[gov_pb2.Vote]:
        """``voter``'s vote on ``proposal_id``."""
        return (yield from self._run(gov.vote(proposal_id, voter)))

    @op
    def votes(self, proposal_id: int) -> Plan[list[gov_pb2.Vote]]:
        """The votes on ``proposal_id``."""
        return (yield from self._run_all(gov.votes(proposal_id)))

    @op
    def deposit(self, proposal_id: int, depositor: str) -> Plan[gov_pb2.Deposit]:
        """``depositor``'s deposit on ``proposal_id``."""
        return (yield from self._run(gov.deposit(proposal_id, depositor)))

    @op
    def deposits(self, proposal_id: int) -> Plan[list[gov_pb2.Deposit]]:
        """The deposits on ``proposal_id``."""
        return (yield from self._run_all(gov.deposits(proposal_id)))

    @op
    def tally(self, proposal_id: int) -> Plan[gov_pb2.TallyResult]:
        """The current tally of ``proposal_id``."""
        return (yield from self._run(gov.tally(proposal_id)))

    @op
    def gov_params(self, params_type: str) -> Plan[gov_query.QueryParamsResponse]:
        """Gov params of one kind: ``voting``, ``tallying`` or ``deposit``."""
        return (yield from self._run(gov.gov_params(params_type)))

    # --- txs -----------------------------------------------------------------------------------------------
    @op
    def simulate(self, tx_bytes: bytes) -> Plan[int]:
        """Gas the signed tx would use against committed state (SimulationError if it would fail)."""
        return (yield from self._simulate(tx_bytes))

    @op
    def broadcast(self, tx_bytes: bytes, mode: Literal["sync", "async"] = "sync") -> Plan[BroadcastResult]:
        """CheckTx the tx (``mode`` ``sync`` or ``async``); BroadcastError if it is rejected."""
        return (yield from self._broadcast(tx_bytes, mode))

    @op
    def get_tx(self, hash_hex: str) -> Plan[TxResponse | None]:
        """The committed result of tx ``hash_hex``, ``None`` while it is not in a block."""
        return (yield from self._get_tx(hash_hex))

    @op
    def wait_for_tx(self, hash_hex: str, timeout: float = DEFAULT_TX_TIMEOUT) -> Plan[TxResponse]:
        """The committed result of tx ``hash_hex``, polling until ``timeout`` (then TxTimeoutError)."""
        return (yield from self._wait_for_tx(hash_hex, timeout))

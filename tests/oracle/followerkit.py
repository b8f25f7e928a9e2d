"""The oracle life-cycle test kit (approve handlers, event follower): a real node whose genesis schedules an
upgrade to a *new version* of the kit's oracle (its code with one file added: another unique ID, attested by
the same attestation key), registrations and upgrades broadcast by funded accounts, approvals read back."""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

from google.protobuf import any_pb2
from google.protobuf.message import Message

from panacea.client import AsyncChainClient
from panacea.client.events import TxEvent, search_txs
from panacea.client.tx import Signer, build_tx
from panacea.client.types import TxResponse
from panacea.crypto import aes
from panacea.crypto.ecdh import shared_key
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.oracle.approve import Approver
from panacea.oracle.chain import ClientChainReader
from panacea.oracle.enclave import Enclave, SimulatedEnclave, report_data_for
from panacea.oracle.enclave.measurement import PACKAGE_ROOT
from panacea.oracle.follower import EventFollower, HeightStore
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2 as cosmos_tx
from panacea.types.pb.panacea.oracle.v2 import tx_pb2
from tests.client import nodekit
from tests.oracle.kit import ORACLE_ACCOUNT, OracleKit, start_node_for

ORACLE_KEY = nodekit.key(ORACLE_ACCOUNT)  # the kit oracle's account: the approver
NOT_AN_ORACLE = nodekit.key("other")  # funded, never an oracle: the chain refuses its approvals
UPGRADE_TARGETS = ("consumer", "stale", "asyncer", "gas-cli")  # genesis oracles of the kit's version
UPGRADE_HEIGHT = 10**6  # far away: the oracles keep the old unique ID during the tests
STALE_UNIQUE_ID = "ab" * 32  # a genesis upgrade record under an unscheduled unique ID
STALE_TARGET = nodekit.key("gas-wallet")
NO_ORACLE_TARGET = nodekit.key("gas-async")  # a genesis upgrade record (scheduled ID) of an account that is no oracle
RATE, MAX_RATE, MAX_CHANGE = "100000000000000000", "300000000000000000", "10000000000000000"  # 0.1, 0.3, 0.01


T = TypeVar("T")


def run(node: nodekit.Node, body: Callable[[AsyncChainClient], Awaitable[T]]) -> T:
    """``body`` with an async client of ``node``, run to completion."""
    async def go() -> T:
        async with AsyncChainClient(node.rpc) as client:
            return await body(client)

    return asyncio.run(go())


def uid(oracle: OracleKit) -> str:
    """The kit oracle's unique ID (hex)."""
    return oracle.enclave.identity().unique_id_hex


def new_version(oracle: OracleKit, root: Path) -> SimulatedEnclave:
    """The kit oracle's code plus one file, measured from ``root``: a newer version on the same machine."""
    code = root / "oracle-v2"
    shutil.copytree(PACKAGE_ROOT, code, ignore=shutil.ignore_patterns("__pycache__"))
    (code / "version.py").write_text('"""This oracle version: 2."""\n')
    attestation = oracle.home.file(oracle.home.config.enclave.attestation_key_file).read_bytes()
    return SimulatedEnclave(PrivateKey(attestation), os.urandom(32), code_root=code)


def _genesis_oracle(address: str, unique_id: str) -> dict[str, str]:
    return {"oracle_address": address, "unique_id": unique_id, "endpoint": "https://oracle.test",
            "update_time": "0001-01-01T00:00:00Z", "oracle_commission_rate": "0.100000000000000000",
            "oracle_commission_max_rate": "0.300000000000000000",
            "oracle_commission_max_change_rate": "0.010000000000000000"}


def _genesis_upgrade(unique_id: str, address: str) -> dict[str, str]:
    return {"unique_id": unique_id, "oracle_address": address,
            "node_pub_key": PrivateKey.generate().public_key().to_base64(), "node_pub_key_remote_report": "cmVwb3J0",
            "trusted_block_height": "1", "trusted_block_hash": base64.b64encode(bytes(32)).decode(),
            "encrypted_oracle_priv_key": ""}


def _schedule_upgrade(home: Path, unique_id: str, new_unique_id: str) -> None:
    path = home / "config" / "genesis.json"
    genesis = json.loads(path.read_text())
    state = genesis["app_state"]["oracle"]
    state["oracles"] += [_genesis_oracle(nodekit.key(n).bech32(), unique_id) for n in UPGRADE_TARGETS]
    state["oracle_upgrade_info"] = {"unique_id": new_unique_id, "height": str(UPGRADE_HEIGHT)}
    state["oracle_upgrades"] = [_genesis_upgrade(STALE_UNIQUE_ID, STALE_TARGET.bech32()),
                                _genesis_upgrade(new_unique_id, NO_ORACLE_TARGET.bech32())]
    path.write_text(json.dumps(genesis, indent=2))


def start_lifecycle_node(oracle: OracleKit, upgraded: Enclave, root: Path) -> nodekit.Node:
    """``start_node_for(oracle)`` whose genesis also has the upgrade to ``upgraded`` scheduled, the
    UPGRADE_TARGETS as oracles of the current version and a stale upgrade record of STALE_TARGET."""
    original = nodekit.make_home
    unique_id = oracle.enclave.identity().unique_id_hex

    def make_home(home: Path, rpc_port: int) -> None:
        original(home, rpc_port)
        _schedule_upgrade(home, unique_id, upgraded.identity().unique_id_hex)

    with mock.patch.object(nodekit, "make_home", make_home):
        return start_node_for(oracle, root)


# --- what joining oracles broadcast -------------------------------------------------------------------------
@dataclass(frozen=True)
class Trusted:
    height: int
    block_hash: bytes


async def trusted_block(client: AsyncChainClient) -> Trusted:
    """The latest block (height, hash): what a joining oracle names as its trusted block."""
    height = (await client.status()).latest_height
    block = await client.block(height)
    return Trusted(height, bytes.fromhex(block["block_id"]["hash"]))


def node_fields(enclave: Enclave, node_key: PrivateKey, trusted: Trusted, report: bytes | None) -> dict[str, Any]:
    return {"node_pub_key": node_key.public_key().compressed, "trusted_block_height": trusted.height,
            "trusted_block_hash": trusted.block_hash,
            "node_pub_key_remote_report": report or enclave.remote_report(report_data_for(node_key.public_key()))}


async def registration_msg(client: AsyncChainClient, account: PrivateKey, enclave: Enclave, *,
                           trusted: Trusted | None = None, report: bytes | None = None,
                           node_key: PrivateKey | None = None) -> tuple[tx_pb2.MsgRegisterOracle, PrivateKey]:
    """MsgRegisterOracle of ``account`` with a fresh node key attested by ``enclave`` (its node key too)."""
    node_key = node_key or PrivateKey.generate()
    trusted = trusted or await trusted_block(client)
    msg = tx_pb2.MsgRegisterOracle(
        unique_id=enclave.identity().unique_id_hex, oracle_address=account.bech32(),
        endpoint=f"https://{account.bech32()[-6:]}.oracle.test", oracle_commission_rate=RATE,
        oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=MAX_CHANGE,
        **node_fields(enclave, node_key, trusted, report))
    return msg, node_key


async def register(client: AsyncChainClient, account: PrivateKey, enclave: Enclave,
                   **kw: Any) -> tuple[PrivateKey, TxResponse]:
    """Broadcast ``account``'s registration and wait for its block; (node key, tx)."""
    msg, node_key = await registration_msg(client, account, enclave, **kw)
    resp = await client.wallet(account).send([msg])
    assert resp.ok, resp.raw_log
    return node_key, resp


async def upgrade(client: AsyncChainClient, account: PrivateKey, enclave: Enclave, *, trusted: Trusted | None = None,
                  report: bytes | None = None) -> tuple[PrivateKey, TxResponse]:
    """Broadcast ``account``'s MsgUpgradeOracle to ``enclave``'s version; (node key, tx)."""
    node_key = PrivateKey.generate()
    msg = tx_pb2.MsgUpgradeOracle(unique_id=enclave.identity().unique_id_hex, oracle_address=account.bech32(),
                                  **node_fields(enclave, node_key, trusted or await trusted_block(client), report))
    resp = await client.wallet(account).send([msg])
    assert resp.ok, resp.raw_log
    return node_key, resp


async def send_multi(client: AsyncChainClient, signed: list[tuple[PrivateKey, Message]]) -> TxResponse:
    """One tx carrying each (signer, msg): several registrations in one tx, hence in one block."""
    signers = []
    for key, _ in signed:
        acc = await client.account(key.bech32())
        signers.append(Signer(key, acc.number, acc.sequence))
    tx = build_tx([m for _, m in signed], signers, await client.get_chain_id(), gas=2_000_000)
    result = await client.broadcast(tx)
    resp = await client.wait_for_tx(result.tx_hash)
    assert resp.ok, resp.raw_log
    return resp


# --- reading approvals back ---------------------------------------------------------------------------------
def oracle_scalar(node_key: PrivateKey, oracle_public_key: PublicKey, encrypted: bytes) -> bytes:
    """What a new node decrypts from an approval: AESGCM(SHA256(ECDH(node_priv, oracle_pub))) (§4.3)."""
    return aes.decrypt(shared_key(node_key, oracle_public_key), encrypted)


def holds_oracle_key(node_key: PrivateKey, oracle: OracleKit, encrypted: bytes) -> bool:
    """``encrypted`` decrypts with the node key to the scalar of the kit's oracle key."""
    return PrivateKey(oracle_scalar(node_key, oracle.key.public_key, encrypted)).public_key() == oracle.key.public_key


async def approval_txs(client: AsyncChainClient, kind: str, target: str) -> list[TxEvent]:
    """Committed approval txs naming ``target`` (kind ``registration`` or ``upgrade``). One condition: CometBFT
    0.38's tx index matches the conditions of a query within one event."""
    event = {"registration": "approve_oracle_registration", "upgrade": "approve_oracle_upgrade"}[kind]
    return await search_txs(client, f"{event}.oracle_address='{target}'")


async def broadcast_msgs(client: AsyncChainClient, tx_hash_hex: str) -> list[any_pb2.Any]:
    """The messages of committed tx ``tx_hash_hex``, as its signer broadcast them."""
    found = await client.rpc("tx", {"hash": base64.b64encode(bytes.fromhex(tx_hash_hex)).decode(), "prove": False})
    raw = cosmos_tx.TxRaw.FromString(base64.b64decode(found["tx"]))
    return list(cosmos_tx.TxBody.FromString(raw.body_bytes).messages)


async def sequence(client: AsyncChainClient, key: PrivateKey = ORACLE_KEY) -> int:
    """The account's sequence: how many of its txs are in blocks (failed ones included)."""
    return (await client.account(key.bech32())).sequence


# --- the components under test ------------------------------------------------------------------------------
def approver(oracle: OracleKit, client: AsyncChainClient, *, enclave: Enclave | None = None,
             account: PrivateKey = ORACLE_KEY) -> Approver:
    """The kit oracle approving through ``client`` (unverified reads), as ``account``."""
    return Approver(ClientChainReader(client), enclave or oracle.enclave, oracle.key, client.wallet(account))


async def until(check: Callable[[], bool | Awaitable[bool]], what: str, deadline: float = 30.0) -> None:
    """Poll ``check`` (plain or async) until it holds; fail naming ``what`` after ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while True:
        outcome = check()
        if await outcome if inspect.isawaitable(outcome) else outcome:
            return
        assert time.monotonic() < end, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def following(oracle: OracleKit, node_url: str, data_dir: Path, *, account: PrivateKey = ORACLE_KEY,
                    **options: Any) -> AsyncIterator[EventFollower]:
    """A started EventFollower of the kit oracle (state in ``data_dir``), caught up when yielded."""
    async with AsyncChainClient(node_url) as client:
        follower = EventFollower(approver(oracle, client, account=account), HeightStore(data_dir), **options)
        follower.start()
        try:
            async def ready() -> bool:
                s = follower.status()
                return s.connected and s.last_processed_height is not None

            await until(ready, "the follower to catch up")
            yield follower
        finally:
            await follower.stop()

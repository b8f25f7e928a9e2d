"""The upgrade flow: a new oracle version (a modified copy of the oracle code, so another measured unique ID) is
scheduled in genesis (OracleUpgradeInfo); the same oracle account requests the upgrade from a new home, the
current version approves by hand, and only the new version can unseal the key it received."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.client import AsyncChainClient
from panacea.oracle.enclave import EnclaveKey
from panacea.oracle.errors import OracleError
from panacea.oracle.keyshare import node_key
from panacea.oracle.lifecycle import KeySource, receive_oracle_key, request_upgrade, wait_for_approval
from tests.client.nodekit import Node
from tests.oracle.kit import ORACLE_ACCOUNT, ORACLE_ADDRESS, OracleKit
from tests.oracle.lifecyclekit import (
    approve_upgrade,
    joining_home,
    lifecycle,
    new_version,
    start_node_with,
    trusted_block,
    version_enclave,
    version_unique_id,
)

FAILED = "transaction failed: failed to execute message; message index: 0: "
UPGRADE_HEIGHT = 1_000_000  # far ahead: the current version stays the active one throughout


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_version(tmp_path_factory.mktemp("oracle-v2"))


@pytest.fixture(scope="module")
def node(oracle: OracleKit, version: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    def schedule(app_state: dict[str, Any]) -> None:
        app_state["oracle"]["oracle_upgrade_info"] = {"unique_id": version_unique_id(version),
                                                      "height": str(UPGRADE_HEIGHT)}

    n = start_node_with(oracle, tmp_path_factory.mktemp("upgrade-node"), schedule)
    yield n
    n.stop()


def run(coro: object) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_upgrade_to_the_scheduled_version(oracle: OracleKit, node: Node, version: Path, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "v2", ORACLE_ACCOUNT, oracle, node)
    enclave = version_enclave(home, version)
    new_uid = version_unique_id(version)
    assert enclave.identity().unique_id_hex == new_uid != oracle.enclave.identity().unique_id_hex
    trusted = trusted_block(node)

    async def upgrade() -> EnclaveKey:
        async with lifecycle(home, node, enclave) as s:
            tx = await request_upgrade(s, trusted=trusted)
            assert tx.attribute("oracle_upgrade", "unique_id") == new_uid
            approver = asyncio.create_task(approve_upgrade(node, oracle, ORACLE_ADDRESS))
            encrypted = await wait_for_approval(s, KeySource.UPGRADE, timeout=60, interval=0.1)
            await approver
            return await receive_oracle_key(s, KeySource.UPGRADE, encrypted)

    assert run(upgrade()).public_key == oracle.key.public_key
    assert home.oracle_key(enclave).public_key == oracle.key.public_key
    with pytest.raises(OracleError) as e:  # the current code (another unique ID) cannot open what v2 sealed
        home.oracle_key(home.open_enclave())
    assert e.value.message == "failed to unseal oracle_priv_key.sealed file"

    async def record() -> Any:
        async with AsyncChainClient(node.rpc) as c:
            return await c.oracle_upgrade(new_uid, ORACLE_ADDRESS), await c.oracle(ORACLE_ADDRESS)

    up, oracle_record = run(record())
    assert (up.node_pub_key, up.trusted_block_height, up.trusted_block_hash) == (
        node_key(home, enclave).public_key.compressed, trusted.height, trusted.hash)
    assert oracle_record.unique_id == oracle.enclave.identity().unique_id_hex  # switches at the upgrade height

    async def again() -> None:
        async with lifecycle(home, node, enclave) as s:
            await request_upgrade(s, trusted=trusted, overwrite_node_key=True)

    home.oracle_priv_key_file.unlink()  # even without a key: one upgrade request per version and account
    with pytest.raises(OracleError) as e:
        run(again())
    assert e.value.message == (f"{FAILED}oracle that already received an upgrade request. address({ORACLE_ADDRESS}): "
                               "error while upgrading a oracle")


def test_refused_upgrades(oracle: OracleKit, node: Node, version: Path, tmp_path: Path) -> None:
    async def attempt(home_name: str, account: str, new_code: bool) -> None:
        home = joining_home(tmp_path / home_name, account, oracle, node)
        enclave = version_enclave(home, version) if new_code else home.open_enclave()
        async with lifecycle(home, node, enclave) as s:
            await request_upgrade(s, trusted=trusted_block(node))

    with pytest.raises(OracleError) as e:  # the current version is not the scheduled one
        run(attempt("same", ORACLE_ACCOUNT, new_code=False))
    assert e.value.message == f"{FAILED}does not match the upgrade uniqueID: error while upgrading a oracle"
    with pytest.raises(OracleError) as e:  # only a registered oracle upgrades
        run(attempt("stranger", "alice", new_code=True))
    assert e.value.message == f"{FAILED}is not registered oracle: error while upgrading a oracle"

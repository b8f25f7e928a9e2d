"""`oracled upgrade-oracle` as operators run it: governance schedules a new oracle version (an `oracle-upgrade`
proposal, voted through), the new version — a modified copy of the code, run as its own process — requests the
upgrade from a new home and waits, the current version approves by hand, the new version seals the key."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.client.nodekit import Node
from tests.oracle.conftest import oracle
from tests.oracle.kit import ORACLE_ACCOUNT, ORACLE_ADDRESS, OracleKit
from tests.oracle.lifecyclekit import (
    OracledProcess,
    approve_upgrade,
    block_flags,
    joining_home,
    new_version,
    schedule_oracle_upgrade,
    start_gov_node,
    version_enclave,
    version_unique_id,
)

__all__ = ["oracle"]  # the oracle kit's genesis oracle home


@pytest.fixture(scope="module")
def node(oracle: OracleKit, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_gov_node(oracle, tmp_path_factory.mktemp("gov-node"))
    yield n
    n.stop()


def test_upgrade_oracle_end_to_end(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    version = new_version(tmp_path / "v2-code")
    new_uid = version_unique_id(version)
    schedule_oracle_upgrade(node, new_uid, 1_000_000)
    home = joining_home(tmp_path / "v2", ORACLE_ACCOUNT, oracle, node)  # the same account, a new home
    p = OracledProcess(home.root, "upgrade-oracle", *block_flags(node), pythonpath=version)
    try:
        assert re.match(r"waiting for the approval of the oracle upgrade \(timeout 10m\): \d+s, height \d+$",
                        p.wait_for("waiting for the approval"))
        asyncio.run(approve_upgrade(node, oracle, ORACLE_ADDRESS))
        code, out, err = p.finish()
    finally:
        p.kill()
    assert code == 0, err
    first, second = out.splitlines()
    assert first.startswith(f"oracle upgrade requested for {ORACLE_ADDRESS} (unique ID {new_uid}): tx ")
    assert second == (f"oracle key received and sealed to {home.oracle_priv_key_file} (oracle public key "
                      f"{oracle.key.public_key.to_base64()})")
    assert home.oracle_key(version_enclave(home, version)).public_key == oracle.key.public_key
    again = OracledProcess(home.root, "get-oracle-key", pythonpath=version)  # --from upgrade is the default
    try:
        assert again.finish()[::2] == (1, "Error: the oracle private key already exists\n")
    finally:
        again.kill()
    unique_id = OracledProcess(home.root, "unique-id", pythonpath=version)
    assert unique_id.finish()[:2] == (0, new_uid + "\n")

"""An oracle upgrade end to end, every oracle a real process: governance schedules a new version (a proposal with a
deposit, the validator's vote, the tally); the new version (a modified copy of the code: another unique ID)
requests the upgrade and the running old version's event follower approves it; at the upgrade height the chain
switches: the new version's certificates are paid, the old version's are rejected by the chain."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from panacea.client import ChainClient
from panacea.client.dep import Provider
from panacea.client.errors import SimulationError
from panacea.client.services import OracleClient
from panacea.crypto import jwt
from panacea.crypto.jcs import data_hash
from panacea.crypto.secret import encrypt_for
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceProcess, service_config
from tests.oracle import chainkit as ck
from tests.oracle.kit import ORACLE_ACCOUNT, ORACLE_ADDRESS, OracleKit
from tests.oracle.lifecyclekit import (
    OracledProcess,
    block_flags,
    joining_home,
    new_version,
    schedule_oracle_upgrade,
    start_gov_node,
    version_unique_id,
)
from tests.oracle.networkkit import oracled, serving, status

pytestmark = pytest.mark.slow
UPGRADE_IN = 25  # blocks from the proposal to the upgrade height: room for the vote and the approval


@pytest.fixture(scope="module")
def node(oracle: OracleKit, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_gov_node(oracle, tmp_path_factory.mktemp("upgrade-node"))
    yield n
    n.stop()


def _schedule(node: Node, unique_id: str) -> int:
    """The oracle upgrade scheduled UPGRADE_IN blocks ahead and passed (a yes in the tally); the upgrade height."""
    with node.client() as c:
        height = c.status().latest_height + UPGRADE_IN
        proposal_id = schedule_oracle_upgrade(node, unique_id, height)
        assert c.tally(proposal_id).yes != "0"
    return height


def _certificate_from(oracle: OracleKit, url: str, deal: int, raw: bytes) -> consent_pb2.Certificate:
    """A certificate straight from the oracle at ``url`` (no SDK check: what a careless provider would submit)."""
    client = OracleClient(url)
    try:
        token = jwt.issue(ck.PROVIDER, 60 * 10**9, audience=ORACLE_ADDRESS, jti=secrets.token_hex(8))
        return client.validate_data(deal, ck.PROVIDER.bech32(), encrypt_for(ck.PROVIDER, oracle.key.public_key, raw),
                                    data_hash(raw), token)
    finally:
        client.close()


def test_upgrade_through_governance_switches_the_network(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    ck.register_pubkey(node, ck.PROVIDER)
    old_cfg = serving(oracle.home, node, free_port(), ORACLE_ACCOUNT)
    version = new_version(tmp_path / "v2-code")
    new_uid = version_unique_id(version)
    new_home = joining_home(tmp_path / "v2", ORACLE_ACCOUNT, oracle, node)  # the same account, a new home
    new_cfg = serving(new_home, node, free_port(), ORACLE_ACCOUNT)
    with ServiceProcess(tmp_path / "consumerd", service_config(node.rpc, free_port())) as storage, \
            oracled(oracle.home, old_cfg) as old, ChainClient(node.rpc) as chain:
        upgrade_height = _schedule(node, new_uid)
        request = OracledProcess(new_home.root, "upgrade-oracle", *block_flags(node), pythonpath=version)
        try:
            code, out, err = request.finish()  # the old version's follower approves it
        finally:
            request.kill()
        assert code == 0, err
        assert out.splitlines()[-1].startswith(f"oracle key received and sealed to {new_home.oracle_priv_key_file}")
        follower = status(old)["follower"]
        assert isinstance(follower, dict) and (follower["approved"], follower["failed"]) == (1, 0)
        deal = ck.create_deal(node, storage.url, budget=10_000, max_num_data=10)
        before = Provider(chain, ck.PROVIDER).provide(deal, b'{"name": "before", "age": 1}', oracle=old)
        assert (before.reward, before.commission) == (900, 100)
        assert chain.status().latest_height < upgrade_height, "the upgrade height passed before the test got there"
        deadline = time.monotonic() + 120
        while chain.oracle_params().unique_id != new_uid:  # the chain switches at the upgrade height
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert chain.status().latest_height >= upgrade_height
        while (seen := status(old)["oracle"]) != {"registered": True, "active_unique_id": new_uid, "active": False,
                                                  "endpoint": "https://oracle.test"}:  # its reads lag a block
            assert time.monotonic() < deadline, seen
            time.sleep(0.2)
        with oracled(new_home, new_cfg, pythonpath=version) as new:
            after = Provider(chain, ck.PROVIDER).provide(deal, b'{"name": "after", "age": 2}', oracle=new)
            assert (after.reward, after.commission, after.certificate.unsigned_certificate.unique_id) == (
                900, 100, new_uid)
            stale = _certificate_from(oracle, old, deal, b'{"name": "stale", "age": 3}')  # the old version signs
            assert stale.unsigned_certificate.unique_id == oracle.enclave.identity().unique_id_hex
            with pytest.raises(SimulationError) as refused:  # the chain refuses it (already when estimating gas)
                ck.submit_consent(node, stale)
            assert str(refused.value) == (
                "failed to execute message; message index: 0: does not match active uniqueID. certificateUniqueID("
                f"{stale.unsigned_certificate.unique_id}) activeUniqueID({new_uid}): error while submit consent")

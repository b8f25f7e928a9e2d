"""``dep deals``, ``dep oracles`` and ``dep balance`` against a loopback network: tables and JSON, exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.cli.depcli import columns, error, network, run
from tests.client import nodekit
from tests.client.depkit import INACTIVE_ORACLE, ORACLE_ADDRESS, SCHEMA_URI, DepNet

CAROL = nodekit.key("carol").bech32()


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DepNet]:
    yield from network(tmp_path_factory, "dep-views")


def test_deals(net: DepNet, tmp_path_factory: pytest.TempPathFactory) -> None:
    pd = tmp_path_factory.mktemp("pd") / "pd.json"
    pd.write_text('{"id": "pd", "input_descriptors": [{"id": "d", "schema": [{"uri": "https://example.org/C"}]}]}')
    made = []
    for requirement, budget, n in ((["--schema", SCHEMA_URI], "10000", "3"),
                                   (["--presentation-definition", str(pd)], "7", "2")):
        out = run(net, "consumer", "create-deal", *requirement, "--budget", budget, "--max-data", n, "--endpoint",
                  net.storage_url, "--from", "carol", "-o", "json").stdout
        made.append(json.loads(out)["deal_id"])
    run(net, "consumer", "deactivate", str(made[1]), "--from", "carol")
    assert run(net, "deals", "--consumer", "carol").stdout == columns(
        ["ID", "STATUS", "DATA", "BUDGET", "PRICE", "CONSUMER", "REQUIRES"],
        [str(made[0]), "ACTIVE", "0/3", "10000umed", "3333umed", CAROL, SCHEMA_URI],
        [str(made[1]), "INACTIVE", "0/2", "7umed", "3umed", CAROL, "a presentation definition"])
    assert run(net, "deals", "--consumer", CAROL, "--status", "inactive").stdout == columns(
        ["ID", "STATUS", "DATA", "BUDGET", "PRICE", "CONSUMER", "REQUIRES"],
        [str(made[1]), "INACTIVE", "0/2", "7umed", "3umed", CAROL, "a presentation definition"])
    assert json.loads(run(net, "deals", "--consumer", "carol", "--status", "ACTIVE", "-o", "json").stdout) == [{
        "deal_id": made[0], "status": "ACTIVE", "cur_num_data": 0, "max_num_data": 3, "budget_umed": 10000,
        "price_per_data_umed": 3333, "consumer": CAROL, "data_schema": [SCHEMA_URI], "presentation_definition": None,
        "agreement_terms": [], "consumer_service_endpoint": net.storage_url}]
    assert run(net, "deals", "--consumer", "many").stdout == "no deals\n"
    assert json.loads(run(net, "deals", "--consumer", "many", "-o", "json").stdout) == []
    assert error(net, "deals", "--status", "done") == (
        "Invalid value for '--status': 'done' is not one of 'active', 'inactive', 'completed' (see 'dep deals --help')")


def test_oracles(net: DepNet) -> None:
    with net.node.client() as chain:
        active = chain.oracle_params().unique_id
    assert run(net, "oracles", keys=False).stdout == columns(
        ["ADDRESS", "ACTIVE", "COMMISSION", "ENDPOINT"], [INACTIVE_ORACLE, "no", "0.1", "https://oracle.e2e"],
        [ORACLE_ADDRESS, "yes", "0.1", net.oracle_url])
    assert json.loads(run(net, "oracles", "--output", "json", keys=False).stdout) == [
        {"oracle_address": INACTIVE_ORACLE, "unique_id": nodekit.UNIQUE_ID, "active": False,
         "endpoint": "https://oracle.e2e", "commission_rate": "0.1", "commission_max_rate": "0.3",
         "commission_max_change_rate": "0.01"},
        {"oracle_address": ORACLE_ADDRESS, "unique_id": active, "active": True, "endpoint": net.oracle_url,
         "commission_rate": "0.1", "commission_max_rate": "0.3", "commission_max_change_rate": "0.01"}]


def test_balance(net: DepNet) -> None:
    stale = nodekit.key("stale").bech32()  # never signs in these tests: its balance stays the genesis funds
    expected = columns(["address", stale], ["umed", str(nodekit.FUNDS)])
    assert run(net, "balance", "stale").stdout == expected
    assert run(net, "balance", stale).stdout == expected
    assert json.loads(run(net, "balance", "stale", "-o", "json").stdout) == {
        "address": stale, "balances": [{"denom": "umed", "amount": nodekit.FUNDS}]}
    empty = nodekit.key("nobody-has-funds").bech32()
    assert run(net, "balance", empty).stdout == columns(["address", empty], ["umed", "0"])
    assert json.loads(run(net, "balance", empty, "-o", "json").stdout) == {"address": empty, "balances": []}
    assert error(net, "balance", "nobody") == (
        f"invalid address: 'nobody' is not a panacea1… address or a key name (key 'nobody' not found in the test "
        f"keyring ({net.node.home / 'keyring-test'}))")
    assert error(net, "balance", "panacea1xyz") == "invalid address: 'panacea1xyz' is not a panacea1… address"

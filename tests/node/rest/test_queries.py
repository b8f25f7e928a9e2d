"""Module query endpoints of the REST API against a real embedded node: exact JSON, pagination, errors."""

from __future__ import annotations

from typing import Any

from panacea.chain import addr
from panacea.crypto.address import module_address
from tests.node.kit import (
    ALICE,
    BOB,
    CAROL,
    FRESH,
    FUNDS,
    MIN_DEPOSIT,
    ORACLE,
    ORACLE_SHARED,
    UNIQUE_ID,
    RestNode,
)

ZERO_DEC = "0.000000000000000000"


def not_found(node: RestNode, path: str, message: str, **params: Any) -> None:
    r = node.get(path, **params)
    assert (r.status_code, r.json()) == (404, {"code": 5, "message": message, "details": []})


def bad_request(node: RestNode, path: str, message: str, **params: Any) -> None:
    r = node.get(path, **params)
    assert (r.status_code, r.json()) == (400, {"code": 3, "message": message, "details": []})


def deal_json(n: int, consumer: str) -> dict[str, Any]:
    return {"id": str(n), "address": addr.encode(module_address(f"deal{n}")),
            "data_schema": [f"https://schema.example/{n}.json"], "presentation_definition": None,
            "budget": {"denom": "umed", "amount": str(n * 10000)}, "max_num_data": str(n * 10), "cur_num_data": "0",
            "consumer_address": consumer,
            "agreement_terms": [{"id": 1, "required": True, "title": f"Term {n}", "description": "share data"}],
            "status": "DEAL_STATUS_ACTIVE", "consumer_service_endpoint": f"https://consumer.example/{n}"}


# --- auth ----------------------------------------------------------------------------------------------------
def test_account_without_pubkey(node: RestNode) -> None:
    assert node.ok(f"/cosmos/auth/v1beta1/accounts/{ORACLE.bech32()}") == {"account": {
        "@type": "/cosmos.auth.v1beta1.BaseAccount", "address": ORACLE.bech32(), "pub_key": None,
        "account_number": "2", "sequence": "0"}}


def test_account_after_txs_has_pubkey_and_sequence(node: RestNode, world: dict[str, Any]) -> None:
    assert node.ok(f"/cosmos/auth/v1beta1/accounts/{CAROL.bech32()}") == {"account": {
        "@type": "/cosmos.auth.v1beta1.BaseAccount", "address": CAROL.bech32(),
        "pub_key": {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": CAROL.public_key().to_base64()},
        "account_number": "4", "sequence": "3"}}


def test_account_errors(node: RestNode) -> None:
    fresh = key_address("never-funded")
    not_found(node, f"/cosmos/auth/v1beta1/accounts/{fresh}", f"account {fresh} not found: not found")
    bad_request(node, "/cosmos/auth/v1beta1/accounts/panacea1xyz",
                "invalid address (decoding bech32 failed: invalid separator index 7): invalid address")


def key_address(label: str) -> str:
    from tests.node.kit import key

    return key(label).bech32()


def test_auth_params_and_module_account(node: RestNode) -> None:
    assert node.ok("/cosmos/auth/v1beta1/params") == {"params": {
        "max_memo_characters": "256", "tx_sig_limit": "7", "tx_size_cost_per_byte": "10",
        "sig_verify_cost_ed25519": "590", "sig_verify_cost_secp256k1": "1000"}}
    gov = node.ok("/cosmos/auth/v1beta1/module_accounts/gov")["account"]
    assert gov == {"@type": "/cosmos.auth.v1beta1.ModuleAccount",
                   "base_account": {"address": addr.encode(module_address("gov")), "pub_key": None,
                                    "account_number": "1", "sequence": "0"},
                   "name": "gov", "permissions": ["burner"]}


def test_accounts_pagination(node: RestNode) -> None:
    page1 = node.ok("/cosmos/auth/v1beta1/accounts", **{"pagination.limit": "2", "pagination.count_total": "true"})
    assert len(page1["accounts"]) == 2
    assert page1["pagination"]["total"] == str(len(node.ok("/cosmos/auth/v1beta1/accounts")["accounts"]))
    page2 = node.ok("/cosmos/auth/v1beta1/accounts",
                    **{"pagination.limit": "2", "pagination.key": page1["pagination"]["next_key"]})
    by_offset = node.ok("/cosmos/auth/v1beta1/accounts", **{"pagination.limit": "2", "pagination.offset": "2"})
    assert page2["accounts"] == by_offset["accounts"]
    assert not {a.get("address", "") for a in page1["accounts"]} & {a.get("address", "") for a in page2["accounts"]}


# --- bank ----------------------------------------------------------------------------------------------------
def test_balances(node: RestNode, world: dict[str, Any]) -> None:
    send_fee = int(world["send"]["tx_response"]["gas_wanted"]) * 5
    deposit_fee = int(world["deposit"]["tx_response"]["gas_wanted"]) * 5
    bob = FUNDS - 1000 - 12345 - send_fee - deposit_fee
    assert node.ok(f"/cosmos/bank/v1beta1/balances/{BOB.bech32()}/by_denom", denom="umed") == {
        "balance": {"denom": "umed", "amount": str(bob)}}
    assert node.ok(f"/cosmos/bank/v1beta1/balances/{FRESH.bech32()}",
                   **{"pagination.count_total": "true"}) == {
        "balances": [{"denom": "umed", "amount": "12345"}], "pagination": {"next_key": None, "total": "1"}}
    assert node.ok(f"/cosmos/bank/v1beta1/spendable_balances/{FRESH.bech32()}")["balances"] == [
        {"denom": "umed", "amount": "12345"}]


def test_unknown_account_balance_is_zero(node: RestNode) -> None:
    nobody = key_address("nobody")
    assert node.ok(f"/cosmos/bank/v1beta1/balances/{nobody}/by_denom", denom="umed") == {
        "balance": {"denom": "umed", "amount": "0"}}
    assert node.ok(f"/cosmos/bank/v1beta1/balances/{nobody}", **{"pagination.count_total": "1"}) == {
        "balances": [], "pagination": {"next_key": None, "total": "0"}}


def test_all_balances_without_pagination_counts_total(node: RestNode, world: dict[str, Any]) -> None:
    assert node.ok(f"/cosmos/bank/v1beta1/balances/{FRESH.bech32()}") == {
        "balances": [{"denom": "umed", "amount": "12345"}], "pagination": {"next_key": None, "total": "1"}}


def test_bank_errors(node: RestNode) -> None:
    bad_request(node, "/cosmos/bank/v1beta1/balances/xyz",
                "invalid address (decoding bech32 failed: invalid bech32 string length 3): invalid address")
    bad_request(node, f"/cosmos/bank/v1beta1/balances/{ALICE.bech32()}/by_denom", "invalid denom: invalid request")


def test_supply_and_params(node: RestNode) -> None:
    total = str(5 * FUNDS)
    assert node.ok("/cosmos/bank/v1beta1/supply", **{"pagination.count_total": "true"}) == {
        "supply": [{"denom": "umed", "amount": total}], "pagination": {"next_key": None, "total": "1"}}
    assert node.ok("/cosmos/bank/v1beta1/supply/umed") == {"amount": {"denom": "umed", "amount": total}}
    assert node.ok("/cosmos/bank/v1beta1/params") == {"params": {"send_enabled": [], "default_send_enabled": True}}


# --- datadeal ------------------------------------------------------------------------------------------------
def test_deal(node: RestNode, world: dict[str, Any]) -> None:
    assert node.ok("/panacea/datadeal/v2/deals/2") == {"deal": deal_json(2, CAROL.bech32())}
    not_found(node, "/panacea/datadeal/v2/deals/99", "deal with ID 99 does not exist: deal is not found")
    bad_request(node, "/panacea/datadeal/v2/deals/abc",
                'type mismatch, parameter: deal_id, error: strconv.ParseUint: parsing "abc": invalid syntax')


def test_deals_pagination(node: RestNode, world: dict[str, Any]) -> None:
    deals = [deal_json(n, CAROL.bech32()) for n in (1, 2, 3)]
    first = node.ok("/panacea/datadeal/v2/deals", **{"pagination.limit": "2", "pagination.count_total": "true"})
    assert first == {"deals": deals[:2], "pagination": {"next_key": "AAAAAAAAAAM=", "total": "3"}}
    assert node.ok("/panacea/datadeal/v2/deals", **{"pagination.limit": "2", "pagination.key": "AAAAAAAAAAM="}) == {
        "deals": deals[2:], "pagination": {"next_key": None, "total": "0"}}
    assert node.ok("/panacea/datadeal/v2/deals", **{"pagination.offset": "1", "pagination.limit": "1",
                                                    "pagination.count_total": "true"}) == {
        "deals": deals[1:2], "pagination": {"next_key": "AAAAAAAAAAM=", "total": "3"}}
    reverse = node.ok("/panacea/datadeal/v2/deals", **{"pagination.reverse": "true", "pagination.limit": "2"})
    assert reverse == {"deals": [deals[2], deals[1]], "pagination": {"next_key": "AAAAAAAAAAE=", "total": "0"}}
    # the key in URL-safe base64 without padding works too, as in grpc-gateway
    assert node.ok("/panacea/datadeal/v2/deals", **{"pagination.key": "AAAAAAAAAAM"})["deals"] == deals[2:]


def test_pagination_errors(node: RestNode) -> None:
    bad_request(node, "/panacea/datadeal/v2/deals", 'strconv.ParseUint: parsing "x": invalid syntax',
                **{"pagination.limit": "x"})
    bad_request(node, "/panacea/datadeal/v2/deals", 'strconv.ParseBool: parsing "yes": invalid syntax',
                **{"pagination.count_total": "yes"})
    bad_request(node, "/panacea/datadeal/v2/deals",
                "paginate: invalid request, either offset or key is expected, got both: invalid request",
                **{"pagination.key": "AAAAAAAAAAM=", "pagination.offset": "1"})


def test_consents(node: RestNode, world: dict[str, Any]) -> None:
    assert node.ok("/panacea/datadeal/v2/deals/1/consents") == {
        "consents": [], "pagination": {"next_key": None, "total": "0"}}
    not_found(node, "/panacea/datadeal/v2/deals/1/consents/" + "ab" * 32, "consent is not found")


# --- oracle --------------------------------------------------------------------------------------------------
ORACLE_JSON = {"oracle_address": ORACLE.bech32(), "unique_id": UNIQUE_ID, "endpoint": "https://oracle.example",
               "update_time": "0001-01-01T00:00:00Z", "oracle_commission_rate": "0.100000000000000000",
               "oracle_commission_max_rate": "0.300000000000000000",
               "oracle_commission_max_change_rate": "0.010000000000000000"}


def test_oracles(node: RestNode) -> None:
    assert node.ok(f"/panacea/oracle/v2/oracles/{ORACLE.bech32()}") == {"oracle": ORACLE_JSON}
    assert node.ok("/panacea/oracle/v2/oracles", **{"pagination.count_total": "true"}) == {
        "oracles": [ORACLE_JSON], "pagination": {"next_key": None, "total": "1"}}
    alice = ALICE.bech32()
    not_found(node, f"/panacea/oracle/v2/oracles/{alice}", f"oracle '{alice}' does not exist: oracle not found")
    bad_request(node, "/panacea/oracle/v2/oracles/panacea1bad",
                "decoding bech32 failed: invalid separator index 7: error while getting a oracle")


def test_oracle_params_and_upgrades(node: RestNode) -> None:
    assert node.ok("/panacea/oracle/v2/params") == {"params": {
        "oracle_public_key": ORACLE_SHARED.public_key().to_base64(), "oracle_pub_key_remote_report": "",
        "unique_id": UNIQUE_ID, "signature_digest": "sha256"}}
    assert node.ok("/panacea/oracle/v2/oracle-upgrade-info") == {"oracle_upgrade_info": None}
    empty = {"next_key": None, "total": "0"}
    assert node.ok(f"/panacea/oracle/v2/oracle-registrations/{UNIQUE_ID}") == {
        "oracle_registrations": [], "pagination": empty}
    assert node.ok(f"/panacea/oracle/v2/oracle-upgrades/{UNIQUE_ID}") == {"oracle_upgrades": [], "pagination": empty}
    oracle = ORACLE.bech32()
    not_found(node, f"/panacea/oracle/v2/oracle-registrations/{UNIQUE_ID}/{oracle}", "oracle registration not found")
    not_found(node, f"/panacea/oracle/v2/oracle-upgrades/{UNIQUE_ID}/{oracle}", "oracle upgrade not found")


# --- gov -----------------------------------------------------------------------------------------------------
def test_proposals(node: RestNode, world: dict[str, Any]) -> None:
    listed = node.ok("/cosmos/gov/v1beta1/proposals")
    assert listed["pagination"] == {"next_key": None, "total": "1"}
    [proposal] = listed["proposals"]
    times = {k: proposal[k] for k in ("submit_time", "deposit_end_time", "voting_start_time", "voting_end_time")}
    assert proposal == {
        "proposal_id": "1",
        "content": {"@type": "/cosmos.gov.v1beta1.TextProposal", "title": "Raise the bar",
                    "description": "a text proposal"},
        "status": "PROPOSAL_STATUS_VOTING_PERIOD",
        "final_tally_result": {"yes": "0", "abstain": "0", "no": "0", "no_with_veto": "0"},
        "total_deposit": [{"denom": "umed", "amount": str(MIN_DEPOSIT + 1000)}], **times}
    assert times["submit_time"] == times["voting_start_time"]
    assert node.ok("/cosmos/gov/v1beta1/proposals/1") == {"proposal": proposal}
    for params in ({"proposal_status": "PROPOSAL_STATUS_VOTING_PERIOD"}, {"proposal_status": "2"},
                   {"voter": ALICE.bech32()}, {"depositor": BOB.bech32()}):
        assert node.ok("/cosmos/gov/v1beta1/proposals", **params)["proposals"] == [proposal], params
    for params in ({"proposal_status": "PROPOSAL_STATUS_PASSED"}, {"voter": BOB.bech32()},
                   {"depositor": CAROL.bech32()}):
        assert node.ok("/cosmos/gov/v1beta1/proposals", **params) == {
            "proposals": [], "pagination": {"next_key": None, "total": "0"}}, params
    bad_request(node, "/cosmos/gov/v1beta1/proposals", "NOT_A_STATUS is not valid", proposal_status="NOT_A_STATUS")
    not_found(node, "/cosmos/gov/v1beta1/proposals/7", "proposal 7 doesn't exist: key not found")
    bad_request(node, "/cosmos/gov/v1beta1/proposals/0", "proposal id can not be 0: invalid request")


def test_votes_deposits_tally(node: RestNode, world: dict[str, Any]) -> None:
    vote = {"proposal_id": "1", "voter": ALICE.bech32(), "option": "VOTE_OPTION_YES",
            "options": [{"option": "VOTE_OPTION_YES", "weight": "1.000000000000000000"}]}
    assert node.ok("/cosmos/gov/v1beta1/proposals/1/votes", **{"pagination.count_total": "true"}) == {
        "votes": [vote], "pagination": {"next_key": None, "total": "1"}}
    assert node.ok(f"/cosmos/gov/v1beta1/proposals/1/votes/{ALICE.bech32()}") == {"vote": vote}
    bob = BOB.bech32()
    bad_request(node, f"/cosmos/gov/v1beta1/proposals/1/votes/{bob}",
                f"voter: {bob} not found for proposal: 1: invalid request")
    deposits = node.ok("/cosmos/gov/v1beta1/proposals/1/deposits", **{"pagination.count_total": "true"})
    assert sorted(deposits["deposits"], key=lambda d: d["amount"][0]["amount"]) == [
        {"proposal_id": "1", "depositor": bob, "amount": [{"denom": "umed", "amount": "1000"}]},
        {"proposal_id": "1", "depositor": ALICE.bech32(), "amount": [{"denom": "umed", "amount": str(MIN_DEPOSIT)}]}]
    assert deposits["pagination"] == {"next_key": None, "total": "2"}
    assert node.ok(f"/cosmos/gov/v1beta1/proposals/1/deposits/{bob}") == {
        "deposit": {"proposal_id": "1", "depositor": bob, "amount": [{"denom": "umed", "amount": "1000"}]}}
    assert node.ok("/cosmos/gov/v1beta1/proposals/1/tally") == {
        "tally": {"yes": "10", "abstain": "0", "no": "0", "no_with_veto": "0"}}


def test_gov_params(node: RestNode) -> None:
    zero_voting, zero_deposit = {"voting_period": "0s"}, {"min_deposit": [], "max_deposit_period": "0s"}
    zero_tally = {"quorum": ZERO_DEC, "threshold": ZERO_DEC, "veto_threshold": ZERO_DEC}
    assert node.ok("/cosmos/gov/v1beta1/params/voting") == {
        "voting_params": {"voting_period": "172800s"}, "deposit_params": zero_deposit, "tally_params": zero_tally}
    assert node.ok("/cosmos/gov/v1beta1/params/deposit") == {
        "voting_params": zero_voting, "tally_params": zero_tally,
        "deposit_params": {"min_deposit": [{"denom": "umed", "amount": str(MIN_DEPOSIT)}],
                           "max_deposit_period": "172800s"}}
    assert node.ok("/cosmos/gov/v1beta1/params/tallying") == {
        "voting_params": zero_voting, "deposit_params": zero_deposit,
        "tally_params": {"quorum": "0.334000000000000000", "threshold": "0.500000000000000000",
                         "veto_threshold": "0.334000000000000000"}}
    bad_request(node, "/cosmos/gov/v1beta1/params/foo", "foo is not a valid parameter type: invalid request")


# --- x/params, consensus, routing ---------------------------------------------------------------------------
def test_params_subspaces(node: RestNode) -> None:
    def value(subspace: str, key: str) -> str:
        doc = node.ok("/cosmos/params/v1beta1/params", subspace=subspace, key=key)
        assert set(doc) == {"param"} and doc["param"]["subspace"] == subspace and doc["param"]["key"] == key
        return str(doc["param"]["value"])

    assert value("baseapp", "BlockParams") == '{"max_bytes":"22020096","max_gas":"-1"}'
    assert value("baseapp", "ValidatorParams") == '{"pub_key_types":["ed25519"]}'
    assert value("oracle", "UniqueID") == f'"{UNIQUE_ID}"'
    assert value("oracle", "OraclePublicKey") == f'"{ORACLE_SHARED.public_key().to_base64()}"'
    assert value("gov", "votingparams") == '{"voting_period":"172800000000000"}'
    assert value("gov", "depositparams") == (
        '{"min_deposit":[{"denom":"umed","amount":"10000000"}],"max_deposit_period":"172800000000000"}')
    assert value("oracle", "NoSuchKey") == ""
    bad_request(node, "/cosmos/params/v1beta1/params", "nope: unknown subspace", subspace="nope", key="x")
    bad_request(node, "/cosmos/params/v1beta1/params", "invalid request", subspace="baseapp")


def test_consensus_endpoint_absent_like_sdk_045(node: RestNode) -> None:
    not_found(node, "/cosmos/consensus/v1/params", "Not Found")


def test_unknown_path_and_method(node: RestNode) -> None:
    not_found(node, "/cosmos/nothing/here", "Not Found")
    not_found(node, "/panacea/datadeal/v2/deals/", "Not Found")
    r = node.http.post("/panacea/datadeal/v2/deals")
    assert (r.status_code, r.json()) == (501, {"code": 12, "message": "Method Not Allowed", "details": []})
    r = node.http.delete("/cosmos/tx/v1beta1/txs")
    assert (r.status_code, r.json()) == (501, {"code": 12, "message": "Method Not Allowed", "details": []})


def test_query_at_height_header(node: RestNode, world: dict[str, Any]) -> None:
    before = int(world["send"]["tx_response"]["height"]) - 1
    r = node.http.get(f"/cosmos/bank/v1beta1/balances/{FRESH.bech32()}/by_denom", params={"denom": "umed"},
                      headers={"x-cosmos-block-height": str(before)})
    assert r.json() == {"balance": {"denom": "umed", "amount": "0"}}
    r = node.http.get("/panacea/oracle/v2/params", headers={"x-cosmos-block-height": "abc"})
    assert (r.status_code, r.json()) == (400, {"code": 3, "message": "invalid height: abc", "details": []})

"""x/auth genesis: validation texts, init (accounts, next number, module accounts, params), export round trip."""

from __future__ import annotations

from panacea.chain.modules.auth import genesis
from panacea.chain.modules.auth.keeper import Account
from panacea.crypto.address import module_address
from tests.chain.kit import error_of, keepers, key

A, B = key("a"), key("b")


def _base(address: str, number: int, sequence: int = 0) -> dict[str, object]:
    return {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": address, "account_number": str(number),
            "sequence": str(sequence)}


def test_default_genesis() -> None:
    assert genesis.default_genesis() == {
        "params": {"max_memo_characters": "256", "tx_sig_limit": "7", "tx_size_cost_per_byte": "10",
                   "sig_verify_cost_ed25519": "590", "sig_verify_cost_secp256k1": "1000"},
        "accounts": []}
    genesis.validate_genesis(genesis.default_genesis())


def test_validate_rejects_duplicates_bad_addresses_and_unknown_fields() -> None:
    dup_addr = {"accounts": [_base(A.bech32(), 0), _base(A.bech32(), 1)]}
    assert error_of(genesis.validate_genesis, dup_addr).log == \
        f"duplicate account found in genesis state; address: {A.bech32()}: invalid request"
    genesis.validate_genesis({"accounts": [_base(A.bech32(), 0), _base(B.bech32(), 0)]})  # numbers come at init
    bad = {"accounts": [_base("panacea1xyz", 0)]}
    assert error_of(genesis.validate_genesis, bad).log.startswith("invalid account address (")
    assert error_of(genesis.validate_genesis, {"nope": 1}).log == (
        'Message type "cosmos.auth.v1beta1.GenesisState" has no field named "nope" at "GenesisState".: '
        "invalid request")


def test_init_then_export_round_trips() -> None:
    k = keepers()
    state = {**genesis.default_genesis(), "accounts": [_base(A.bech32(), 5, 2), _base(B.bech32(), 1)]}
    genesis.init_genesis(k.ctx, k.auth, state)
    # module accounts first, then genesis accounts numbered in their (number, address) order, like NewAccount
    fee = k.auth.get_account(k.ctx, module_address("fee_collector"))
    gov = k.auth.get_account(k.ctx, module_address("gov"))
    assert (fee and fee.number, gov and gov.number, gov and gov.permissions) == (0, 1, ("burner",))
    assert k.auth.get_account(k.ctx, B.address()) == Account(B.address(), 2)
    assert k.auth.get_account(k.ctx, A.address()) == Account(A.address(), 3, 2)
    assert k.auth.peek_account_number(k.ctx) == 4
    exported = genesis.export_genesis(k.ctx, k.auth)
    assert exported["params"] == genesis.default_genesis()["params"]
    assert len(exported["accounts"]) == 4
    again = keepers()
    genesis.init_genesis(again.ctx, again.auth, exported)
    assert genesis.export_genesis(again.ctx, again.auth) == exported


def test_add_genesis_account_style_numbers_follow_address_order() -> None:
    """``add-genesis-account`` writes every number as 0: addresses decide, byte-wise, as bank's genesis does."""
    k = keepers()
    first, second = sorted([A, B], key=lambda x: x.address())
    genesis.init_genesis(k.ctx, k.auth, {"accounts": [_base(second.bech32(), 0), _base(first.bech32(), 0)]})
    assert [k.auth.get_account(k.ctx, x.address()) for x in (first, second)] == [
        Account(first.address(), 2), Account(second.address(), 3)]


def test_init_without_params_stores_the_defaults() -> None:
    k = keepers()
    genesis.init_genesis(k.ctx, k.auth, {"accounts": []})
    assert genesis.export_genesis(k.ctx, k.auth)["params"] == genesis.default_genesis()["params"]

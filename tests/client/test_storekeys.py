"""The client's spelling of the chain's store layout equals the chain's own (the client may not import it)."""

from __future__ import annotations

from panacea.chain import app
from panacea.chain.modules.auth import keys as auth_keys
from panacea.chain.modules.datadeal import keys as deal_keys
from panacea.chain.modules.oracle import keys as oracle_keys
from panacea.chain.modules.oracle.validation import default_params
from panacea.client import storekeys
from panacea.client.light.reader import _DEFAULT_ORACLE_PARAMS

ADDRESS = bytes(range(20))


def test_store_prefixes_and_proof_type() -> None:
    assert storekeys.PROOF_OP_TYPE == app.PROOF_OP_TYPE
    for name, prefix in storekeys.STORE_PREFIXES.items():
        assert app.STORE_PREFIXES[name] == prefix
    assert (storekeys.STORE_PREFIXES[storekeys.AUTH], storekeys.STORE_PREFIXES[storekeys.DATADEAL],
            storekeys.STORE_PREFIXES[storekeys.ORACLE]) == (auth_keys.STORE, deal_keys.STORE, oracle_keys.STORE)
    assert storekeys.tree_key("datadeal", b"\x02k") == app.proven_key("/store/datadeal/key", b"\x02k")
    assert storekeys.store_path("oracle") == "/store/oracle/key"


def test_module_keys() -> None:
    assert storekeys.account_key(ADDRESS) == auth_keys.ACCOUNT_PREFIX + ADDRESS
    assert storekeys.deal_key(2**40 + 7) == deal_keys.deal_key(2**40 + 7)
    assert storekeys.consent_key(9, "ab" * 32) == deal_keys.consent_key(9, "ab" * 32)
    assert storekeys.oracle_key(ADDRESS) == oracle_keys.oracle_key(ADDRESS)
    assert storekeys.registration_key("uid", ADDRESS) == oracle_keys.registration_key("uid", ADDRESS)
    assert storekeys.upgrade_key("uid", ADDRESS) == oracle_keys.upgrade_key("uid", ADDRESS)
    assert storekeys.UPGRADE_INFO_KEY == oracle_keys.UPGRADE_INFO_KEY
    assert storekeys.ORACLE_PARAMS_KEY == oracle_keys.PARAMS_KEY


def test_the_oracle_params_the_chain_answers_while_none_are_stored() -> None:
    assert default_params() == _DEFAULT_ORACLE_PARAMS

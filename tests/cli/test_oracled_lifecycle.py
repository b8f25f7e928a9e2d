"""`oracled register-oracle`, `get-oracle-key`, `update-oracle-info` and `status` as an operator runs them, against a
real node whose genesis oracle approves by hand while the command waits (in a child process)."""

from __future__ import annotations

import asyncio
import json
import re
import signal
from pathlib import Path

from click.testing import CliRunner

from panacea.cli import oracled
from panacea.client.keyring import Keyring
from panacea.types.dec import dec_to_wire, parse_dec
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.oracle.appkit import OracleThread, oracle_config
from tests.oracle.conftest import node, oracle
from tests.oracle.kit import ORACLE_ACCOUNT, ORACLE_ADDRESS, OracleKit
from tests.oracle.lifecyclekit import OracledProcess, approve_registration, block_flags, joining_home

__all__ = ["node", "oracle"]  # the oracle kit's fixtures: a genesis oracle home and its node

COMMISSION = ["--oracle-commission-rate", "0.1", "--oracle-commission-max-rate", "0.2",
              "--oracle-commission-max-change-rate", "0.01"]
HINT = "run `oracled get-oracle-key --from registration` later to receive the oracle key once it is approved"
FAILED = "transaction failed: failed to execute message; message index: 0: "


def _run(home: Path, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(oracled.main, ["--home", str(home), *args])
    return r.exit_code, r.output


def test_register_oracle_end_to_end(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "erin", "erin", oracle, node)
    address = nodekit.key("erin").bech32()
    flags = block_flags(node)
    p = OracledProcess(home.root, "register-oracle", *flags, "--endpoint", "https://erin.test", *COMMISSION)
    try:
        line = p.wait_for("waiting for the approval")
        assert re.match(r"waiting for the approval of the oracle registration \(timeout 10m\): \d+s, height \d+$", line)
        asyncio.run(approve_registration(node, oracle, address))
        code, out, err = p.finish()
    finally:
        p.kill()
    assert code == 0, err
    uid = oracle.enclave.identity().unique_id_hex
    first, second = out.splitlines()
    assert first.startswith(f"oracle registration requested for {address} (unique ID {uid}): tx ")
    assert second == (f"oracle key received and sealed to {home.oracle_priv_key_file} (oracle public key "
                      f"{oracle.key.public_key.to_base64()})")
    assert home.oracle_key(home.open_enclave()).public_key == oracle.key.public_key
    assert home.trust_root() == (int(flags[1]), bytes.fromhex(flags[3]))
    with node.client() as c:
        record = c.oracle(address)
    assert (record.unique_id, record.endpoint, record.oracle_commission_rate) == (
        uid, "https://erin.test", dec_to_wire(parse_dec("0.1")))
    assert _run(home.root, "get-oracle-key", "--from", "registration") == (
        1, "Error: the oracle private key already exists\n")


def test_ctrl_c_while_waiting_says_how_to_get_the_key_later(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "bob", "bob", oracle, node)
    p = OracledProcess(home.root, "register-oracle", *block_flags(node), *COMMISSION)
    try:
        p.wait_for("waiting for the approval")
        p.proc.send_signal(signal.SIGINT)
        code, out, err = p.finish()
    finally:
        p.kill()
    assert code == 1
    assert err.endswith(f"Error: interrupted while waiting for the approval: {HINT}\n"), err
    assert "Traceback" not in err and out.startswith("oracle registration requested for ")
    assert home.node_priv_key_file.exists() and not home.oracle_priv_key_file.exists()


def test_timeout_then_get_oracle_key(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "carol", "carol", oracle, node)
    address = nodekit.key("carol").bech32()
    code, out = _run(home.root, "register-oracle", *block_flags(node), *COMMISSION, "--timeout", "1s")
    assert code == 1 and out.endswith(f"Error: the oracle registration was not approved within 1s: {HINT}\n"), out
    assert _run(home.root, "get-oracle-key", "--from", "registration") == (
        1, "Error: the encrypted oracle private key has not set yet. please try again later\n")
    assert _run(home.root, "get-oracle-key", "--from", "genesis") == (
        1, 'Error: invalid --from flag input. please put "registration" or "upgrade"\n')
    assert _run(home.root, "get-oracle-key") == (1, "Error: oracle upgrade not found\n")  # default --from upgrade
    # no terminal: the node key of the pending registration is never replaced without --yes
    assert _run(home.root, "register-oracle", *block_flags(node), *COMMISSION) == (
        1, "Error: node_priv_key.sealed already exists (the node key of an earlier request): pass --yes to overwrite "
           "it (no terminal to ask on)\n")
    assert _run(home.root, "register-oracle", *block_flags(node), *COMMISSION, "--yes") == (
        1, f"Error: {FAILED}already registered oracle. address({address}): error while registering a oracle\n")
    asyncio.run(approve_registration(node, oracle, address))
    assert _run(home.root, "get-oracle-key", "--from", "registration") == (
        0, f"oracle key received and sealed to {home.oracle_priv_key_file} (oracle public key "
           f"{oracle.key.public_key.to_base64()})\n")


def test_register_oracle_input(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "alice", "alice", oracle, node)
    height, block_hash = block_flags(node)[1], block_flags(node)[3]

    def register(*args: str) -> tuple[int, str]:
        return _run(home.root, "register-oracle", *args)

    assert register("--trusted-block-height", "0", "--trusted-block-hash", block_hash, *COMMISSION) == (
        1, "Error: trusted block height must be greater than zero\n")
    assert register("--trusted-block-height", height, "--trusted-block-hash", "xyz", *COMMISSION) == (
        1, "Error: invalid trusted block hash 'xyz': expected the 64 hex characters of the block ID hash\n")
    code, out = register("--trusted-block-height", height, "--trusted-block-hash", block_hash)
    assert code == 2 and "Missing option '--oracle-commission-max-rate'" in out
    assert register("--trusted-block-height", height, "--trusted-block-hash", block_hash,
                    *COMMISSION[:-1], "1%") == (
        1, "Error: invalid --oracle-commission-max-change-rate '1%': invalid decimal string '1%': expected digits "
           "with an optional '-' sign and '.' (no exponent, NaN or Infinity)\n")
    assert register("--trusted-block-height", height, "--trusted-block-hash", block_hash, *COMMISSION,
                    "--timeout", "soon") == (
        1, "Error: invalid --timeout 'soon': expected a positive duration like \"10m\" or \"90s\"\n")
    assert register("--trusted-block-height", height, "--trusted-block-hash", "00" * 32, *COMMISSION) == (
        1, f"Error: failed to verify trusted block information. height({height}), expected block hash({'00' * 32}), "
           f"got block hash({block_hash.lower()})\n")
    assert register("--trusted-block-height", height, "--trusted-block-hash", block_hash,
                    "--oracle-commission-rate", "0.5", *COMMISSION[2:]) == (
        1, "Error: transaction failed: oracleCommissionRate must be between 0 and OracleCommissionMaxRate: "
           "invalid request\n")
    assert not home.node_priv_key_file.exists() and home.trust_root() is None  # nothing written on a refusal


def test_update_oracle_info(oracle: OracleKit, node: Node, tmp_path: Path) -> None:
    home = joining_home(tmp_path / "dave", ORACLE_ACCOUNT, oracle, node)  # the genesis oracle's account
    assert _run(home.root, "update-oracle-info", "--endpoint", "https://dave.test") == (
        1, f"Error: no trusted block in {home.trust_root_file}: give the trusted block height and hash (or set "
           '[panacea] verification = "trusted" for development)\n')
    assert _run(home.root, "trust-block", *block_flags(node))[0] == 0
    assert _run(home.root, "update-oracle-info") == (
        1, "Error: nothing to update: give --endpoint and/or --oracle-commission-rate\n")
    assert _run(home.root, "update-oracle-info", "--oracle-commission-rate", "0.31") == (
        1, f"Error: {FAILED}commission cannot be more than the max rate: error while updating oracle info\n")
    assert _run(home.root, "update-oracle-info", "--endpoint", "https://dave.test", "--oracle-commission-rate",
                "0.11") == (
        0, f"oracle {ORACLE_ADDRESS}: endpoint https://dave.test, commission rate 0.110000000000000000 (max "
           "0.300000000000000000, max change 0.010000000000000000)\n")
    with node.client() as c:
        record = c.oracle(ORACLE_ADDRESS)
    assert (record.endpoint, record.oracle_commission_rate) == ("https://dave.test", dec_to_wire(parse_dec("0.11")))
    assert _run(home.root, "update-oracle-info", "--oracle-endpoint", "https://dave2.test") == (
        0, f"oracle {ORACLE_ADDRESS}: endpoint https://dave2.test, commission rate 0.110000000000000000 (max "
           "0.300000000000000000, max change 0.010000000000000000)\n")
    assert _run(home.root, "update-oracle-info", "--oracle-commission-rate", "0.12") == (
        1, f"Error: {FAILED}commission cannot be changed more than once in 24h: error while updating oracle info\n")


def test_status(oracle: OracleKit, node: Node) -> None:
    port = free_port()
    config = oracle.home.config_file
    text = config.read_text()
    config.write_text(text.replace('listen-addr = "127.0.0.1:8080"', f'listen-addr = "0.0.0.0:{port}"'))
    try:
        assert _run(oracle.home.root, "status") == (
            1, f"Error: the oracle is not running: nothing answers on http://127.0.0.1:{port} (start it with "
               "oracled start)\n")
        identity = oracle.enclave.identity()
        with OracleThread(oracle.home.root, oracle_config(oracle, node, port)):
            code, text = _run(oracle.home.root, "status")
            code_json, out = _run(oracle.home.root, "status", "--output", "json")
        with node.client() as c:
            endpoint = c.oracle(ORACLE_ADDRESS).endpoint  # other tests of this module may have changed it
        doc = json.loads(out)
        assert (code, code_json) == (0, 0)
        chain = doc["chain"]
        assert re.sub(r"trusted height: \d+\n", "trusted height: H\n", text) == (  # it grows between the calls
            f"oracle account: {ORACLE_ADDRESS}\nAPI: http://127.0.0.1:{port} (listen 127.0.0.1:{port})\n"
            f"unique ID: {identity.unique_id_hex}\nproduct ID: {identity.product_id.hex()}\n"
            f"chain reads: {chain['description']}\ntrusted height: H\n"
            "event follower: not running in this process group\n"
            f"on chain: registered, active, endpoint {endpoint}\n")
        assert doc == {
            "oracle_account_address": ORACLE_ADDRESS, "api": {"listen_addr": f"127.0.0.1:{port}"},
            "enclave_info": {"product_id": "AQAAAAAAAAAAAAAAAAAAAA==", "unique_id": identity.unique_id_hex},
            "chain": {"verification": "light-client", "description": chain["description"],
                      "trusted_height": chain["trusted_height"]},
            "follower": None,
            "oracle": {"registered": True, "active_unique_id": identity.unique_id_hex, "active": True,
                       "endpoint": endpoint}}
    finally:
        config.write_text(text)


def test_node_unreachable_or_another_chain(node: Node, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    down = tmp_path / "down"
    _run(down, "init", "--chain-id", nodekit.CHAIN_ID, "--rpc-addr", f"tcp://127.0.0.1:{port}", "--keyring-backend",
         "test")
    Keyring(down, "test").import_private_key("oracle", nodekit.key("alice").to_hex())
    code, out = _run(down, "get-oracle-key", "--from", "registration")
    assert code == 1 and out.startswith(f"Error: cannot reach node tcp://127.0.0.1:{port}: ") and out.endswith(
        " (panacea.rpc-addr in config.toml)\n") and out.count("\n") == 1, out
    other = tmp_path / "other"
    _run(other, "init", "--chain-id", "other-chain", "--rpc-addr", node.rpc, "--keyring-backend", "test")
    Keyring(other, "test").import_private_key("oracle", nodekit.key("alice").to_hex())
    assert _run(other, "update-oracle-info", "--endpoint", "https://x.test") == (
        1, f"Error: the node at {node.rpc} runs chain '{nodekit.CHAIN_ID}', not 'other-chain' (panacea.chain-id in "
           "config.toml)\n")

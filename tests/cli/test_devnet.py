"""``dep devnet`` through its console script: every component a real process on loopback, Ctrl-C stops them
all, and ``--home`` keeps the state for the next run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from panacea.cli.dep import main
from panacea.cli.devnet import DEMO_KEYS, FUNDS, DevnetHome, demo_key_hex
from panacea.client import ChainClient
from panacea.client.dep import Consumer, Provider
from panacea.crypto.keys import PrivateKey
from panacea.demo import RECORDS_DIR, SCHEMA_FILE
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

DEP = str(Path(sys.executable).parent / "dep")


@contextmanager
def devnet(home: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    proc = subprocess.Popen([DEP, "devnet", "--home", str(home), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("  panacead query bank balances"):
                break
        assert lines and lines[0].startswith("devnet panacea-devnet in "), lines
        yield proc, lines
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)


def _pids(home: Path) -> list[int]:
    out = subprocess.run(["pgrep", "-f", str(home)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out if int(p) != os.getpid()]


def test_devnet_runs_stops_and_keeps_state(tmp_path: Path) -> None:
    home = tmp_path / "dn"
    with devnet(home) as (proc, lines):
        manifest = DevnetHome(home).manifest()
        assert manifest is not None
        assert lines[1:5] == [f"  chain RPC        {manifest.rpc}", f"  chain REST       {manifest.rest}",
                              f"  oracle           {manifest.oracle_url}",
                              f"  consumer service {manifest.consumer_url}"]
        assert manifest.accounts == {n: PrivateKey.from_hex(demo_key_hex(n)).bech32() for n in DEMO_KEYS}
        status = httpx.get(manifest.oracle_url + "/v0/status").json()
        assert status["oracle_account_address"] == manifest.accounts["oracle"]
        assert httpx.get(manifest.consumer_url + "/openapi.json").status_code == 200
        with ChainClient(manifest.rpc) as chain:
            assert chain.oracle_params().unique_id == status["enclave_info"]["unique_id"]
            consumer = PrivateKey.from_hex(demo_key_hex("consumer"))
            res = chain.wallet(consumer).send([bank_tx.MsgSend(
                from_address=consumer.bech32(), to_address=manifest.accounts["provider1"],
                amount=[coin_pb2.Coin(denom="umed", amount="7")])])
            assert res.ok, res.raw_log
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    deadline = time.monotonic() + 10
    while _pids(home) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _pids(home) == []
    with devnet(home) as (proc, lines), ChainClient(manifest.rpc) as chain:
        assert json.loads((home / "devnet.json").read_text())["rpc_port"] == manifest.rpc_port
        assert chain.balance(manifest.accounts["provider1"]) == FUNDS + 7


def test_a_non_devnet_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("mine")
    r = CliRunner().invoke(main, ["devnet", "--home", str(tmp_path)])
    assert (r.exit_code, r.output) == (1, f"Error: {tmp_path} exists, is not empty and holds no devnet: give another "
                                          "--home\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


@pytest.mark.slow
def test_a_deal_on_four_cometbft_validators_filled_through_two_oracles(tmp_path: Path) -> None:
    home = tmp_path / "dn4"
    with devnet(home, "--validators", "4", "--oracles", "2") as (proc, lines):
        manifest = DevnetHome(home).manifest()
        assert manifest is not None and (manifest.validators, bool(manifest.oracle2_port)) == (4, True)
        assert lines[1] == f"  validators       4 (CometBFT; homes in {home / 'chain'})"
        assert f"  second oracle    {manifest.oracle2_url}" in lines
        key = {name: PrivateKey.from_hex(demo_key_hex(name)) for name in DEMO_KEYS}
        with ChainClient(manifest.rpc) as chain:
            assert {o.oracle_address for o in chain.oracles()} == {manifest.accounts["oracle"],
                                                                   manifest.accounts["oracle2"]}
            consumer = Consumer(chain, key["consumer"])
            schema = json.loads(SCHEMA_FILE.read_text())["$id"]
            deal = consumer.create_deal(schema=[schema], budget=4_000_000, max_data=4, terms=["research use"],
                                        endpoint=manifest.consumer_url)
            results = []
            for i, (provider, oracle) in enumerate((("provider1", manifest.oracle_url),
                                                    ("provider2", manifest.oracle2_url),
                                                    ("provider3", manifest.oracle_url),
                                                    ("provider1", manifest.oracle2_url))):
                record = json.loads((RECORDS_DIR / "alice.json").read_text()) | {"patient_id": f"P00090{i}"}
                results.append(Provider(chain, key[provider]).provide(deal, json.dumps(record).encode(),
                                                                       oracle=oracle))
            assert [r.oracle_address for r in results] == [manifest.accounts[o] for o in
                                                          ("oracle", "oracle2", "oracle", "oracle2")]
            assert [(r.reward, r.commission) for r in results] == [(900_000, 100_000)] * 4
            progress = consumer.progress(deal)
            assert (progress.status, progress.cur_num_data, progress.escrow_balance) == ("COMPLETED", 4, 0)
            fetched = consumer.fetch_all(deal, tmp_path / "out")
            assert sorted(f.data_hash for f in fetched) == sorted(r.data_hash for r in results)
            consumer.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    deadline = time.monotonic() + 15
    while _pids(home) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _pids(home) == []

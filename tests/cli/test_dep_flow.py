"""Whole-flow resilience on a devnet of real processes: the oracle is SIGKILLed while providers are sending,
restarted, and the failed records sent again: every record is paid exactly once and the consumer gets them all."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

from panacea.cli.devnet import Devnet, DevnetHome, _http_ready, create, demo_key_hex
from panacea.client import ChainClient
from panacea.client.dep import Consumer, DepError, Provider
from panacea.crypto.keys import PrivateKey
from panacea.demo import SCHEMA_FILE

pytestmark = pytest.mark.slow
RECORDS = 24


def _record(i: int) -> bytes:
    return json.dumps({"patient_id": f"P{700000 + i}", "age": 40, "sex": "other", "measured_at": "2026-11-02",
                       "blood_pressure": {"systolic": 120, "diastolic": 80}, "heart_rate": 60}).encode()


def test_oracle_killed_mid_run_nothing_lost_no_double_payment(tmp_path: Path) -> None:
    home = DevnetHome(tmp_path / "dn")
    manifest = create(home)
    net = Devnet(home, manifest)
    net.start()
    try:
        keys = {n: PrivateKey.from_hex(demo_key_hex(n)) for n in ("consumer", "provider1", "provider2")}
        with ChainClient(manifest.rpc) as chain:
            consumer = Consumer(chain, keys["consumer"])
            deal = consumer.create_deal(schema=[json.loads(SCHEMA_FILE.read_text())["$id"]], budget=RECORDS * 1000,
                                        max_data=RECORDS, terms=["research use"], endpoint=manifest.consumer_url)
            before = {n: chain.balance(keys[n].bech32()) for n in ("provider1", "provider2")}
            oracle = next(p for p in net.processes if p.name == "oracle")
            paid: dict[int, int] = {}
            failed: list[int] = []
            lock = threading.Lock()

            def send(provider: str, indexes: list[int]) -> None:
                with ChainClient(manifest.rpc) as own:
                    for i in indexes:
                        try:
                            res = Provider(own, keys[provider]).provide(deal, _record(i))
                            with lock:
                                paid[i] = res.reward
                        except DepError:
                            with lock:
                                failed.append(i)
                        if i == 5:  # mid-run: the oracle (supervisor, workers, follower) dies at once
                            os.killpg(oracle.proc.pid, signal.SIGKILL)
                            oracle.proc.wait()

            threads = [threading.Thread(target=send, args=("provider1", list(range(0, RECORDS, 2)))),
                       threading.Thread(target=send, args=("provider2", list(range(1, RECORDS, 2))))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)
            assert failed, "the kill should have failed some provides"
            net.processes.remove(oracle)
            restarted = net._spawn("oracle", ["panacea.cli.oracled", "start", "--home", str(home.oracle)])
            net._wait(restarted, _http_ready(manifest.oracle_url + "/v0/status"), 60)
            for i in sorted(failed):  # sent again after the restart
                provider = "provider1" if i % 2 == 0 else "provider2"
                res = Provider(chain, keys[provider]).provide(deal, _record(i))
                paid[i] = res.reward
            assert sorted(paid) == list(range(RECORDS)) and set(paid.values()) == {900}
            progress = consumer.progress(deal)
            assert (progress.status, progress.cur_num_data, len(progress.consents)) == ("COMPLETED", RECORDS, RECORDS)
            after = {n: chain.balance(keys[n].bech32()) for n in ("provider1", "provider2")}
            fees = 0  # the devnet's minimum gas price is zero
            assert {n: after[n] - before[n] for n in after} == {"provider1": 900 * RECORDS // 2 - fees,
                                                                 "provider2": 900 * RECORDS // 2 - fees}
            with pytest.raises(DepError) as again:  # a record already paid is not paid twice
                Provider(chain, keys["provider1"]).provide(deal, _record(0))
            assert "COMPLETED" in str(again.value) or "already" in str(again.value)
            fetched = consumer.fetch_all(deal, tmp_path / "out")
            assert len(fetched) == RECORDS
            consumer.close()
    finally:
        net.stop()

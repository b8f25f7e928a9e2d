"""kill -9 of a node process at random points of a tx stream, many times: nothing reported committed is lost,
and the chain (every header's app hash) never changes after the fact."""

from __future__ import annotations

import base64
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from panacea.crypto.keys import PrivateKey
from panacea.node.home import Home
from tests.node.kit import FUNDS, USERS, make_home, send_tx

ROUNDS = 22
SENDERS = USERS[:4]
SINK = USERS[7]


class Proc:
    def __init__(self, home: Home, log: Path) -> None:
        self.url = "http://" + home.load_config().rpc_laddr.removeprefix("tcp://")
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.p = subprocess.Popen([sys.executable, "-m", "panacea.node.start.embedded", "--home", str(home.path)],
                                  stdout=self.log, stderr=self.log, env=env)
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=self.url, timeout=5) as c:
            while True:
                assert self.p.poll() is None, f"node exited with {self.p.returncode}, see {log}"
                try:
                    c.post("/", json={"jsonrpc": "2.0", "id": 1, "method": "health"}).raise_for_status()
                    return
                except httpx.HTTPError:
                    assert time.monotonic() < deadline, "node did not start"
                    time.sleep(0.02)

    def stop(self, sig: int) -> int:
        self.p.send_signal(sig)
        code = self.p.wait(30)
        self.log.close()
        return code


def rpc(c: httpx.Client, method: str, **params: Any) -> Any:
    body = c.post("/", json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).json()
    if "error" in body:
        raise RuntimeError(body["error"])
    return body["result"]


def account(c: httpx.Client, k: PrivateKey) -> tuple[int, int]:
    from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
    from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query

    data = auth_query.QueryAccountRequest(address=k.bech32()).SerializeToString().hex()
    resp = rpc(c, "abci_query", path="/cosmos.auth.v1beta1.Query/Account", data=data)["response"]
    any_acc = auth_query.QueryAccountResponse.FromString(base64.b64decode(resp["value"])).account
    acc = auth_pb2.BaseAccount.FromString(any_acc.value)
    return acc.account_number, acc.sequence


def stream(url: str, sender: PrivateKey, committed: dict[str, int], lock: threading.Lock) -> None:
    """broadcast_tx_commit sends until the node dies; records every tx reported committed."""
    try:
        with httpx.Client(base_url=url, timeout=15) as c:
            number, sequence = account(c, sender)
            while True:
                tx = send_tx(sender, SINK, 1, number, sequence)
                result = rpc(c, "broadcast_tx_commit", tx=base64.b64encode(tx).decode())
                if result["check_tx"].get("code") or result["tx_result"].get("code"):
                    number, sequence = account(c, sender)
                    continue
                with lock:
                    committed[result["hash"]] = int(result["height"])
                sequence += 1
    except (httpx.HTTPError, RuntimeError, ValueError):
        return  # the node was killed


@pytest.mark.slow
def test_kill_9_during_tx_stream(tmp_path: Path) -> None:
    home = make_home(tmp_path / "node", block_interval_ms=20, empty_block_interval_ms=300)
    log = tmp_path / "node.log"
    rng = random.Random(7)
    committed: dict[str, int] = {}
    app_hashes: dict[int, str] = {}
    lock = threading.Lock()
    kills = 0
    for _ in range(ROUNDS):
        node = Proc(home, log)
        with httpx.Client(base_url=node.url, timeout=15) as c:
            verify(c, committed, app_hashes)
        threads = [threading.Thread(target=stream, args=(node.url, s, committed, lock)) for s in SENDERS]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.6))
        assert node.stop(signal.SIGKILL) == -signal.SIGKILL
        kills += 1
        for t in threads:
            t.join(30)
    node = Proc(home, log)
    with httpx.Client(base_url=node.url, timeout=15) as c:
        verify(c, committed, app_hashes, everything=True)
        # the effect of every committed tx is in the balances
        total = int(rpc(c, "tx_search", query=f"transfer.recipient='{SINK.bech32()}'", per_page="1")["total_count"])
        assert total >= len(committed) > 0
        from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query

        data = bank_query.QueryBalanceRequest(address=SINK.bech32(), denom="umed").SerializeToString().hex()
        resp = rpc(c, "abci_query", path="/cosmos.bank.v1beta1.Query/Balance", data=data)["response"]
        balance = int(bank_query.QueryBalanceResponse.FromString(base64.b64decode(resp["value"])).balance.amount)
        assert balance == FUNDS + total
        assert sum(account(c, s)[1] for s in SENDERS) == total
    assert node.stop(signal.SIGTERM) == 0
    assert kills >= 20


def verify(c: httpx.Client, committed: dict[str, int], app_hashes: dict[int, str], *, everything: bool = False) -> None:
    """Every tx reported committed is found at its height; headers recorded earlier are unchanged (the newest
    ones, where a crash could strike, every round; all of them at the end)."""
    for h, height in list(committed.items()):
        assert rpc(c, "tx", hash=h)["height"] == str(height), f"committed tx {h} lost"
    latest = int(rpc(c, "status")["sync_info"]["latest_block_height"])
    first = 1 if everything or not app_hashes else max(1, max(app_hashes) - 20)
    for height in range(first, latest + 1):
        app_hash = rpc(c, "block", height=str(height))["block"]["header"]["app_hash"]
        assert app_hashes.setdefault(height, app_hash) == app_hash, f"app hash of height {height} changed"


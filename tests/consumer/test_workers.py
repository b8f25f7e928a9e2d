"""``consumerd start`` with two worker processes: a jti is used once across the workers and across a restart."""

from __future__ import annotations

from pathlib import Path

import httpx

from panacea.client import ChainClient
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceProcess, bearer, create_deal, oracle_token, service_config


def test_replay_rejected_across_two_workers_and_a_restart(node: Node, chain: ChainClient, tmp_path: Path) -> None:
    deal = create_deal(chain)
    config = service_config(node.rpc, free_port(), workers=2)
    url = f"/v0/deals/{deal}/data/{'aa' * 32}"
    tokens = [oracle_token(seconds=60) for _ in range(16)]
    statuses = []
    with ServiceProcess(tmp_path, config) as service:
        for tok in tokens:
            for _ in range(2):  # a new connection each time, so the kernel spreads them over both workers
                with httpx.Client(base_url=service.url) as http:
                    r = http.post(url, content=b"same", headers=bearer(tok))
                statuses.append((r.status_code, r.json().get("message")))
        assert service.log.read_text().count("Started server process") == 2
    assert statuses == [(200, None), (401, "jwt replay rejected. jti already used")] * 16
    with ServiceProcess(tmp_path, config) as service, httpx.Client(base_url=service.url) as http:
        again = http.post(url, content=b"same", headers=bearer(tokens[0]))
        replayed = {"code": 16, "message": "jwt replay rejected. jti already used"}
        assert (again.status_code, again.json()) == (401, replayed)
        assert http.post(url, content=b"same", headers=bearer(oracle_token())).json()["created"] is False

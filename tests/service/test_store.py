"""The LMDB store the worker processes share: JWT replay cache with expiry and sweeping."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from panacea.service.store import Store


def _claim_in_child(path: str, jti: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = Store(Path(path))
    out.put(store.claim_jti("panacea1x", jti, 2000, 1000))
    store.close()


def test_claim_replay_expiry_and_sweep(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.claim_jti("panacea1a", "j", expires_at=1010, now=1000) is True
    assert store.claim_jti("panacea1a", "j", expires_at=1010, now=1009) is False
    assert store.claim_jti("panacea1b", "j", expires_at=1010, now=1000) is True  # another issuer's jti
    assert store.claim_jti("panacea1a", "j", expires_at=1100, now=1010) is True  # expired: usable again
    assert store.claim_jti("panacea1a", "k", expires_at=1005, now=1000) is True
    assert store.jti_count() == 3
    assert store.sweep_jtis(now=1050) == 2
    assert store.jti_count() == 1
    assert store.claim_jti("panacea1a", "j", expires_at=1100, now=1050) is False
    with pytest.raises(ValueError, match=r"^jti longer than 256 bytes$"):
        store.claim_jti("panacea1a", "x" * 257, 1100, 1000)
    store.close()
    reopened = Store(tmp_path)
    assert reopened.claim_jti("panacea1a", "j", expires_at=1100, now=1060) is False
    reopened.close()


def test_processes_share_the_cache(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    results = []
    for _ in range(2):
        p = ctx.Process(target=_claim_in_child, args=(str(tmp_path), "shared", out))
        p.start()
        p.join(30)
        results.append(out.get(timeout=5))
    assert results == [True, False]
    store = Store(tmp_path)
    assert store.claim_jti("panacea1x", "shared", 2000, 1500) is False
    store.close()

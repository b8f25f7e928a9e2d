"""What every storage backend must do, run against each (tests/consumer/storage/test_fs.py, test_s3.py)."""

from __future__ import annotations

import asyncio

import pytest

from panacea.consumer.storage import ConflictError, ObjectInfo, PutResult, Storage

H = "ab" * 32


async def backend_contract(s: Storage) -> None:
    """Idempotent puts, conflicts, absent objects, pages by hash within one deal, one winner of a put race."""
    assert await s.put(1, H, b"data") == PutResult(True, 4)
    assert await s.put(1, H, b"data") == PutResult(False, 4)
    with pytest.raises(ConflictError) as e:
        await s.put(1, H, b"dat4")
    assert str(e.value) == "data already stored with different content"
    assert await s.get(1, H) == b"data"
    assert await s.get(1, "cd" * 32) is None
    assert await s.get(2, H) is None
    for h in ("03", "01", "02"):
        await s.put(12, h, h.encode())
    await s.put(1, "04", b"not in deal 12")
    assert await s.page(12, "", 2) == [ObjectInfo("01", 2), ObjectInfo("02", 2)]
    assert await s.page(12, "02", 2) == [ObjectInfo("03", 2)]
    assert await s.page(3, "", 2) == []
    results = await asyncio.gather(*(s.put(5, H, b"same") for _ in range(16)))
    assert sorted(r.created for r in results) == [False] * 15 + [True]

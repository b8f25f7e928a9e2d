"""The ``chain`` fixture: a fresh App on a real LMDB store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chain.kit import Chain


@pytest.fixture()
def chain(tmp_path: Path) -> Iterator[Chain]:
    c = Chain(tmp_path / "node")
    yield c
    c.store.close()

"""The committed generated code is exactly what scripts/gen_proto.py produces from proto/."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import panacea.types.pb

REPO = Path(__file__).resolve().parents[3]
COMMITTED = REPO / "src" / "panacea" / "types" / "pb"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_generated_code_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "pb"
    subprocess.run([sys.executable, str(REPO / "scripts" / "gen_proto.py"), "--out", str(out)], check=True)
    fresh, committed = _tree(out), _tree(COMMITTED)
    assert sorted(fresh) == sorted(committed)
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], "run `make proto` (scripts/gen_proto.py) and commit the result"


def test_every_generated_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(panacea.types.pb.__path__, "panacea.types.pb.")]
    for name in names:
        importlib.import_module(name)
    assert "panacea.types.pb.tendermint.abci.types_pb2" in names
    assert len([n for n in names if n.endswith("_pb2")]) == len(list((REPO / "proto").rglob("*.proto")))

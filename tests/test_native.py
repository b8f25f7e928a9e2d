"""The compiled build (mypyc) and pure Python: when each is used, and that both compute the same chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from panacea import _native
from panacea.sim.harness import Simulation

_SIM = """
import json, sys, tempfile
from panacea import _native
from panacea.sim.harness import Simulation
seed, blocks, digest = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with tempfile.TemporaryDirectory() as home:
    sim = Simulation(seed, home, digest=digest)
    sim.run(blocks)
    sim.close()
print(json.dumps({"status": _native.STATUS.describe(), "hashes": [h.hex() for h in sim.hashes],
                  "results": [h.hex() for h in sim.result_hashes]}))
"""


def _run_sim(seed: int, blocks: int, digest: str, *, pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != _native.PURE_ENV}
    if pure:
        env[_native.PURE_ENV] = "1"
    out = subprocess.run([sys.executable, "-c", _SIM, str(seed), str(blocks), digest], env=env, check=True,
                         capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def _fake_package(root: Path) -> Path:
    pkg = root / "panacea"
    for rel in ("chain/kv.py", "chain/modules/bank/keeper.py", "chain/__init__.py", "types/lp.py", "types/memo.py",
                "types/dec.py", "types/coins.py", "types/events.py", "crypto/address.py", "crypto/signature.py",
                "crypto/merkle.py"):
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(f"# {rel}\n")
    return pkg


def test_compiled_files_are_the_chain_and_its_helpers_without_package_inits() -> None:
    names = [_native.module_name(p) for p in _native.compiled_files()]
    assert "panacea.chain.app" in names and "panacea.chain.store.tree" in names
    assert "panacea.types.lp" in names and "panacea.crypto.signature" in names
    assert "panacea.crypto.merkle" in names  # the state tree's hashing, moved out of chain/store
    assert not any(n.endswith("__init__") for n in names)
    assert not any(n.startswith(("panacea.node", "panacea.client", "panacea.cli")) for n in names)


def test_check_decides_from_the_manifest_the_sources_and_the_environment(tmp_path: Path) -> None:
    pkg = _fake_package(tmp_path)
    files = _native.compiled_files(pkg)
    expected = ("panacea.chain.kv", "panacea.chain.modules.bank.keeper", "panacea.crypto.address",
                "panacea.crypto.merkle", "panacea.crypto.signature", "panacea.types.coins", "panacea.types.dec",
                "panacea.types.events", "panacea.types.lp", "panacea.types.memo")
    assert tuple(_native.module_name(p, pkg) for p in files) == expected

    not_built = _native.check(pkg, {})
    assert (not_built.compiled, not_built.reason, not_built.modules) == (False, "not built", expected)
    assert not_built.describe() == "pure Python (not built)"
    asked = _native.check(pkg, {_native.PURE_ENV: "1"})  # the environment is the reason, built or not
    assert (asked.compiled, asked.reason, asked.modules) == (False, "PANACEA_PURE_PYTHON is set", expected)

    (pkg / _native.MANIFEST).write_text(json.dumps(_native.manifest_for(files, pkg)))
    built = _native.check(pkg, {})
    assert (built.compiled, built.reason, built.modules) == (True, "", expected)
    assert built.describe() == "compiled (mypyc, 10 modules)"
    assert _native.check(pkg, {_native.PURE_ENV: "0"}).compiled
    forced = _native.check(pkg, {_native.PURE_ENV: "1"})
    assert (forced.compiled, forced.reason) == (False, "PANACEA_PURE_PYTHON is set")

    (pkg / "chain" / "kv.py").write_text("# edited after the build\n")
    stale = _native.check(pkg, {})
    assert not stale.compiled and stale.modules == expected
    assert stale.reason == "panacea/chain/kv.py changed since the build; reinstall (make install) to compile it again"
    (pkg / "chain" / "kv.py").unlink()
    assert _native.check(pkg, {}).reason.startswith("panacea/chain/kv.py changed since the build")

    (pkg / _native.MANIFEST).write_text("{not json")
    assert _native.check(pkg, {}).reason == "not built"


def test_the_running_build_loads_all_or_none_of_the_compiled_modules() -> None:
    import panacea.chain.app  # noqa: F401  (imports every hot module)

    status = _native.STATUS
    loaded = {name: _native.loaded_compiled(name) for name in status.modules if name in sys.modules}
    assert "panacea.chain.kv" in loaded and "panacea.chain.app" in loaded
    assert set(loaded.values()) == {status.compiled}, (status.describe(), loaded)
    if os.environ.get("PANACEA_REQUIRE_NATIVE") == "1":  # set by `make test`: CI runs the compiled build
        assert status.compiled, status.describe()


def test_pure_python_is_forced_by_the_environment_in_a_fresh_process() -> None:
    code = ("import sys, panacea._native as n, panacea.chain.app; "
            "print(n.STATUS.describe(), any(n.loaded_compiled(m) for m in n.STATUS.modules if m in sys.modules))")
    env = {**os.environ, _native.PURE_ENV: "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "pure Python (PANACEA_PURE_PYTHON is set) False"
    assert out.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "digest"), [(21, "sha256"), (22, "legacy")])
def test_compiled_and_pure_python_give_the_same_app_hash_and_results_at_every_height(
    tmp_path: Path, seed: int, digest: str
) -> None:
    blocks = 800
    sim = Simulation(seed, tmp_path / "sim", digest=digest)
    try:
        sim.run(blocks)
    finally:
        sim.close()
    pure = _run_sim(seed, blocks, digest, pure=True)
    assert pure["status"] == "pure Python (PANACEA_PURE_PYTHON is set)"
    assert pure["hashes"] == [h.hex() for h in sim.hashes]
    assert pure["results"] == [h.hex() for h in sim.result_hashes]
    assert len(sim.hashes) == blocks + 1 and sim.stats["tx-ok"] > 500 and sim.stats["tx-failed"] > 100

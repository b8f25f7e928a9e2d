"""Cost of VP validation per Data Integrity proof and per VP-JWT, next to didkit's own verify on the same fixtures.

didkit (Rust) is the baseline measured in the same run; its verify_presentation checks only the VP proof,
so the LDP VP row compares our two proofs plus matching with its one.
Usage: PANACEA_PURE_PYTHON=1 .venv/bin/python benchmarks/vp_bench.py [--number N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import didkit  # noqa: E402  (dev dependency: the baseline)

from panacea.oracle.vp import DefaultPresentationValidator, MethodResolver  # noqa: E402
from panacea.oracle.vp.ldp import verify_ldp_proof  # noqa: E402

FIXTURES = ROOT / "tests" / "oracle" / "vp" / "fixtures"
NOW = 1_750_000_000.0


async def _ms_per_call(call: Callable[[], Awaitable[object]], number: int) -> float:
    await call()  # warm caches (resolved contexts, compiled definition)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(number):
            await call()
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1e3


async def _didkit(verify: Callable[[str, str], Awaitable[str]], document: str, options: dict[str, str]) -> None:
    result = json.loads(await verify(document, json.dumps(options)))
    if result["errors"]:
        raise SystemExit(f"didkit rejected a fixture: {result['errors']}")


async def main(number: int) -> None:
    """Print ms per operation, ours and didkit's, and the ratio."""
    vc_text = (FIXTURES / "vc_health.json").read_text()
    vp_ldp = (FIXTURES / "vp_ldp.json").read_bytes()
    vp_jwt = (FIXTURES / "vp_jwt.jwt").read_bytes()
    pd = (FIXTURES / "pd_adult.json").read_bytes()
    vc = json.loads(vc_text)
    issuer = vc["issuer"]
    resolver = MethodResolver()
    validator = DefaultPresentationValidator(clock=lambda: NOW)
    ldp, jwt = {"proofPurpose": "assertionMethod"}, {"proofFormat": "jwt"}
    rows = [
        (
            "one LDP proof (VC)",
            lambda: verify_ldp_proof(vc, resolver, purpose="assertionMethod", controller=issuer, what="credential"),
            lambda: _didkit(didkit.verify_credential, vc_text, ldp),
        ),
        (
            "LDP VP + 1 VC + PD match",
            lambda: validator.validate(vp_ldp, pd),
            lambda: _didkit(didkit.verify_presentation, vp_ldp.decode(), {"proofPurpose": "authentication"}),
        ),
        (
            "JWT VP + 1 JWT VC + PD match",
            lambda: validator.validate(vp_jwt, pd),
            lambda: _didkit(didkit.verify_presentation, vp_jwt.decode().strip(), jwt),
        ),
    ]
    print(f"{'operation':32} {'ours ms':>9} {'didkit ms':>10} {'ratio':>7}")
    for name, ours, baseline in rows:
        ours_ms = await _ms_per_call(ours, number)
        base_ms = await _ms_per_call(baseline, number)
        print(f"{name:32} {ours_ms:9.3f} {base_ms:10.3f} {ours_ms / base_ms:6.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=50, help="calls per timing run")
    asyncio.run(main(parser.parse_args().number))
    sys.stdout.flush()
    os._exit(0)  # didkit's runtime aborts at interpreter shutdown

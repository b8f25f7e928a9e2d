"""``dep demo`` (what ``make demo`` runs) through its console script: a devnet of real processes, the five steps,
the invalid record rejected with the oracle's message, and the payout table to the umed; ``dep demo --presentation``
the same for the credentials flow (DIDs, a hospital's credentials, a presentation-definition deal, a tampered
credential rejected)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from panacea.cli import dep
from panacea.cli.devnet import demo_key_hex
from panacea.client.dep.credentials import did_key
from panacea.crypto.did import did_for_key
from panacea.crypto.keys import PrivateKey

DEP = str(Path(sys.executable).parent / "dep")
PAYOUTS = """\
│ consumer  │ 1,000,000,000,000 │   999,996,500,005 │ -3,499,995 │
│ provider1 │ 1,000,000,000,000 │ 1,000,001,049,999 │ +1,049,999 │
│ provider2 │ 1,000,000,000,000 │ 1,000,001,049,999 │ +1,049,999 │
│ provider3 │ 1,000,000,000,000 │ 1,000,001,049,999 │ +1,049,999 │
│ oracle    │ 1,000,000,000,000 │ 1,000,000,349,998 │   +349,998 │"""


def test_demo_runs_the_five_steps_and_prints_the_payouts(tmp_path: Path) -> None:
    r = subprocess.run([DEP, "demo"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout
    for n, title in enumerate(("Deal registration", "Data validation", "Consent submission", "Incentive distribution",
                               "Data delivery"), 1):
        assert f"Step {n}. {title}" in out
    assert ('✗ provider2 · invalid-dave.json: rejected at validate: failed to validate data: patient_id: "dave" does '
            'not match "^P[0-9]{6}$"') in out
    assert out.count("decrypted, hash verified") == 3
    assert "deal 1 is COMPLETED with 3/3 records; escrow left 0.000000 MED" in out
    assert PAYOUTS in out
    assert ("consumer: budget 3.500000 MED, spent 3.499995 MED (refunded 0.000005 MED); providers received 3.149997 "
            "MED, the oracle 0.349998 MED") in out
    assert list(tmp_path.iterdir()) == []  # the temporary devnet is gone


VP_PAYOUTS = """\
│ consumer             │ 1,000,000,000,000 │   999,998,000,000 │ -2,000,000 │
│ provider1            │ 1,000,000,000,000 │ 1,000,000,900,000 │   +900,000 │
│ provider2            │ 1,000,000,000,000 │ 1,000,000,900,000 │   +900,000 │
│ hospital (provider3) │ 1,000,000,000,000 │ 1,000,000,000,000 │         +0 │
│ oracle               │ 1,000,000,000,000 │ 1,000,000,200,000 │   +200,000 │"""
VP_STEPS = ("Identities", "Credentials", "Deal registration", "Data validation", "Consent submission",
            "Incentive distribution", "Data delivery")
HAS_DID = all(importlib.util.find_spec(m) is not None  # the chain's did module, the oracle's did:panacea resolver
              for m in ("panacea.chain.modules.did", "panacea.oracle.vp.panacea_did"))


def presentation_demo(tmp_path: Path, *flags: str) -> str:
    r = subprocess.run([DEP, "demo", "--presentation", *flags], capture_output=True, text=True, timeout=300,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout
    for n, title in enumerate(VP_STEPS, 1):
        assert f"Step {n}. {title}" in out
    assert ("✗ provider2 · credential edited after issuance (age 41 → 29): rejected at validate: failed to validate "
            "VP: credential 0: signature does not verify") in out
    assert out.count("✓ HealthCredential for provider") == 2
    assert out.count("decrypted, hash verified: a VP by ") == 2
    assert "deal 1 is COMPLETED with 2/2 presentations; escrow left 0.000000 MED" in out
    assert VP_PAYOUTS in out
    assert ("consumer: budget 2.000000 MED, spent 2.000000 MED (refunded 0.000000 MED); providers received 1.800000 "
            "MED, the oracle 0.200000 MED") in out
    assert list(tmp_path.iterdir()) == []
    return out


@pytest.mark.slow
def test_presentation_demo_with_did_key_identities(tmp_path: Path) -> None:
    out = presentation_demo(tmp_path, "--did-key")
    hospital = did_key(PrivateKey.from_hex(demo_key_hex("provider3")).public_key())
    assert f"hospital: {hospital} (did:key: the DID is the key, nothing on chain)" in out
    assert '"age": 34, "country": "KR"' in out


@pytest.mark.slow
@pytest.mark.skipif(not HAS_DID, reason="needs the chain's did module and the oracle's did:panacea resolver")
def test_presentation_demo_registers_did_panacea_on_chain(tmp_path: Path) -> None:
    out = presentation_demo(tmp_path)
    for name in ("provider3", "provider1", "provider2"):
        did = did_for_key(PrivateKey.from_hex(demo_key_hex(name)).public_key())
        label = "hospital" if name == "provider3" else name
        assert f"{label}: registered {did} (MsgCreateDID: its key as #key1, with the ownership proof)" in out
    assert "signed by did:panacea:" in out


def test_did_key_needs_presentation() -> None:
    r = CliRunner().invoke(dep.main, ["demo", "--did-key"])
    assert r.exit_code == 1 and r.output == "Error: --did-key goes with --presentation\n"

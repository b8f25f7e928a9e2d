"""``dep demo`` (what ``make demo`` runs) through its console script: a devnet of real processes, the five steps,
the invalid record rejected with the oracle's message, and the payout table to the umed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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

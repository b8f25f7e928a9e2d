"""The README's "Credentials" shell block runs as written, through bash and the installed ``dep``, against a fresh
loopback network (tests.client.depkit): DIDs registered on chain, a credential issued, a presentation-definition deal
answered twice (a VP file, then a VP made on the fly) and paid. Filled in here: the consumerd URL
(``http://127.0.0.1:8090`` in the README is the loopback consumerd of the test). Skipped until the section is in the
README and the oracle resolves did:panacea."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from panacea.crypto.did import did_for_key
from tests.client import nodekit
from tests.client.depkit import dep_net

REPO = Path(__file__).resolve().parents[2]
SECTION = "Credentials"


def block(section: str) -> str | None:
    """The ```sh blocks under README heading SECTION as one script (continuation lines joined), if it is there."""
    parts = (REPO / "README.md").read_text().split(f"\n## {section}\n", 1)
    if len(parts) == 1:
        return None
    return "\n".join(re.findall(r"```sh\n(.*?)```", parts[1].split("\n## ", 1)[0], re.S)).replace("\\\n", " ")


@pytest.mark.skipif(block(SECTION) is None, reason=f"the README has no '{SECTION}' section yet")
@pytest.mark.skipif(importlib.util.find_spec("panacea.oracle.vp.panacea_did") is None,
                    reason="the oracle's did:panacea resolver is not on this branch yet")
def test_credentials_section(tmp_path: Path) -> None:
    script = block(SECTION)
    assert script is not None
    assert shutil.which("dep", path=str(Path(sys.executable).parent)), "install the package first"
    work = tmp_path / "work"
    shutil.copytree(REPO / "examples", work / "examples")
    with dep_net(tmp_path / "net") as net:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PANACEA_") or k == "PANACEA_PURE_PYTHON"}
        env.update(PATH=f"{Path(sys.executable).parent}:{env['PATH']}", PANACEA_HOME=str(net.node.home),
                   PANACEA_NODE=net.node.rpc, PANACEA_KEYRING_BACKEND="test")
        proc = subprocess.run(["bash", "-c", "set -eo pipefail\n" + script.replace("http://127.0.0.1:8090",
                                                                                   net.storage_url)],
                              cwd=work, env=env, capture_output=True, text=True, check=False, timeout=300)
        assert proc.returncode == 0, (proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr
        with net.node.client() as chain:
            assert chain.deal(1).cur_num_data == 2
    bob = did_for_key(nodekit.key("bob").public_key())
    carol = did_for_key(nodekit.key("carol").public_key())
    assert proc.stdout.startswith(f"{carol}\nissued HealthCredential to {bob} by {carol} (ldp): bob-vc.json\n"
                                  f"created deal 1\npresented 1 credential(s) as {bob} (ldp): bob-vp.json\n")
    assert proc.stdout.count("reward 9000umed for 1 data in deal 1 (oracle commission 1000umed, fees 0umed)") == 2
    assert proc.stdout.endswith(f"authentication   {bob}#key1\nassertionMethod  {bob}#key1\n")

"""The README's "Consumers" and "Providers" shell blocks run as written, through bash and the installed ``dep``,
against a loopback network (tests.client.depkit) in the order a deal lives: the consumer creates the deal, the
provider provides, the consumer fetches (twice: resumed) and deactivates. Filled in here: the consumerd URL
(``http://127.0.0.1:8090`` in the README is the loopback consumerd of the test), and the oracle operator's step the
prose names (the schema registered with the oracle)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from panacea.crypto.jcs import data_hash
from panacea.oracle.schemas import SchemaRegistry
from tests.client import nodekit
from tests.client.depkit import ORACLE_ADDRESS, dep_net

REPO = Path(__file__).resolve().parents[2]
BOB = nodekit.key("bob")


def commands(section: str) -> list[str]:
    """The commands of the ```sh blocks under README heading SECTION (continuation lines joined)."""
    body = (REPO / "README.md").read_text().split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    text = "\n".join(re.findall(r"```sh\n(.*?)```", body, re.S)).replace("\\\n", " ")
    return [line for line in text.splitlines() if line.strip()]


def test_consumers_and_providers_sections(tmp_path: Path) -> None:
    consumer, provider = commands("Consumers"), commands("Providers")
    assert [c.split()[:3] for c in consumer] == [["dep", "oracles", "#"], ["dep", "consumer", "create-deal"],
                                                 ["dep", "consumer", "status"], ["dep", "consumer", "fetch"],
                                                 ["dep", "consumer", "deactivate"]]
    assert [c.split()[:3] for c in provider] == [["dep", "deals", "--status"], ["dep", "provider", "provide"],
                                                 ["dep", "balance", "bob"]]
    assert shutil.which("dep", path=str(Path(sys.executable).parent)), "install the package first"
    work = tmp_path / "work"
    shutil.copytree(REPO / "examples", work / "examples")
    with dep_net(tmp_path / "net", (BOB,)) as net:
        schema = (REPO / "examples" / "person.schema.json").read_bytes()
        SchemaRegistry(net.oracle.home.schemas_dir).add(json.loads(schema)["$id"], schema)  # oracled schema add
        env = {k: v for k, v in os.environ.items() if not k.startswith("PANACEA_") or k == "PANACEA_PURE_PYTHON"}
        env.update(PATH=f"{Path(sys.executable).parent}:{env['PATH']}", PANACEA_HOME=str(net.node.home),
                   PANACEA_NODE=net.node.rpc, PANACEA_KEYRING_BACKEND="test")

        def sh(line: str) -> str:
            line = line.replace("http://127.0.0.1:8090", net.storage_url)
            proc = subprocess.run(["bash", "-c", f"set -eo pipefail; {line}"], cwd=work, env=env,
                                  capture_output=True, text=True, check=False, timeout=120)
            assert proc.returncode == 0, (line, proc.stdout, proc.stderr)
            assert "Traceback" not in proc.stderr
            return proc.stdout

        assert ORACLE_ADDRESS in sh(consumer[0])
        assert sh(consumer[1]) == "created deal 1\n"
        assert "https://example.org/schemas/person.json" in sh(provider[0])
        provided = sh(provider[1])
        assert provided.endswith("reward 9000umed for 1 data in deal 1 (oracle commission 1000umed, fees 0umed)\n")
        assert f"umed     {nodekit.FUNDS + 9000}\n" in sh(provider[2])  # the genesis funds and the reward
        assert "data      1 of 3\n" in sh(consumer[2])
        hash_hex = data_hash((REPO / "examples" / "data.json").read_bytes())
        assert sh(consumer[3]).endswith("1 data in data: 1 fetched, 0 already there\n")
        assert sh(consumer[3]).endswith("1 data in data: 0 fetched, 1 already there\n")
        assert (work / "data" / f"{hash_hex}.json").read_bytes() == (REPO / "examples" / "data.json").read_bytes()
        alice = nodekit.key("alice").bech32()
        assert sh(consumer[4]) == f"deactivated deal 1: 20000umed refunded to {alice}\n"

"""Regenerate the Python protobuf modules under src/panacea/types/pb/ from proto/.

protoc derives a generated module's import path from the .proto file's path, so the sources are
copied under the prefix ``panacea/types/pb/`` (with their cosmos/panacea/tendermint imports
rewritten to match) before compiling. Package names inside the files are untouched, so message
full names and Any type URLs stay exactly as upstream (``/cosmos.bank.v1beta1.MsgSend``).

Usage: python scripts/gen_proto.py [--out DIR]   (default: src/panacea/types/pb)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTO_DIR = REPO / "proto"
DEFAULT_OUT = REPO / "src" / "panacea" / "types" / "pb"
PREFIX = Path("panacea/types/pb")
OWN_ROOTS = ("cosmos", "panacea", "tendermint")
_IMPORT_RE = re.compile(
    r'^(\s*import\s+(?:public\s+|weak\s+)?")((?:' + "|".join(OWN_ROOTS) + r')/[^"]+)(";)', re.MULTILINE
)
INIT_TEXT = ""


def _grpc_tools_include() -> Path:
    import grpc_tools  # type: ignore[import-untyped]

    return Path(grpc_tools.__file__).resolve().parent / "_proto"


def _stage_sources(stage: Path) -> list[str]:
    """Copy proto/ into stage/panacea/types/pb/ with project imports re-rooted; return the file list."""
    rels: list[str] = []
    for src in sorted(PROTO_DIR.rglob("*.proto")):
        rel = src.relative_to(PROTO_DIR)
        dst = stage / PREFIX / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        rerooted = _IMPORT_RE.sub(lambda m: f"{m[1]}{PREFIX.as_posix()}/{m[2]}{m[3]}", text)
        dst.write_text(rerooted, encoding="utf-8")
        rels.append((PREFIX / rel).as_posix())
    return rels


def _write_inits(out: Path) -> None:
    """Every directory holding generated code (and each parent up to out) becomes a package."""
    dirs = {out}
    for f in out.rglob("*.py"):
        d = f.parent
        while d != out and out in d.parents:
            dirs.add(d)
            d = d.parent
    for d in sorted(dirs):
        init = d / "__init__.py"
        if not init.exists():
            init.write_text(INIT_TEXT, encoding="utf-8")


def generate(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="panacea-proto-") as tmp:
        stage = Path(tmp) / "src"
        gen = Path(tmp) / "gen"
        stage.mkdir()
        gen.mkdir()
        files = _stage_sources(stage)
        cmd = [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-I{stage}",
            f"-I{_grpc_tools_include()}",
            f"--python_out={gen}",
            f"--pyi_out={gen}",
            *files,
        ]
        subprocess.run(cmd, check=True, cwd=stage)
        generated = gen / PREFIX
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(generated, out)
    _write_inits(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output package directory")
    args = parser.parse_args(argv)
    generate(args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build: the chain's modules compiled with mypyc (the same source, run as C); metadata is in pyproject.toml.

``PANACEA_PURE_PYTHON=1 pip install .`` skips the compilation (then everything runs as plain Python).
The list of compiled modules lives in ``src/panacea/_native.py``; the build records the SHA-256 of
each compiled source in ``panacea/_native.json`` so that an edited source is never shadowed by a
stale extension (see that module).
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PACKAGE_DIR = ROOT / "src" / "panacea"
native: dict[str, Any] = runpy.run_path(str(PACKAGE_DIR / "_native.py"))
PURE = os.environ.get(native["PURE_ENV"], "") not in ("", "0")


class BuildNative(build_ext):
    """build_ext that also writes the manifest of what it compiled next to the built package."""

    def run(self) -> None:
        super().run()
        if self.inplace or getattr(self, "editable_mode", False):
            target = PACKAGE_DIR
        else:
            target = Path(self.build_lib) / "panacea"
        target.mkdir(parents=True, exist_ok=True)
        manifest = native["manifest_for"](native["compiled_files"](PACKAGE_DIR), PACKAGE_DIR)
        (target / native["MANIFEST"]).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def ext_modules() -> list[Any]:
    if PURE:
        (PACKAGE_DIR / native["MANIFEST"]).unlink(missing_ok=True)  # an in-place build must not vouch for old .so
        return []
    from mypyc.build import mypycify

    files = [str(p.relative_to(ROOT)) for p in native["compiled_files"](PACKAGE_DIR)]
    options = [f"--config-file={ROOT / 'mypyc.ini'}"]  # lenient: the isolated build lacks the runtime deps
    return list(mypycify([*options, *files], opt_level="3", group_name="panacea_native"))


setup(
    ext_modules=ext_modules(),
    cmdclass={"build_ext": BuildNative} if not PURE else {},
)

"""Which modules run compiled: the chain's modules are built with mypyc from this very source.

The build (``setup.py``) compiles :data:`COMPILED_SOURCES` and records each source's SHA-256 in
``_native.json`` beside this file. At import, :func:`install` keeps the compiled modules only while
every recorded source is unchanged; after an edit (or with ``PANACEA_PURE_PYTHON=1``) every one of
them is loaded from its ``.py`` instead — all or none, because compiled modules call each other
directly. Compiled and pure Python run the same code and give the same app hashes (a test checks).
This module is never compiled itself and imports only the standard library (``setup.py`` runs it).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

PURE_ENV = "PANACEA_PURE_PYTHON"
MANIFEST = "_native.json"
PACKAGE_DIR = Path(__file__).resolve().parent
# Paths relative to the package directory; directories mean every module below them except ``__init__``.
COMPILED_SOURCES: tuple[str, ...] = (
    "chain",
    "types/coins.py",
    "types/events.py",
    "types/lp.py",
    "types/memo.py",
    "types/dec.py",
    "crypto/address.py",
    "crypto/signature.py",
    "crypto/merkle.py",  # the state tree's hashing (moved out of chain/store: a leaf the light client shares)
)


def compiled_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The source files the build compiles, sorted."""
    out: set[Path] = set()
    for entry in COMPILED_SOURCES:
        path = package_dir / entry
        if path.is_dir():
            out.update(p for p in path.rglob("*.py") if p.name != "__init__.py")
        else:
            out.add(path)
    return sorted(out)


def module_name(path: Path, package_dir: Path = PACKAGE_DIR) -> str:
    rel = path.relative_to(package_dir).with_suffix("")
    return ".".join((package_dir.name, *rel.parts))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_for(files: Sequence[Path], package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """What the build records: module name -> SHA-256 of the source it compiled."""
    return {module_name(p, package_dir): digest(p) for p in files}


@dataclass(frozen=True)
class Status:
    compiled: bool
    reason: str  # why not, when not compiled ("" when compiled)
    modules: tuple[str, ...]  # the compiled modules (those the build would compile when nothing was built)

    def describe(self) -> str:
        if self.compiled:
            return f"compiled (mypyc, {len(self.modules)} modules)"
        return f"pure Python ({self.reason})"


def check(package_dir: Path = PACKAGE_DIR, environ: dict[str, str] | None = None) -> Status:
    """Decide whether the compiled modules under ``package_dir`` may be used."""
    env = os.environ if environ is None else environ
    path = package_dir / MANIFEST
    try:
        recorded: dict[str, str] = json.loads(path.read_text())
    except (OSError, ValueError):
        recorded = {}
    modules = tuple(sorted(recorded)) or tuple(module_name(p, package_dir) for p in compiled_files(package_dir))
    if env.get(PURE_ENV, "") not in ("", "0"):  # asked for: the reason, whether or not a build is there
        return Status(False, f"{PURE_ENV} is set", modules)
    if not recorded:
        # Nothing recorded: any extension lying here is not ours to trust, so load every source.
        return Status(False, "not built", modules)
    for name in modules:
        source = package_dir.joinpath(*name.split(".")[1:]).with_suffix(".py")
        try:
            changed = digest(source) != recorded[name]
        except OSError:
            changed = True
        if changed:
            return Status(False, f"{source.relative_to(package_dir.parent)} changed since the build; "
                                 "reinstall (make install) to compile it again", modules)
    return Status(True, "", modules)


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Loads the listed modules from their ``.py`` files, ahead of the compiled extensions."""

    def __init__(self, modules: Sequence[str], package_dir: Path) -> None:
        self._modules = frozenset(modules)
        self._package_dir = package_dir

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self._modules:
            return None
        source = self._package_dir.joinpath(*fullname.split(".")[1:]).with_suffix(".py")
        return importlib.util.spec_from_file_location(fullname, source)


STATUS = Status(False, "not checked", ())


def install() -> Status:
    """Called once by ``panacea/__init__``; returns (and keeps in :data:`STATUS`) the decision."""
    global STATUS
    STATUS = check()
    if not STATUS.compiled and STATUS.modules:
        sys.meta_path.insert(0, _SourceFinder(STATUS.modules, PACKAGE_DIR))
        if STATUS.reason not in ("not built",) and not STATUS.reason.startswith(PURE_ENV):
            print(f"panacea: running pure Python: {STATUS.reason}", file=sys.stderr)
    return STATUS


def loaded_compiled(name: str) -> bool:
    """Whether the imported module ``name`` is the compiled extension."""
    module = sys.modules[name]
    return isinstance(getattr(module, "__loader__", None), importlib.machinery.ExtensionFileLoader)

"""Every module under ``chain/modules`` has the same shape (cosmos-sdk ``x/bank`` style): the same file
names, one genesis signature, keepers as the only state writers, other modules reached only through
the Protocols of ``expected_keepers.py``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import panacea.chain.modules

MODULES_DIR = Path(panacea.chain.modules.__file__).parent
MODULES = sorted(p.name for p in MODULES_DIR.iterdir() if (p / "__init__.py").exists())
REQUIRED = ("msgs.py", "keeper.py", "keys.py", "errors.py", "events.py", "queries.py", "genesis.py", "module.py")
GENESIS = {  # the one signature: function -> its parameters
    "default_genesis": [],
    "validate_genesis": ["genesis"],
    "init_genesis": ["ctx", "keeper", "genesis"],
    "export_genesis": ["ctx", "keeper"],
}
STORE_WRITE = re.compile(r"\.kv\([^)]*\)\.(set|delete)\(|\bkv\.(set|delete)\(")


def _tree(module: str, file: str) -> ast.Module:
    return ast.parse((MODULES_DIR / module / file).read_text())


def _keeper_dependencies(module: str) -> dict[str, str]:
    """The ``__init__`` parameters of the module's keeper class: name -> annotation."""
    for node in _tree(module, "keeper.py").body:
        if isinstance(node, ast.ClassDef) and node.name.endswith("Keeper"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    return {a.arg: ast.unparse(a.annotation) for a in item.args.args[1:] if a.annotation is not None}
            return {}
    raise AssertionError(f"{module}/keeper.py defines no *Keeper class")


def test_the_modules_are_the_six_of_the_chain() -> None:
    assert MODULES == ["auth", "bank", "datadeal", "did", "gov", "oracle"]


@pytest.mark.parametrize("module", MODULES)
def test_module_has_every_required_file(module: str) -> None:
    missing = [f for f in REQUIRED if not (MODULES_DIR / module / f).is_file()]
    assert not missing, f"{module} lacks {missing}"


@pytest.mark.parametrize("module", MODULES)
def test_genesis_has_the_one_signature(module: str) -> None:
    functions = {n.name: [a.arg for a in n.args.args] for n in _tree(module, "genesis.py").body
                 if isinstance(n, ast.FunctionDef)}
    assert {name: functions.get(name) for name in GENESIS} == GENESIS


@pytest.mark.parametrize("module", MODULES)
def test_a_keeper_that_uses_another_module_sees_it_through_expected_keepers(module: str) -> None:
    dependencies = _keeper_dependencies(module)
    if not dependencies:
        return
    path = MODULES_DIR / module / "expected_keepers.py"
    assert path.is_file(), f"{module}'s keeper takes {dependencies} but the module has no expected_keepers.py"
    protocols = {n.name for n in ast.parse(path.read_text()).body
                 if isinstance(n, ast.ClassDef) and any(ast.unparse(b) == "Protocol" for b in n.bases)}
    assert set(dependencies.values()) <= protocols, (dependencies, protocols)
    imported = {alias.name for n in _tree(module, "keeper.py").body if isinstance(n, ast.ImportFrom)
                and n.module == f"panacea.chain.modules.{module}.expected_keepers" for alias in n.names}
    assert set(dependencies.values()) <= imported


@pytest.mark.parametrize("module", MODULES)
def test_only_the_keeper_writes_state(module: str) -> None:
    writers = [p.name for p in sorted((MODULES_DIR / module).glob("*.py"))
               if p.name != "keeper.py" and STORE_WRITE.search(p.read_text())]
    assert writers == []


@pytest.mark.parametrize("module", MODULES)
def test_module_py_is_wiring_only(module: str) -> None:
    """No store access, and the class derives from the shared Module with its genesis wired by it."""
    text = (MODULES_DIR / module / "module.py").read_text()
    assert ".kv(" not in text
    assert "super().__init__(keeper, genesis)" in text
    assert not re.search(r"def (default|validate|init|export)_genesis", text)

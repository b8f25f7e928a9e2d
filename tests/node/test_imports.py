"""The node's parts import each other downwards only: no module of panacea.node is part of an import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import panacea.node

NODE_DIR = Path(panacea.node.__file__).parent


def module_name(path: Path) -> str:
    parts = ["panacea", "node", *path.relative_to(NODE_DIR).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(path: Path, known: set[str]) -> set[str]:
    """The panacea.node modules `path` imports at module level (imports inside functions are deferred)."""
    out: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        out.update(n for n in names if n in known)
    return out


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in NODE_DIR.rglob("*.py")}
    known = set(paths)
    return {name: module_imports(path, known) - {name} for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path a → … → a, or [] when the graph has none (depth-first, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        stack.append(name)
        for dep in sorted(graph.get(name, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep):], dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[name] = 2
        return []

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return []


def test_find_cycle_sees_a_cycle_and_a_clean_graph() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_imports_name_modules_and_subpackages() -> None:
    graph = import_graph()
    assert "panacea.node.cometbft.results" in graph["panacea.node.engine.engine"]
    assert "panacea.node.rest.common" in graph["panacea.node.rest.tx"]
    assert "panacea.node.abci.comet" in graph["panacea.node.localnet"]


def test_no_import_cycle_in_the_node() -> None:
    assert find_cycle(import_graph()) == []

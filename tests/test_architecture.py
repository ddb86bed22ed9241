"""The house: imports run one way, no private name crosses a module, modules stay small.

The import graph is read with :mod:`ast` from the source, imports inside functions and under
``TYPE_CHECKING`` included, so a cycle hidden in a function body shows here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gridsurplus

SRC = Path(gridsurplus.__file__).resolve().parent
MAX_LINES = 400
OVERSIZED = {
    # owned by other helpers, who split them in their own branches
    "gridsurplus.dataset.schema",
    "gridsurplus.dataset.validate",
    "gridsurplus.report.build_regions",
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = ["gridsurplus", *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, str, int]]:
    """(imported module, imported name or '', line) of every import in a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found += [(base, alias.name, node.lineno) for alias in node.names]
    return [f for f in found if f[0] == "gridsurplus" or f[0].startswith("gridsurplus.")]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, imported, _ in _imports(name, path):
            target = f"{module}.{imported}" if f"{module}.{imported}" in MODULES else module
            if target != name and target in MODULES:
                graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, or [] (depth-first search with colours)."""
    colour = dict.fromkeys(graph, 0)
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if colour[nxt] == 0 and (found := visit(nxt)):
                return found
        stack.pop()
        colour[node] = 2
        return []

    for node in sorted(graph):
        if colour[node] == 0 and (found := visit(node)):
            return found
    return []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_level_imports() -> None:
    graph = _graph()
    # cli.plan imports the planning package only inside its command function
    assert "gridsurplus.planning" in graph["gridsurplus.cli.plan"]


def test_no_import_cycle() -> None:
    assert _cycle(_graph()) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    private = [
        f"{name}:{line} imports {imported} from {module}"
        for name, path in MODULES.items()
        for module, imported, line in _imports(name, path)
        if imported.startswith("_") and not imported.startswith("__") and module != name
    ]
    assert private == []


def test_modules_are_small() -> None:
    big = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and name not in OVERSIZED
    }
    assert big == {}


def test_economics_reads_no_file() -> None:
    readers = {"open", "read_csv", "read_text", "read_parquet", "safe_load", "exists"}
    calls = [
        f"{name}:{node.lineno} calls {func}"
        for name, path in MODULES.items()
        if name.startswith("gridsurplus.economics")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and (func := getattr(node.func, "attr", getattr(node.func, "id", ""))) in readers
    ]
    assert calls == []

"""The layers run one way, `cli` -> `projections` -> `ledger`, and no module of ours is in
an import cycle (docs/architecture.md).

Every module under src/ and cli/ is parsed with `ast`, and every import counts wherever
it stands: at the top, inside a function, under `if TYPE_CHECKING:`, or as
`import_module("a.literal.name")`. Relative imports are resolved; `import pkg` counts as
importing pkg/__init__.py, and `from pkg import name` as importing the submodule `name`
where there is one.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The packages from the lowest layer up: each may import only the ones before it.
LAYERS = ("ledger", "projections", "cli")
PACKAGES = {"ledger": ROOT / "src" / "ledger", "projections": ROOT / "src" / "projections", "cli": ROOT / "cli"}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    where: str  # file:line, the file relative to the folder holding the packages

    def __str__(self) -> str:
        return f"{self.importer} imports {self.imported} ({self.where})"


def modules(packages: dict[str, Path]) -> dict[str, Path]:
    """Module name -> source file, for every module of the given packages."""
    found = {}
    for package, folder in packages.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [package, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_package(name: str, known: dict[str, Path]) -> bool:
    return known[name].name == "__init__.py"


def _ours(name: str, known: dict[str, Path]) -> str | None:
    """The module of ours that `import name` runs last: name itself or its nearest known
    parent (a name inside a module); None for a module not of our packages."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def _targets(node: ast.AST, importer: str, known: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = importer.split(".")
            if not _is_package(importer, known):
                package.pop()
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            yield submodule if submodule in known else base
    elif isinstance(node, ast.Call):
        function = node.func
        called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
        name = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
        if called in ("import_module", "__import__") and isinstance(name, str) and not name.startswith("."):
            yield name


def imports(packages: dict[str, Path]) -> list[Import]:
    """Every import from one module of ours to another (not to itself)."""
    known = modules(packages)
    top = Path(os.path.commonpath([folder.parent for folder in packages.values()]))
    found: dict[Import, None] = {}
    for importer, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in _targets(node, importer, known):
                imported = _ours(target, known)
                if imported is not None and imported != importer:
                    where = f"{path.relative_to(top).as_posix()}:{getattr(node, 'lineno', 0)}"
                    found[Import(importer, imported, where)] = None
    return list(found)


def backward_imports(found: list[Import], layers: tuple[str, ...] = LAYERS) -> list[Import]:
    """Imports from a lower layer's package into a higher one's."""
    level = {package: n for n, package in enumerate(layers)}
    return [one for one in found if level[one.importer.split(".")[0]] < level[one.imported.split(".")[0]]]


def cycles(found: list[Import]) -> list[list[Import]]:
    """The imports inside each strongly connected component of more than one module
    (Tarjan's algorithm), one list per component."""
    graph: dict[str, set[str]] = {}
    for one in found:
        graph.setdefault(one.importer, set()).add(one.imported)
        graph.setdefault(one.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [
        sorted((one for one in found if one.importer in c and one.imported in c), key=str)
        for c in sorted(components, key=sorted)
    ]


def _report(title: str, lines: list[str]) -> str:
    return "\n".join([title, *(f"  {line}" for line in lines)])


def test_no_package_imports_a_layer_above_it() -> None:
    backward = sorted(backward_imports(imports(PACKAGES)), key=str)
    assert not backward, _report(
        "imports against the layers (cli -> projections -> ledger, never back):", [str(one) for one in backward]
    )


def test_no_module_of_ours_is_in_an_import_cycle() -> None:
    found = cycles(imports(PACKAGES))
    lines = []
    for component in found:
        modules_in = sorted({one.importer for one in component})
        lines.append("cycle: " + ", ".join(modules_in))
        lines.extend(f"  {one}" for one in component)
    assert not found, _report("import cycles between our modules:", lines)


def _tree(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {package: root / package for package in LAYERS}


PLANTED = {
    "ledger/__init__.py": "",
    "ledger/money.py": "import decimal\n",
    "ledger/app.py": "def record():\n    from projections.report import table\n    return table\n",
    "ledger/store/__init__.py": "",
    "ledger/store/tables.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .projector import P\n",
    "ledger/store/projector.py": "from . import tables\nfrom ..money import cents\n",
    "projections/__init__.py": "",
    "projections/report.py": "from ledger.money import cents\nfrom ledger import store\n",
    "cli/__init__.py": "",
    "cli/main.py": "from importlib import import_module\nimport_module('cli.app')\n",
    "cli/app.py": "import projections.report\nfrom cli.main import run\n",
}


def test_the_checker_finds_a_planted_backward_import_inside_a_function(tmp_path: Path) -> None:
    backward = backward_imports(imports(_tree(tmp_path, PLANTED)))

    assert [str(one) for one in backward] == ["ledger.app imports projections.report (ledger/app.py:2)"]


def test_the_checker_finds_planted_cycles_through_relative_type_checking_and_dynamic_imports(
    tmp_path: Path,
) -> None:
    found = cycles(imports(_tree(tmp_path, PLANTED)))

    assert [[str(one) for one in component] for component in found] == [
        ["cli.app imports cli.main (cli/app.py:2)", "cli.main imports cli.app (cli/main.py:2)"],
        [
            "ledger.store.projector imports ledger.store.tables (ledger/store/projector.py:1)",
            "ledger.store.tables imports ledger.store.projector (ledger/store/tables.py:3)",
        ],
    ]


def test_a_package_import_counts_as_its_init_and_a_name_as_the_module_holding_it(tmp_path: Path) -> None:
    found = {(one.importer, one.imported) for one in imports(_tree(tmp_path, PLANTED))}

    assert ("projections.report", "ledger.store") in found  # from ledger import store: a package
    assert ("projections.report", "ledger.money") in found  # from ledger.money import cents: a name
    assert ("ledger.store.projector", "ledger.money") in found  # from ..money import cents
    assert ("cli.app", "projections.report") in found  # import projections.report
    assert not any(imported == "decimal" for _, imported in found)

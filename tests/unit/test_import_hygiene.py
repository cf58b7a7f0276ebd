"""Layering: the domain pulls in neither Textual nor the database, the CLI starts without the
TUI, and no repairdesk module imports itself round a circle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "repairdesk"
DOMAIN = PACKAGE / "domain"


def test_domain_imports_no_ui_and_no_database():
    modules = sorted(f"repairdesk.domain.{p.stem}" for p in DOMAIN.glob("*.py")
                     if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"domain pulls in: {out.stdout.strip()}"


def test_cli_entry_does_not_import_the_tui():
    code = ("import sys\nfrom repairdesk.cli.app import app, _register\n_register()\n"
            "print(','.join(m for m in sys.modules if m.startswith(('textual', 'repairdesk.tui'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------- import circles


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, read from the source (nothing is executed).

    Every `import` and `from ... import` counts wherever it stands (top level, inside a function,
    under TYPE_CHECKING): a function-local import that closes a loop is still a circle.
    `from pkg import name` is an edge to pkg.name when that is a module, else to pkg's
    __init__ (a re-exporting package is a module like any other)."""
    files = {_module_name(root, p): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in files)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    if f"{target}.{alias.name}" in files:
                        edges.add(f"{target}.{alias.name}")
                    elif target in files:
                        edges.add(target)
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as [a, b, ..., a], or None (depth-first, no recursion limit)."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path, on_path = [start], {start}
        stack = [iter(sorted(graph[start]))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif nxt in on_path:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def test_no_import_circles():
    graph = import_graph(PACKAGE)
    # the reader must really see the imports, or an empty graph would pass
    assert "repairdesk.services.ticket_records" in graph["repairdesk.services.tickets"]
    assert "repairdesk.config_reader" in graph["repairdesk.config"]
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_circle_finder_sees_local_relative_and_package_imports(tmp_path: Path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .a import thing\n")
    (pkg / "a.py").write_text("thing = 1\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n")
    (pkg / "sub" / "c.py").write_text("from pkg import thing\n")
    graph = import_graph(pkg)
    assert graph["pkg.sub.b"] == {"pkg.a"}       # function-local, relative, a submodule by name
    assert graph["pkg.sub.c"] == {"pkg"}         # a name re-exported by the package __init__
    assert find_cycle(graph) is None
    (pkg / "a.py").write_text("def g():\n    import pkg.sub.b\n")
    (pkg / "sub" / "__init__.py").write_text("from . import b\n")
    assert find_cycle(import_graph(pkg)) == ["pkg.a", "pkg.sub.b", "pkg.a"]
    (pkg / "a.py").write_text("from .sub.c import x\n")
    assert find_cycle(import_graph(pkg)) == ["pkg", "pkg.a", "pkg.sub.c", "pkg"]

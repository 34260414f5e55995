"""The shape of the code, kept by rules that cannot drift: no import cycle among the project's
modules (function-level imports included, so none can hide one), and no module too long to
read in one sitting."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ikd_dashboard", "kecamatan", "reports")
MAX_LINES = 450


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from pkg import sub` imports the submodule `pkg.sub` when there is one.
            targets = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
            targets.append(base)
        else:
            continue
        found |= {t for t in targets if t in modules and t != name}
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycle_among_the_projects_modules():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_longer_than_450_lines():
    too_long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


# The rooms: kecamatan's packages and the reports app. The project's floor (ikd_dashboard, the
# root modules of kecamatan: models, nik, regions, pagecache, vocabulary…) is below them all.
ROOMS = ("accounts", "dashboard", "institutions", "outreach", "progress", "uploads", "reports")


def _room(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "reports":
        return "reports"
    if parts[0] == "kecamatan" and len(parts) > 2 and parts[1] in ROOMS:
        return parts[1]
    return None


def _two_way_rooms() -> set[frozenset]:
    modules = _modules()
    edges = {
        (_room(name), _room(target))
        for name, path in modules.items()
        for target in _imports(name, path, modules)
    }
    return {frozenset({a, b}) for a, b in edges if a and b and a != b and (b, a) in edges}


def test_no_two_rooms_import_each_other():
    assert _two_way_rooms() == set()


def test_each_rooms_tasks_live_in_its_own_tasks_module():
    """A Celery task is defined in `<room>/tasks.py`; kecamatan/tasks.py only names them for
    Celery's autodiscovery."""
    misplaced = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and any("shared_task" in ast.unparse(d) for d in node.decorator_list)
                and (path.name != "tasks.py" or _room(name) is None)
            ):
                misplaced.append(f"{name}.{node.name}")
    assert misplaced == []

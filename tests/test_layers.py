"""The packages' import layers: no import cycle between modules, no import upwards.

Layers, lowest first: casebook ← extract ← transform ← render ← flows. A module may import from
its own package and from the packages to its left, never from one to its right. Every import
statement counts — at module level, inside a function (a lazy import hides a cycle, it does not
remove it), and under `if TYPE_CHECKING:` (an annotation that names an upper layer is a
dependency on it). The graph comes from grimp, which reads the import statements without
importing anything.
"""

from __future__ import annotations

import grimp
import pytest

LAYERS = ("casebook", "extract", "transform", "render", "flows")

# Violations on main when this test was written, to be removed (issue 22, item 3). While only
# these remain the tests are expected failures; any other violation fails them outright. Remove
# an entry when its violation is gone (the tests then pass).
KNOWN_CYCLES = {
    "transform.corrections → transform.validation.run → transform.corrections",
    "render.validation → render.workbook → render.validation",
}
KNOWN_UPWARD = {  # importer imports imported (any line)
    "casebook.dataset imports transform.export",
    "casebook.dataset imports transform.frames",
    "casebook.dataset imports transform.records",
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*LAYERS, exclude_type_checking_imports=False, cache_dir=None)


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def _imports(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {m: graph.find_modules_directly_imported_by(m) for m in sorted(graph.modules)}


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules each reachable from all others."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


def _cycles(graph: grimp.ImportGraph) -> list[str]:
    """One shortest cycle through the first module of each group of mutually importing modules,
    as `a → b → a`."""
    edges = _imports(graph)
    found = []
    for group in _strongly_connected(edges):
        first = group[0]
        if len(group) == 1 and first not in edges[first]:
            continue
        back = min(
            (graph.find_shortest_chain(importer=nxt, imported=first) or () for nxt in edges[first] if nxt in group),
            key=len,
        )
        found.append(" → ".join((first, *back)))
    return sorted(found)


def _upward(graph: grimp.ImportGraph) -> list[str]:
    """Each module's imports from a package to its right, as `importer imports imported`."""
    return [
        f"{importer} imports {target}"
        for importer, imported in _imports(graph).items()
        for target in sorted(imported)
        if _layer(target) > _layer(importer)
    ]


def _check(found: list[str], known: set[str], graph: grimp.ImportGraph | None = None) -> None:
    def where(violation: str) -> str:  # the lines of an upward import, for the message
        if graph is None:
            return violation
        importer, _, imported = violation.split()
        lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
        return f"{violation} (line {', '.join(map(str, lines))})"

    new = [where(v) for v in found if v not in known]
    assert new == [], "\n".join(new)
    if found:
        pytest.xfail("known violations, to be removed: " + "; ".join(where(v) for v in found))


def test_no_import_cycle_between_modules(graph: grimp.ImportGraph) -> None:
    _check(_cycles(graph), KNOWN_CYCLES)


def test_no_package_imports_from_a_layer_above_it(graph: grimp.ImportGraph) -> None:
    _check(_upward(graph), KNOWN_UPWARD, graph)


def test_the_checks_see_function_level_and_type_checking_imports(graph: grimp.ImportGraph) -> None:
    """The graph holds what the rules are about: a lazy import inside a function, one under
    TYPE_CHECKING, all five packages."""
    lazy = graph.get_import_details(importer="flows.pipeline", imported="extract.run")
    assert lazy and all(d["line_contents"].startswith("from extract.run import") for d in lazy)
    typed = graph.get_import_details(importer="flows.progress", imported="transform.records")
    assert typed and typed[0]["line_contents"] == "from transform.records import Report"
    assert {m.split(".")[0] for m in graph.modules} == set(LAYERS)


def test_a_cycle_and_an_upward_import_are_found() -> None:
    """The checks themselves, on a graph made for them."""
    made = grimp.ImportGraph()
    for module in ("casebook.a", "extract.b", "extract.c", "transform.d"):
        made.add_module(module)
    made.add_import(importer="extract.b", imported="extract.c", line_number=1, line_contents="import extract.c")
    made.add_import(importer="extract.c", imported="extract.b", line_number=2, line_contents="import extract.b")
    made.add_import(importer="extract.b", imported="transform.d", line_number=3, line_contents="import transform.d")
    made.add_import(importer="transform.d", imported="casebook.a", line_number=4, line_contents="import casebook.a")
    assert _cycles(made) == ["extract.b → extract.c → extract.b"]
    assert _upward(made) == ["extract.b imports transform.d"]

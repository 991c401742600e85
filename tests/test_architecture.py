"""The shape of ``macros/`` (DESIGN.md, issue #12): imports flow one way, model ← load ← scan ← normalize ←
enrich ← check ← render ← pipeline ← adapters; no import cycle; only the adapters import MkDocs; no module
over ~400 lines. Every module's imports are read with ``ast`` (imports inside functions too; imports under
``if TYPE_CHECKING:`` are type hints only and left out)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

MACROS = ROOT / "macros"
MAX_LINES = 400
TEMPORARY_SIZE_EXCEPTIONS: dict[str, str] = {}  # module -> why it may be longer for now (none)
ADAPTERS = {"macros", "macros.hooks", "macros.cli"}

# Stage of every module (a package's modules share it); a module may import modules of its own stage or below.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("macros.paths", "macros.settings", "macros.codes", "macros.fuzzy")),
    ("model", ("macros.model",)),
    ("load", ("macros.limits", "macros.discover", "macros.load", "macros.catalog", "macros.history", "macros.attachments",
              "macros.guidefile")),
    ("scan", ("macros.markdown_scan",)),
    ("normalize", ("macros.normalize", "macros.scenarios")),
    ("enrich", ("macros.enrich", "macros.mentions", "macros.resources", "macros.assign")),
    ("check", ("macros.check", "macros.linkcheck")),
    ("render", ("macros.render", "macros.sanitize", "macros.pdf")),
    ("pipeline", ("macros.notecache", "macros.pipeline", "macros.incremental")),
    ("adapters", ("macros", "macros.hooks", "macros.cli")),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(MACROS.rglob("*.py"))}


def stage_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(STAGES):
        if any(module == p or (p != "macros" and module.startswith(p + ".")) for p in prefixes):
            return rank
    raise AssertionError(f"{module}: not in any stage of STAGES (add it)")


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            skipped |= {id(inner) for inner in ast.walk(node)}
    return skipped


def imports_of(module: str, known: set[str]) -> set[str]:
    """Every module (of ``known``, or any other top-level name) that ``module`` imports."""
    path = MODULES[module]
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:  # "from . import x" imports the module x when there is one
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
    return found


GRAPH = {module: {m for m in imports_of(module, set(MODULES)) if m in MODULES and m != module} for module in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (as the list of its modules, first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


@pytest.mark.parametrize("graph, cyclic", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
    ({"a": {"b"}, "b": {"a"}}, True),
    ({"a": {"b", "c"}, "b": {"c"}, "c": {"d"}, "d": {"b"}}, True),
    ({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}, False),  # a diamond is no cycle
])
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], cyclic: bool) -> None:
    cycle = find_cycle(graph)
    assert (cycle is not None) == cyclic
    if cycle:
        assert cycle[0] == cycle[-1] and all(b in graph[a] for a, b in zip(cycle, cycle[1:]))


def test_no_import_cycle() -> None:
    assert find_cycle(GRAPH) is None, " → ".join(find_cycle(GRAPH) or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_one_way(module: str) -> None:
    """A module imports only modules of its own stage or an earlier one; nothing imports an adapter."""
    rank = stage_of(module)
    for target in sorted(GRAPH[module]):
        assert target not in ADAPTERS or module in ADAPTERS and target != "macros", f"{module} imports adapter {target}"
        assert stage_of(target) <= rank, (f"{module} ({STAGES[rank][0]}) imports {target} "
                                          f"({STAGES[stage_of(target)][0]}), a later stage")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_adapters_import_mkdocs(module: str) -> None:
    mkdocs = {m for m in imports_of(module, set(MODULES)) if m.split(".")[0] in {"mkdocs", "mkdocs_macros", "material"}}
    assert module in ADAPTERS or not mkdocs, f"{module} imports {sorted(mkdocs)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_the_size_limit(module: str) -> None:
    lines = len(MODULES[module].read_text("utf-8").splitlines())
    assert lines <= MAX_LINES or module in TEMPORARY_SIZE_EXCEPTIONS, f"{module}: {lines} lines; split it into a package"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_adapters_read_the_environment(module: str) -> None:
    source = MODULES[module].read_text("utf-8")
    reads = "os.environ" in source or "os.getenv" in source
    assert not reads or module in ADAPTERS, f"{module} reads the environment: take it from Settings"


# A regular expression that recognises a code fence or a code span: what is code is the scanner's answer alone
# (macros.markdown_scan, "one reading of the Markdown"); a second regex that decides it disagrees sooner or later.
_CODE_SYNTAX = re.compile(r"`\{\d|~\{\d|`\+|\(`|```|~~~")
_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def code_regexes(source: str) -> list[tuple[int, str]]:
    """(line, pattern) of each regular expression in ``source`` that matches code-fence or code-span syntax."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REGEX_CALLS
                and getattr(node.func.value, "id", "") == "re" and node.args):
            for part in ast.walk(node.args[0]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and _CODE_SYNTAX.search(part.value):
                    found.append((node.lineno, part.value))
    return found


@pytest.mark.parametrize("source, found", [
    ('import re\n_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")\n', True),
    ('import re\nX = re.compile(r"(`+).+?\\1")\n', True),
    ('import re\nre.split(r"(`{3,}[^\\n]*\\n.*?`{3,})", t)\n', True),
    ('import re\nX = re.compile(r"\\[\\[(.*?)\\]\\]")\n', False),
    ('X = "```python"\n', False),  # text written into a page is no decision
])
def test_the_code_regex_finder_finds_them(source: str, found: bool) -> None:
    assert bool(code_regexes(source)) == found


# module -> why its code-syntax regex decides nothing about code
NOT_A_CODE_DECISION = {
    "macros.normalize.essay": "a .txt file with a line starting ``` is Markdown, not an essay",
    # callouts are found through the scan (never in code); this only tells a lazy continuation line of the
    # callout's quote from a line that starts another block (list, heading, fence, table, HTML, admonition)
    "macros.normalize.callouts": "a line starting a new block ends a callout's lazy continuation",
    "macros.normalize.mathml": "counts backticks to write a malformed formula as a code span (writes, decides nothing)",
    "macros.normalize.obsidian": "no hard line break before a line that starts a block (the scan masks code first)",
}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("macros.markdown_scan")))
def test_only_the_scanner_decides_what_is_code(module: str) -> None:
    found = code_regexes(MODULES[module].read_text("utf-8")) if module not in NOT_A_CODE_DECISION else []
    assert not found, f"{module}: {found}: ask the note's scan (macros.markdown_scan) what is code instead"

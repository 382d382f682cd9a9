"""The package's layers: the pure package (ext/edition, outside sphinxext/) is a
stack of subpackages, each importing only from layers below it, and never
imports Sphinx; no import circle; every function-local import says why; what
`edition check` knows does not depend on what happened to be imported first.

The import rules are read from the source (ast), not from a run: an import
only some path reaches is still an import."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support import ROOT

PACKAGE = ROOT / "ext" / "edition"
SPHINX_SIDE = "edition.sphinxext"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


class Import:
    def __init__(self, module: str, node: ast.Import | ast.ImportFrom, targets: list[str], local: bool,
                 type_only: bool):
        self.module, self.line, self.targets = module, node.lineno, targets
        self.local, self.type_only = local, type_only

    def __repr__(self) -> str:
        return f"{MODULES[self.module].relative_to(ROOT)}:{self.line}: imports {', '.join(self.targets)}"


def imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node: ast.AST, local: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                if isinstance(child, ast.ImportFrom):
                    base = package.split(".")
                    if child.level:
                        base = base[: len(base) - (child.level - 1)]
                        source = ".".join([*base, *([child.module] if child.module else [])])
                    else:
                        source = child.module or ""
                    # `from ..reading import contract` imports the module edition.reading.contract
                    targets = [source] + [f"{source}.{a.name}" for a in child.names if f"{source}.{a.name}" in MODULES]
                else:
                    targets = [a.name for a in child.names]
                found.append(Import(module, child, targets, local, type_only))
            is_function = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            guarded = isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            visit(child, local or is_function, type_only or guarded)

    visit(tree, False, False)
    return found


IMPORTS = [i for module in MODULES for i in imports_of(module)]


def test_the_walk_finds_the_imports_it_judges():
    # The rules below mean nothing if the walk misses imports: it sees these.
    assert any(i.module == "edition.checking.check" and "edition.reading.contract" in i.targets for i in IMPORTS)
    assert any(i.module == "edition.sphinxext" and any(t.startswith("sphinx") for t in i.targets) for i in IMPORTS)
    assert any(i.local for i in IMPORTS) and any(i.type_only for i in IMPORTS)


#: The pure package's subpackages, lowest first. A module imports from its own
#: subpackage and from lower layers only; subpackages on one layer are independent
#: of each other. Sphinx (edition.sphinxext) sits above them all.
LAYERS = [
    {"base"},                                # errors, files, addresses, languages, markup
    {"anchoring", "intake"},                 # pure matching; the YAML gate and schemas
    {"model", "reading", "presentation"},    # the typed apparatus; the texts and reading contract; page plans
    {"checking"},                            # the whole project judged (edition check)
    {"formats", "review", "importer"},       # W3C, citations, releases; what changed; edition import
    {"cli"},                                 # the edition command
]
LAYER_OF = {f"edition.{name}": rank for rank, names in enumerate(LAYERS) for name in names}


def subpackage(module: str) -> str | None:
    """The layer subpackage *module* belongs to (edition.reading.texts → edition.reading)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and ".".join(parts[:2]) in LAYER_OF else None


def test_every_pure_module_lives_in_a_layer():
    """Nothing under ext/edition/ but the package's own __init__ sits outside a layer or
    sphinxext: a new module has to say which layer it belongs to."""
    homeless = [m for m in MODULES if m != "edition" and subpackage(m) is None
                and not (m == SPHINX_SIDE or m.startswith(SPHINX_SIDE + "."))]
    assert homeless == [], f"put these in a subpackage listed in LAYERS: {homeless}"
    on_disk = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} - {"sphinxext"}
    assert {f"edition.{n}" for n in on_disk} == set(LAYER_OF)


def breaches_of(imports: list[Import], home, layer_of: dict[str, int], above) -> list[tuple[Import, str]]:
    """The layer rule, for either side: each import by a module with a *home* subpackage
    of another subpackage on its own layer or higher, or of what *above* names as
    over every layer (it returns that name, or None), with what it reaches."""
    breaches = []
    for i in imports:
        own = home(i.module)
        if own is None:
            continue
        for target in i.targets:
            top = above(i, target)
            if top is not None:
                breaches.append((i, top))
                continue
            other = home(target)
            if other is not None and other != own and layer_of[other] >= layer_of[own]:
                breaches.append((i, other))
    return breaches


def layer_breaches(imports: list[Import]) -> list[tuple[Import, str]]:
    """Each import of a layer module from sphinxext, or from another subpackage on
    its own layer or above, with the subpackage it reaches."""
    def sphinx_side(_, target: str) -> str | None:
        return SPHINX_SIDE if target == SPHINX_SIDE or target.startswith(SPHINX_SIDE + ".") else None

    return breaches_of(imports, subpackage, LAYER_OF, sphinx_side)


def test_no_module_imports_from_a_layer_above_or_beside_it():
    assert layer_breaches(IMPORTS) == [], "an import from the same or a higher layer"


@pytest.mark.parametrize("module, target, breach", [
    ("edition.base.errors", "edition.cli.commands", "edition.cli"),           # upward
    ("edition.model.glossary", "edition.reading.texts", "edition.reading"),   # beside, same layer
    ("edition.reading.texts", "edition.sphinxext.state.domain", SPHINX_SIDE),    # into Sphinx
    ("edition.formats.w3c", "edition.reading.contract", None),                # downward: fine
    ("edition.reading.texts", "edition.reading.nodes", None),                 # within: fine
])
def test_the_layer_rule_judges_made_up_imports(module, target, breach):
    node = ast.parse(f"import {target}\n").body[0]
    found = layer_breaches([Import(module, node, [target], False, False)])
    assert [other for _, other in found] == ([breach] if breach else [])


def test_the_pure_package_never_imports_sphinx():
    """Docutils (the node model the texts and notes are read into) is allowed;
    Sphinx, and what only Sphinx provides, belongs under edition/sphinxext/."""
    offending = [
        i for i in IMPORTS
        if not (i.module == SPHINX_SIDE or i.module.startswith(SPHINX_SIDE + "."))
        and any(t == "sphinx" or t.startswith("sphinx.") or t.startswith(SPHINX_SIDE) for t in i.targets)
    ]
    assert offending == []


def test_no_import_circle():
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in IMPORTS:
        if not i.type_only:  # annotations only: never run
            edges[i.module] |= {t for t in i.targets if t in MODULES and t != i.module}
    # Every module reached from itself is on a circle (Tarjan would name them; this is enough).
    circles = []
    for start in MODULES:
        seen, todo = set(), list(edges[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo += edges[module]
        if start in seen:
            circles.append(start)
    # A package's __init__ and its modules are one unit when they import each other.
    circles = [m for m in circles if not any(m != o and (o.startswith(m + ".") or m.startswith(o + "."))
                                               for o in circles)]
    assert circles == [], f"modules on an import circle: {circles}"


def _says_why(lines: list[str], line: int) -> bool:
    """A comment on the import's line, or on the line above it or above the run of
    imports it belongs to."""
    if "#" in lines[line - 1]:
        return True
    above = line - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        if "#" in lines[above]:
            return True
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_every_function_local_import_says_why():
    silent = []
    for i in IMPORTS:
        if i.local:
            lines = MODULES[i.module].read_text(encoding="utf-8").splitlines()
            if not _says_why(lines, i.line):
                silent.append(i)
    assert silent == [], "import at the top of the module, or say why not in a comment: " + repr(silent)


def run_fresh(code: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """*code* in a new interpreter: nothing imported before it but what it imports."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


NOTE_WITH_ROLES = """\
text: made-up
notes:
  - id: made-up-roles
    kind: editorial
    anchor:
      exact: "anything"
    body: |
      See {term}`nep`, {person}`Trotsky <trotsky>` and {work}`revolution-betrayed`,
      but not {unknown}`x`.
"""


def test_a_notes_file_alone_knows_the_edition_roles(tmp_path):
    """Only the notes-file reader imported: {term}, {person} and {work} are known
    roles (no register module had to be imported first), an unknown one is not."""
    notes = tmp_path / "made-up.yaml"
    notes.write_text(NOTE_WITH_ROLES, encoding="utf-8")
    result = run_fresh(f"""
        import sys
        from edition.model.annotations import load_notes_file
        notes, diagnostics = load_notes_file(__import__("pathlib").Path({str(notes)!r}))
        for d in diagnostics:
            print(d.format())
        print("roles:", sorted(name for name, _, _ in notes.notes[0].roles))
        print("sphinx imported:", any(m == "sphinx" or m.startswith("sphinx.") for m in sys.modules))
    """)
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stdout.splitlines() if "role" in line and "roles:" not in line]
    assert len(problems) == 1 and "unknown role {unknown}" in problems[0], result.stdout
    assert "roles: ['person', 'term', 'unknown', 'work']" in result.stdout or "roles: ['person', 'term', 'work']" in \
        result.stdout, result.stdout
    assert "sphinx imported: False" in result.stdout


def test_edition_check_runs_without_sphinx_and_checks_role_targets(tmp_path):
    """`edition check` from the CLI in a fresh process: a {term} naming no glossary
    entry is an error at its line, and Sphinx is never imported."""
    import shutil

    annotations = shutil.copytree(ROOT / "annotations", tmp_path / "annotations")
    notes = sorted((annotations / "notes").glob("*.yaml"))[0]
    content = notes.read_text(encoding="utf-8")
    first_body = content.index("    body: |\n") + len("    body: |\n")
    notes.write_text(content[:first_body] + "      See {term}`no-such-term`.\n" + content[first_body:],
                     encoding="utf-8")
    line = content[:first_body].count("\n") + 1
    result = run_fresh(f"""
        import sys
        from edition.cli.commands import main
        code = main(["check", "--docs", {str(ROOT / "docs")!r}, "--annotations", {str(annotations)!r}])
        print("code", code)
        print("sphinx imported:", any(m == "sphinx" or m.startswith("sphinx.") for m in sys.modules))
    """)
    assert "code 1" in result.stdout, result.stdout + result.stderr
    assert f"{notes.name}:{line}:" in result.stderr and "{term} 'no-such-term' is not an id" in result.stderr, \
        result.stderr
    assert "sphinx imported: False" in result.stdout


# --- the Sphinx side by role --------------------------------------------------------------

#: edition.sphinxext's subpackages, lowest first, as LAYERS above: a module imports from its
#: own subpackage and from lower layers only. Beside them, setup() (the package's __init__)
#: on top and the leaves every layer may use: priorities, settings, writers.
SPHINX_LAYERS = [
    {"state", "print"},         # the domain and its records, the loaded inputs; LaTeX languages, the book builder
    {"transforms"},             # sources to doctrees: text header, notes, linker, roles, listings, citation data
    {"registers", "html"},      # the registers' wing; the HTML side (translators, navigation, search, changes)
    {"epub"},                   # the EPUB's metadata and index pages (uses the registers' indices)
]
SPHINX_LAYER_OF = {f"{SPHINX_SIDE}.{name}": rank for rank, names in enumerate(SPHINX_LAYERS) for name in names}
SPHINX_LEAVES = {f"{SPHINX_SIDE}.{name}" for name in ("priorities", "settings", "writers")}


def sphinx_subpackage(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:3]) if ".".join(parts[:3]) in SPHINX_LAYER_OF else None


def sphinx_breaches(imports: list[Import]) -> list[tuple[Import, str]]:
    def setup_module(i: Import, target: str) -> str | None:
        # `from .. import priorities` names the package, then the leaf (the next target).
        return SPHINX_SIDE if target == SPHINX_SIDE and len(i.targets) == 1 else None

    return breaches_of(imports, sphinx_subpackage, SPHINX_LAYER_OF, setup_module)


def test_every_sphinx_module_lives_in_a_role():
    homeless = [m for m in MODULES if m.startswith(SPHINX_SIDE + ".") and sphinx_subpackage(m) is None
                and m not in SPHINX_LEAVES]
    assert homeless == [], f"put these in a subpackage listed in SPHINX_LAYERS: {homeless}"
    on_disk = {p.name for p in (PACKAGE / "sphinxext").iterdir() if (p / "__init__.py").is_file()}
    assert {f"{SPHINX_SIDE}.{n}" for n in on_disk} == set(SPHINX_LAYER_OF)


def test_the_sphinx_side_imports_only_downwards():
    assert sphinx_breaches(IMPORTS) == [], "an import from the same or a higher layer of edition.sphinxext"


@pytest.mark.parametrize("module, target, breach", [
    ("edition.sphinxext.registers.indices", "edition.sphinxext.html.navigation", "edition.sphinxext.html"),
    ("edition.sphinxext.state.domain", "edition.sphinxext.transforms.linking", "edition.sphinxext.transforms"),
    ("edition.sphinxext.transforms.notes", "edition.sphinxext", "edition.sphinxext"),  # setup() is the top
    ("edition.sphinxext.html.search", "edition.sphinxext.state.records", None),
    ("edition.sphinxext.epub.indices", "edition.sphinxext.registers.indices", None),
])
def test_the_sphinx_layer_rule_judges_made_up_imports(module, target, breach):
    node = ast.parse(f"import {target}\n").body[0]
    found = sphinx_breaches([Import(module, node, [target], False, False)])
    assert [other for _, other in found] == ([breach] if breach else [])

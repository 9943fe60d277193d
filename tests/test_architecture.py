"""The features keep one direction (ARCHITECTURE.md): a module imports only from its own
feature or from a lower layer, and never inside a function to get round that.

Read from the source (AST), so an upward import fails here before it can make a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "narrative_service"

# Lowest first. A module belongs to the layer of the longest prefix that names it; a
# feature is the first part of that prefix ("themes.analysis" is the analysis feature).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundations",
        (
            "extensions",
            "errors",
            "timeutil",
            "units",
            "config",
            "database",
            "signals",
            "jsonl",
            "language",
            "lines",
            "csv_cells",
            "forms",
            "request_checks",
            "downloads",
            "erasure",
            "jobs",
        ),
    ),
    ("audit log", ("audit",)),
    ("accounts", ("auth",)),
    ("pages", ("web", "templating", "assets", "auth.views", "audit.views")),
    (
        "services",
        (
            "redaction",
            "transcription.audio",
            "transcription.batching",
            "transcription.engines",
            "transcription.openai_engine",
            "transcription.convert",
            "transcription.pipeline",
            "transcription.speakers",
            "transcription.voices",
        ),
    ),
    ("capabilities", ("transcription", "themes")),
    ("narratives", ("narratives",)),
    ("reflection", ("reflection",)),
    ("analysis", ("themes.analysis", "themes.analysis_views")),
    ("milestones", ("milestones",)),
    ("application", ("", "home", "demo", "health", "cli", "models", "server", "__main__")),
]
# Layers whose modules are shared helpers or the composition itself: any of them may use
# any other in the same layer.
FLAT_LAYERS = {"foundations", "pages", "application"}
# The package's __init__ makes the app: it imports the features' views when create_app
# runs, because the package is imported before any module in it.
COMPOSITION_ROOT = "narrative_service"


@dataclass(frozen=True)
class Place:
    layer: int
    prefix: str

    @property
    def feature(self) -> str:
        return self.prefix.split(".")[0]


def place(module: str) -> Place:
    relative = module.removeprefix("narrative_service").lstrip(".")
    best: Place | None = None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            names_it = relative == prefix or (prefix and relative.startswith(prefix + "."))
            if names_it and (best is None or len(prefix) > len(best.prefix)):
                best = Place(index, prefix)
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md")
    return best


@dataclass(frozen=True)
class Import:
    module: str
    target: str
    line: int
    inside_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[Import]:
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_functions = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "narrative_service" or target.startswith("narrative_service."):
                found.append(Import(module, target, node.lineno, id(node) in in_functions))
    return found


def resolve(target: str) -> str:
    """The module an import names: "narrative_service.web.apply_rule" is narrative_service.web."""
    parts = target.split(".")
    while len(parts) > 1:
        relative = Path(*parts[1:])
        if (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative).is_dir():
            return ".".join(parts)
        parts.pop()
    return parts[0]


def all_imports() -> list[Import]:
    return [found for path in sorted(PACKAGE.rglob("*.py")) for found in imports_of(path)]


def upward(found: Import) -> str | None:
    """Why this import breaks the order, or None when it keeps it."""
    source, target = place(found.module), place(resolve(found.target))
    if source.feature == target.feature and source.layer >= target.layer:
        return None
    if target.layer < source.layer:
        return None
    if target.layer == source.layer and LAYERS[source.layer][0] in FLAT_LAYERS:
        return None
    source_layer, target_layer = LAYERS[source.layer][0], LAYERS[target.layer][0]
    if target.layer == source.layer:
        return f"{source.feature} and {target.feature} are beside each other in {source_layer}"
    return f"{source_layer} must not import {target_layer}"


def test_every_module_has_a_layer():
    for path in sorted(PACKAGE.rglob("*.py")):
        place(module_name(path))


def test_no_feature_imports_a_higher_one():
    broken = [
        f"{found.module}:{found.line} imports {found.target}: {reason}"
        for found in all_imports()
        if (reason := upward(found))
    ]
    assert broken == [], "\n".join(broken)


def test_no_import_hides_inside_a_function():
    hidden = [
        f"{found.module}:{found.line} imports {found.target} inside a function"
        for found in all_imports()
        if found.inside_function and found.module != COMPOSITION_ROOT
    ]
    assert hidden == [], "\n".join(hidden)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rule itself: a capability reaching up to narratives is named, with the layers."""
    reaching_up = Import(
        "narrative_service.themes.tagging", "narrative_service.narratives", 9, False
    )
    assert upward(reaching_up) == "capabilities must not import narratives"
    beside = Import(
        "narrative_service.themes.tagging", "narrative_service.transcription.rules", 3, False
    )
    assert "beside each other" in upward(beside)
    assert (
        upward(
            Import(
                "narrative_service.milestones.rules", "narrative_service.themes.models", 1, False
            )
        )
        is None
    )
    written = tmp_path / "narrative_service" / "themes" / "x.py"
    written.parent.mkdir(parents=True)
    written.write_text("def f():\n    from ..narratives import access\n")
    (hidden,) = [
        Import("narrative_service.themes.x", found.target, found.line, found.inside_function)
        for found in _imports_in(written, tmp_path)
    ]
    assert hidden.inside_function and hidden.target == "narrative_service.narratives"


def _imports_in(path: Path, root: Path) -> list[Import]:
    global PACKAGE
    saved, PACKAGE = PACKAGE, root / "narrative_service"
    try:
        return imports_of(path)
    finally:
        PACKAGE = saved

"""The package keeps its one-way architecture (docs/CONTRIBUTING.md).

Every import counts, at module level or inside a function: each module of
``kerazoo`` sits in a layer of ``LAYERS`` and imports only from its own layer
or those below it, and no group of modules imports itself in a circle.
Two imports are implied by Python for every module and so are left out: the
``kerazoo`` package itself (its light public face) and a module's own parent
packages. Families are found by a folder scan (``registry.import_family_modules``),
not imported, so the registries stay below the families they list.
"""

import ast
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kerazoo"

# Lowest first. A module belongs to the first layer with a matching pattern.
LAYERS = [
    ("kerazoo.errors",),
    ("kerazoo.json_files", "kerazoo.options", "kerazoo.markdown", "kerazoo.versions",
     "kerazoo.codec", "kerazoo.train.config"),  # the config registry entries declare
    ("kerazoo.layers", "kerazoo.layers.*"),
    ("kerazoo.models", "kerazoo.models.*"),
    ("kerazoo.registry",),
    ("kerazoo.data", "kerazoo.data.*"),
    ("kerazoo.tasks", "kerazoo.tasks.*"),
    ("kerazoo.hub_index",),
    ("kerazoo.hub",),
    ("kerazoo.zoo",),
    ("kerazoo.predict",),
    ("kerazoo.generate", "kerazoo.evaluate"),
    ("kerazoo.families", "kerazoo.families.hooks"),
    ("kerazoo.families.*",),
    ("kerazoo.train", "kerazoo.train.*"),
    ("kerazoo.export", "kerazoo.export.*"),
    ("kerazoo.cards",),
    ("kerazoo.readme", "kerazoo.hub_release"),
    ("kerazoo.bench", "kerazoo.bench.*"),
    ("kerazoo.cli", "kerazoo.cli.*"),
    ("kerazoo", "kerazoo.__main__"),
]


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _target(name):
    """The kerazoo module that importing ``name`` runs (a module or its package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports(module):
    """``{(line, imported kerazoo module)}`` of every import statement in ``module``."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # ``from package import submodule`` imports the submodule.
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES
                     else node.module for alias in node.names]
        else:
            continue
        found |= {(node.lineno, _target(name)) for name in names
                  if name.split(".")[0] == "kerazoo"}
    implied = {"kerazoo", module} | {module.rsplit(".", n)[0] for n in range(1, module.count("."))}
    return {(line, target) for line, target in found if target not in implied}


def layer(module):
    return next(i for i, patterns in enumerate(LAYERS)
                if any(fnmatch.fnmatchcase(module, p) for p in patterns))


def test_every_module_has_a_layer():
    for module in MODULES:
        layer(module)  # StopIteration names a module LAYERS forgot


def test_nothing_imports_from_a_layer_above():
    offenders = [f"{MODULES[m].relative_to(ROOT)}:{line} imports {target} "
                 f"(layer {layer(target)} > {layer(m)})"
                 for m in MODULES for line, target in sorted(imports(m))
                 if layer(target) > layer(m)]
    assert not offenders, "\n".join(offenders)


def _cycles(graph):
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycles_even_inside_functions():
    graph = {m: {target for _, target in imports(m)} for m in MODULES}
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_check_finds_a_function_level_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _imported_modules(pattern):
    for path in sorted(PACKAGE.glob(pattern)):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, node.module


@pytest.mark.parametrize("pattern", ["layers/**/*.py", "models/**/*.py",
                                     "families/*/model.py", "families/*/entries.py"])
def test_layers_and_models_are_backend_agnostic(pattern):
    """Only keras (not TensorFlow) there, so models also build under JAX/PyTorch."""
    offenders = [f"{p.relative_to(PACKAGE)}: {m}" for p, m in _imported_modules(pattern)
                 if m.split(".")[0] in ("tensorflow", "tf_keras", "torch", "jax")]
    assert not offenders


def test_shared_machinery_names_no_data_set_or_task():
    """Registry, train, export, zoo and cli ask the families' hooks instead."""
    import kerazoo

    names = set(kerazoo.list_models())
    specs = [kerazoo.get_spec(n) for n in names]
    words = {s.dataset for s in specs} | {s.task for s in specs}
    shared = ["registry.py", "zoo.py", "cards.py", "readme.py", "train/**/*.py",
              "export/**/*.py", "cli/**/*.py"]
    offenders = []
    for pattern in shared:
        for path in sorted(PACKAGE.glob(pattern)):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and node.value in words:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert not offenders, "\n".join(offenders)

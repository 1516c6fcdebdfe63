"""The package keeps its one-way architecture (docs/CONTRIBUTING.md)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kerazoo"


def imported_modules(folder, pattern="*.py"):
    for path in sorted((PACKAGE / folder).rglob(pattern)):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, node.module


@pytest.mark.parametrize("folder, pattern", [("layers", "*.py"), ("models", "*.py"),
                                             ("families", "model.py"), ("families", "entries.py")])
def test_layers_and_models_are_backend_agnostic(folder, pattern):
    """Only keras (not TensorFlow) there, so models also build under JAX/PyTorch."""
    offenders = [f"{p.relative_to(PACKAGE)}: {m}" for p, m in imported_modules(folder, pattern)
                 if m.split(".")[0] in ("tensorflow", "tf_keras", "torch", "jax")]
    assert not offenders


@pytest.mark.parametrize("folder, forbidden", [
    ("layers", ("kerazoo.models", "kerazoo.data", "kerazoo.train", "kerazoo.export")),
    ("models", ("kerazoo.data", "kerazoo.train", "kerazoo.export", "kerazoo.cli")),
    ("export", ("kerazoo.train", "kerazoo.cli", "recipes")),
])
def test_nothing_below_imports_from_above(folder, forbidden):
    offenders = [f"{p.relative_to(PACKAGE)}: {m}" for p, m in imported_modules(folder)
                 if m.startswith(forbidden)]
    assert not offenders

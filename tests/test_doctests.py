"""Every ``>>>`` example in the package runs and shows what it says.

One test per module, in a fresh working folder (examples may write files).
An example that cannot run here (it needs a photo of the user's, a trained
run or minutes of work) says so with ``# doctest: +SKIP`` and a reason
beside it, so skipping is a visible choice, not a silent one.
"""

import doctest
import importlib
from pathlib import Path

import pytest

import kerazoo

PACKAGE = Path(kerazoo.__file__).parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _module_names():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # running it is the CLI, not an import
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _with_examples(names):
    return [name for name in names if ">>>" in _source(name)]


def _source(name):
    path = PACKAGE.parent.joinpath(*name.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return path.read_text(encoding="utf-8")


# Modules whose examples take many CPU seconds, run under -m slow (CI): the bench suite's runs
# a quick benchmark (32 CPU s), the addition and pku_pos loaders' read a whole data set (9 and 6).
SLOW = {"kerazoo.bench.suite", "kerazoo.families.seq2seq.data_addition",
        "kerazoo.families.text.data_pku_pos"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n
                                  for n in _with_examples(_module_names())])
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, f"{failed} of {attempted} examples in {name} failed (output above)"

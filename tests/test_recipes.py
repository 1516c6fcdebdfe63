"""Every recipe runs its ``--quick`` smoke version and documents its command."""

import json
import pathlib
import runpy
import sys

import pytest

RECIPES = sorted(p for p in (pathlib.Path(__file__).parents[1] / "recipes").glob("*.py")
                 if not p.name.startswith("_"))


def test_there_is_a_recipe_per_mnist_model():
    import kerazoo

    names = {p.stem for p in RECIPES}
    assert set(kerazoo.list_models("*_mnist")) <= names


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda p: p.stem)
def test_recipe_docstring_states_command_and_result(recipe):
    doc = recipe.read_text().split('"""')[1]
    assert f"python recipes/{recipe.name}" in doc
    assert "Result:" in doc


def test_a_refused_training_option_is_a_usage_error(monkeypatch, capsys):
    """The recipe builds the run's TrainConfig from its options as ``kerazoo train`` does:
    a value the config refuses stops it with one error line and exit status 2."""
    monkeypatch.syspath_prepend(str(RECIPES[0].parent))
    from _recipe import main

    with pytest.raises(SystemExit) as stop:
        main("lstm_mnist", ["--quick", "--epochs", "0"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "recipes/lstm_mnist.py: error: epochs must be a whole number >= 1, got 0.")


# Each smoke run trains for real (tens of seconds on 2 busy cores): by default
# only one runs; `pytest -m slow tests/test_recipes.py` runs every recipe.
QUICK_BY_DEFAULT = "lstm_mnist"


@pytest.mark.parametrize("recipe", [
    p if p.stem == QUICK_BY_DEFAULT else pytest.param(p, marks=pytest.mark.slow)
    for p in RECIPES], ids=lambda p: p.stem)
def test_quick_run(recipe, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(recipe), "--quick", "--output", str(tmp_path)])
    monkeypatch.syspath_prepend(str(recipe.parent))
    runpy.run_path(str(recipe), run_name="__main__")
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["model"] == recipe.stem and metrics["epochs"] == 1
    assert (tmp_path / "model.keras").exists()
    if recipe.stem.endswith("_mnist"):  # --quick keeps 96 examples of every split
        assert metrics["num_examples"] == 96


@pytest.mark.slow
def test_the_readme_quick_command_runs_twice(tmp_path, monkeypatch):
    # `python recipes/lstm_mnist.py --quick` is the README's set-up command: its
    # own runs/<name>_quick folder is replaced, while a named --output is kept.
    recipes = pathlib.Path(__file__).parents[1] / "recipes"
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(recipes))
    from _recipe import main

    first = main("lstm_mnist", ["--quick", "--seed", "1"])
    second = main("lstm_mnist", ["--quick", "--seed", "2"])
    assert (first["seed"], second["seed"]) == (1, 2)
    assert json.loads((tmp_path / "runs/lstm_mnist_quick/metrics.json").read_text())["seed"] == 2
    main("lstm_mnist", ["--quick", "--output", "mine"])
    with pytest.raises(ValueError, match="--overwrite"):
        main("lstm_mnist", ["--quick", "--output", "mine"])

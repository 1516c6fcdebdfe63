"""The zoo: packaging runs, verified loading, re-evaluation and the generated README table."""

import json
import shlex
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

import kerazoo
from kerazoo.cards import package, read_card, read_cards, reproduce_command, results_markdown
from kerazoo.markdown import replace_block
from kerazoo.readme import update_readme_text
from kerazoo.registry import option_defaults
from kerazoo.zoo import models_dir

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [card["name"] for card in read_cards()]
# Re-measuring a card takes 3 s to 2 minutes on 2 cores (a whole test split): the default
# run re-measures one shipped model, so that the path from card to number stays tested;
# `pytest -m slow` (which CI runs after the default run) re-measures every card.
_VERIFIED_BY_DEFAULT = {"lstm_mnist"}


@pytest.fixture
def tiny_run(tmp_path):
    keras.utils.set_random_seed(0)
    model = kerazoo.build("lstm_mnist", hidden_size=4)
    run = tmp_path / "run"
    run.mkdir()
    model.save(run / "model.keras")
    (run / "metrics.json").write_text(json.dumps({
        "model": "lstm_mnist", "source": "mnist_5k", "split": "test", "accuracy": 0.1,
        "num_examples": 1000, "epochs": 1, "seed": 0}))
    return run


def test_package_writes_verified_artifacts_and_never_overwrites(tiny_run, tmp_path, monkeypatch):
    zoo = tmp_path / "zoo"
    target = package(tiny_run, dest=zoo)
    card = json.loads((target / "card.json").read_text())
    assert {"model.keras", "model.tflite"} <= set(card["artifacts"])
    assert card["metrics"]["accuracy"] == 0.1 and card["num_params"] > 0
    assert card["tflite"]["max_abs_diff"] <= 1e-5
    assert "tensorflow" in card["versions"]
    with pytest.raises(FileExistsError):
        package(tiny_run, dest=zoo)
    monkeypatch.setenv("KERAZOO_MODELS", str(zoo))
    assert kerazoo.load("lstm_mnist").count_params() == card["num_params"]
    assert "lstm_mnist" in results_markdown(zoo)


def test_card_command_repeats_the_run_including_a_continuation():
    assert reproduce_command("lstm_mnist", {"seed": 0}) == "python recipes/lstm_mnist.py"
    continued = {"seed": 22, "init_from": "saved_models/x/model.keras", "epochs": 50,
                 "learning_rate": 0.001}
    assert reproduce_command("cnn_gru_captcha", continued) == (
        "python recipes/cnn_gru_captcha.py --seed 22 --init-from saved_models/x/model.keras"
        " --epochs 50 --learning-rate 0.001")


@pytest.mark.parametrize("name", SHIPPED)
def test_card_command_reproduces_the_recorded_run(name, monkeypatch):
    """The card's command, read by the recipe's own parser, trains what the card records."""
    from kerazoo.cli.train import training_kwargs

    card, spec = read_card(models_dir() / name / "card.json"), kerazoo.get_spec(name)
    words = shlex.split(reproduce_command(name, card))
    assert words[:2] == ["python", f"recipes/{name}.py"]
    monkeypatch.syspath_prepend(str(ROOT / "recipes"))
    from _recipe import parse_args

    run = training_kwargs(parse_args(name, words[2:]))
    assert (run["seed"], run["source"]) == (card["seed"], card["source"])
    assert run["init_from"] == card.get("init_from")
    assert run["mixed_precision"] == card.get("mixed_precision", False)
    for key in ("epochs", "batch_size", "learning_rate"):  # the config the command builds
        assert getattr(run["config"], key) == card[key], key
    # An option the entry sets today but the run did not record had the loader's default.
    loader = kerazoo.data.option_defaults(spec.dataset)
    recorded = {**{k: loader[k] for k in spec.train.data if k in loader},
                **card["data_options"]}
    assert {**spec.train.data, **run["data_options"]} == recorded
    built = {**option_defaults(name), **run["overrides"]}
    assert {key: built[key] for key in card["overrides"]} == card["overrides"]


def test_load_detects_corruption_and_missing_models(tiny_run, tmp_path, monkeypatch):
    zoo = tmp_path / "zoo"
    target = package(tiny_run, dest=zoo)
    monkeypatch.setenv("KERAZOO_MODELS", str(zoo))
    # Not in KERAZOO_MODELS, no clone, nothing cached, the hub unreachable (tests/test_hub.py).
    monkeypatch.setattr(kerazoo.zoo, "clone_dir", lambda: tmp_path / "no_clone")
    monkeypatch.setenv("KERAZOO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAZOO_HUB", str(tmp_path / "no_hub"))
    with pytest.raises(ValueError, match="could not download .*gru_mnist-model"):
        kerazoo.load("gru_mnist")
    with pytest.raises(ValueError, match="Unknown model"):
        kerazoo.load("gru_mnst")
    data = bytearray((target / "model.keras").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (target / "model.keras").write_bytes(bytes(data))
    before = (target / "model.keras").read_bytes()
    with pytest.raises(ValueError, match="does not match the SHA-256"):
        kerazoo.load("lstm_mnist")
    assert (target / "model.keras").read_bytes() == before  # nothing rewritten


def test_readme_tables_are_generated():
    readme = (ROOT / "README.md").read_text()
    assert update_readme_text(readme) == readme, (
        "README tables are stale: run `kerazoo results --update-readme README.md`")


def test_replace_block_errors_and_round_trip():
    text = "a\n<!-- x:start -->\nold\n<!-- x:end -->\nb"
    assert replace_block(text, "x", "new") == "a\n<!-- x:start -->\nnew\n<!-- x:end -->\nb"
    with pytest.raises(ValueError, match="no <!-- y:start -->"):
        replace_block(text, "y", "new")


def test_every_shipped_model_has_a_complete_card():
    for card in read_cards():
        folder = models_dir() / card["name"]
        for artifact, meta in card["artifacts"].items():
            assert (folder / artifact).stat().st_size == meta["size_bytes"]
        assert card["metric"] in card["metrics"]
        assert card["tflite"]["max_abs_diff"] <= 1e-4
        assert {"command", "seed", "epochs", "versions", "source", "split"} <= set(card)


@pytest.mark.parametrize("name", [
    name if name in _VERIFIED_BY_DEFAULT else pytest.param(name, marks=pytest.mark.slow)
    for name in SHIPPED])
def test_shipped_model_matches_its_card(name):
    result = kerazoo.evaluate(name)
    assert result["measured"] == pytest.approx(result["card"], abs=1e-3, rel=1e-3), result


def test_refresh_card_rewrites_descriptions_and_keeps_measurements(tmp_path):
    from kerazoo.cards import refresh_card

    folder = tmp_path / "seq2seq_addition"
    folder.mkdir()
    shutil.copy(Path("saved_models/seq2seq_addition/card.json"), folder / "card.json")
    stale = json.loads((folder / "card.json").read_text())
    stale.pop("readable_inputs", None)
    stale["description"] = "an old description"
    (folder / "card.json").write_text(json.dumps(stale))
    card = refresh_card(folder)
    assert card["readable_inputs"]["operands"].startswith("whole numbers 0-999")
    assert card["description"] == kerazoo.get_spec("seq2seq_addition").description
    assert {k: card[k] for k in ("metrics", "artifacts", "tflite")} == \
        {k: stale[k] for k in ("metrics", "artifacts", "tflite")}


def test_a_corrupt_card_is_named_where_weights_are_looked_up(tmp_path, monkeypatch):
    from kerazoo import zoo
    from kerazoo.errors import UserError

    (tmp_path / "lstm_mnist").mkdir()
    (tmp_path / "lstm_mnist" / "card.json").write_text("{not json")
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path))
    with pytest.raises(UserError, match=r"lstm_mnist/card.json: not a readable model card"):
        zoo.locate("lstm_mnist")

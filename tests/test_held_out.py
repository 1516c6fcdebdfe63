"""The held-out check of digit readers, its development twin, and its record in the cards."""

import json
import shutil

import pytest

from kerazoo.errors import UserError
from kerazoo.families.mnist import data_printed, held_out


def test_the_development_sets_share_no_font_seed_size_or_digit_with_the_held_out_ones():
    development, measure = held_out.DEVELOPMENT, held_out.HELD_OUT
    fonts = set(development["fonts"])
    assert not fonts & set(measure["fonts"]) and not fonts & set(data_printed.TRAIN_FONTS)
    assert development["seed"] != measure["seed"] and development["sizes"] != measure["sizes"]
    assert (measure["split"], development["split"]) == ("test", "validation")
    assert not set(development["sides"]) & set(measure["sides"])
    assert not set(development["pens"]) & set(measure["pens"])


def test_a_missing_system_font_is_a_user_error():
    with pytest.raises(UserError, match="not installed"):
        data_printed.font_path("system:NoSuchFont.ttf")


@pytest.mark.parametrize("argv", [["--evaluate", "lstm_mnist", "--development", "--record"],
                                  ["--evaluate", "runs/some_run/model.keras", "--record"]])
def test_only_held_out_results_of_shipped_models_are_recorded(argv):
    with pytest.raises(UserError, match="--record"):
        held_out.main(argv)


def test_the_record_names_its_command_and_the_model_it_measured(tmp_path, monkeypatch):
    from kerazoo.zoo import models_dir

    shutil.copytree(models_dir() / "lstm_mnist", tmp_path / "lstm_mnist")
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path))
    results = {"printed_photo": {"accuracy": 0.9, "num_examples": 70}}
    held_out.record("lstm_mnist", results, per_font=1)
    card = json.loads((tmp_path / "lstm_mnist" / "card.json").read_text())
    assert card["held_out"]["sets"] == results
    assert card["held_out"]["model_sha256"] == card["artifacts"]["model.keras"]["sha256"]
    assert card["held_out"]["command"] == ("python -m kerazoo.families.mnist.held_out "
                                           "--evaluate lstm_mnist --per-font 1 --record")

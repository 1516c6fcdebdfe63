"""The registry: names, patterns, overrides and the errors users see."""

import json

import pytest

import kerazoo
from kerazoo.cli import main
from kerazoo.registry import register_model

MNIST = ["bilstm_mnist", "gru_mnist", "lstm_dropout_mnist", "lstm_mnist",
         "peephole_lstm_mnist", "rnn7_mnist", "rnn_mnist", "stacked_lstm_mnist"]


def test_mnist_entries_are_registered_and_sorted():
    names = kerazoo.list_models()
    assert names == sorted(names)
    assert set(MNIST) <= set(names)
    assert kerazoo.list_models("*mnist") == [n for n in names if n.endswith("mnist")]
    assert kerazoo.list_models("*lstm*mnist")[:2] == ["bilstm_mnist", "lstm_dropout_mnist"]
    assert set(MNIST) <= set(kerazoo.list_models(task="classification"))
    assert kerazoo.list_models(task="no_such_task") == []


def test_unknown_name_suggests_close_matches():
    with pytest.raises(ValueError, match="Did you mean: lstm_mnist"):
        kerazoo.build("lstm_mnst")
    with pytest.raises(ValueError, match="Unknown model 'zzz'. Run"):
        kerazoo.model_info("zzz")


@pytest.mark.parametrize("overrides, message", [
    (dict(hiden_size=3), "'hiden_size' is not an option of model 'lstm_mnist'. Did you mean 'hidden_size'"),
    (dict(hidden_size=0), "hidden_size must be a positive integer"),
    (dict(cell="transformer"), "Unknown cell 'transformer'"),
])
def test_bad_overrides_raise_value_error(overrides, message):
    with pytest.raises(ValueError, match=message):
        kerazoo.build("lstm_mnist", **overrides)


def test_overrides_reach_the_model():
    model = kerazoo.build("lstm_mnist", hidden_size=16, num_layers=2, bidirectional=True,
                          compile=False)
    assert model.name == "lstm_mnist"
    assert not model.compiled
    assert [l.name for l in model.layers if l.name.startswith("rnn_")] == ["rnn_0", "rnn_1"]
    assert model.get_layer("rnn_1").output.shape == (None, 32)


def test_build_compiles_with_entry_defaults():
    model = kerazoo.build("rnn7_mnist")
    spec = kerazoo.get_spec("rnn7_mnist")
    assert model.compiled
    assert float(model.optimizer.learning_rate) == pytest.approx(spec.train.learning_rate)
    assert len([l for l in model.layers if l.name.startswith("rnn_")]) == 7


def test_model_info_content():
    info = kerazoo.model_info("lstm_mnist")
    assert info["input_shape"] == [28, 28] and info["task"] == "classification"
    assert info["num_params"] == kerazoo.build("lstm_mnist").count_params()
    assert info["cudnn_eligible"] is True
    assert info["reference"]["tutorial"]["value"] == pytest.approx(0.9171)
    assert kerazoo.model_info("peephole_lstm_mnist")["cudnn_eligible"] is False
    json.dumps(info)  # JSON-ready


def test_register_rejects_duplicates_and_unknown_defaults():
    from kerazoo.models import recurrent_classifier

    def lstm_mnist():
        pass
    with pytest.raises(ValueError, match="already registered"):
        register_model(builder=recurrent_classifier, task="classification",
                       dataset="mnist", input_shape=(28, 28))(lstm_mnist)

    def brand_new_entry():
        pass
    with pytest.raises(TypeError, match="not arguments of recurrent_classifier"):
        register_model(builder=recurrent_classifier, task="classification", dataset="mnist",
                       input_shape=(28, 28), defaults=dict(colour="red"))(brand_new_entry)


def test_cli_list_and_info(capsys):
    assert main(["list", "*gru*"]) == 0
    assert "gru_mnist" in capsys.readouterr().out
    assert main(["info", "lstm_mnist", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "lstm_mnist"
    assert main(["info", "lstm_mnst"]) == 2
    assert "Did you mean: lstm_mnist" in capsys.readouterr().err
    assert main(["list", "nothing*"]) == 1


def test_every_entry_declares_builder_arguments_only():
    """Defaults and test sizes are builder arguments (checked lazily at first
    build, so registering imports no Keras: checked here for every entry)."""
    from kerazoo.registry import check_defaults

    for name in kerazoo.list_models():
        spec = kerazoo.get_spec(name)
        assert isinstance(spec.builder_ref, str), name  # "module:function", resolved on use
        assert spec.test_overrides, f"{name} declares no test_overrides"
        check_defaults(spec, spec.builder)


def test_every_entry_declares_a_train_config():
    """Entries declare ``train=TrainConfig(...)``: typed, checked when registered."""
    from kerazoo.train.config import TrainConfig

    for name in kerazoo.list_models():
        assert isinstance(kerazoo.get_spec(name).train, TrainConfig), name
    info = kerazoo.registry.spec_info("crnn_ctc_captcha")["train"]
    assert info["global_clipnorm"] == 5.0 and "clipnorm" not in info  # unset ones left out


def test_register_converts_a_train_mapping_once_and_refuses_unknown_settings():
    from kerazoo.registry import _REGISTRY
    from kerazoo.train.config import TrainConfig

    def mapping_entry():
        """A third-party entry that gives its settings as a dict."""

    def bare_entry():
        """An entry with no training settings."""
    for entry, train in ((mapping_entry, dict(epochs=2, learning_rate=0.01)), (bare_entry, None)):
        register_model(builder="kerazoo.models.recurrent:recurrent_classifier",
                       task="classification", dataset="mnist", input_shape=(28, 28),
                       **({"train": train} if train else {}))(entry)
    try:
        assert kerazoo.get_spec("mapping_entry").train == TrainConfig(epochs=2, learning_rate=0.01)
        assert kerazoo.get_spec("bare_entry").train == TrainConfig()
    finally:
        del _REGISTRY["mapping_entry"], _REGISTRY["bare_entry"]

    def misspelt_entry():
        """An entry whose settings name no TrainConfig field."""
    with pytest.raises(ValueError, match="unknown training setting.s. epoch; TrainConfig has"):
        register_model(builder="kerazoo.models.recurrent:recurrent_classifier",
                       task="classification", dataset="mnist", input_shape=(28, 28),
                       train=dict(epoch=2))(misspelt_entry)
    assert "misspelt_entry" not in _REGISTRY


def test_a_string_builder_is_checked_on_first_build():
    from kerazoo.registry import _REGISTRY

    def lazily_wrong_entry():
        """Registered without importing its builder."""
    register_model(builder="kerazoo.models.recurrent:recurrent_classifier",
                   task="classification", dataset="mnist", input_shape=(28, 28),
                   defaults=dict(colour="red"))(lazily_wrong_entry)
    try:
        with pytest.raises(TypeError, match="not arguments of recurrent_classifier"):
            kerazoo.build("lazily_wrong_entry")
    finally:
        del _REGISTRY["lazily_wrong_entry"]


def test_registering_every_entry_imports_no_keras():
    import subprocess
    import sys

    code = ("import sys, kerazoo; kerazoo.list_models(); kerazoo.registry.spec_info('char_lstm'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('keras', 'tensorflow', 'torch', 'jax')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"

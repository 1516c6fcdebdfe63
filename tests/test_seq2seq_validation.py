"""seq2seq answers are checked against their inputs: nonsense is flagged, never passed as fine.

Model-free tests check the rules (``kerazoo.families.seq2seq.checks``) on every
held-out date in all 22 formats; the rest use the shipped models, whose
answers to impossible inputs are what the checks must catch.
"""

import datetime

import pytest

import kerazoo
import kerazoo.data
from kerazoo.cli import main
from kerazoo.families.seq2seq import data_dates as dates
from kerazoo.errors import UserError
from kerazoo.tasks import get_task
from kerazoo.families.seq2seq.checks import CHECKS


# --- the rules, without a model ----------------------------------------------

def test_no_correct_answer_of_the_test_split_is_flagged():
    """Every held-out date, written in each of the 22 formats, passes with its own ISO date."""
    triples = dates.examples("test")
    problems = [(text, iso) for text, iso, _ in triples if CHECKS["dates"].problem(text, iso)]
    assert len(triples) == 41272 and problems == []


@pytest.mark.parametrize("text", ["March 4 1998", "the 4th of March, 1998", "1998-03-04",
                                  "MERCREDI 4 MARS 1998", "4/3/98", "Mi., 4. März 1998"])
def test_other_spellings_of_the_right_date_pass(text):
    assert CHECKS["dates"].problem(text, "1998-03-04") is None


@pytest.mark.parametrize("text, answer, reason", [
    ("february 30, 2001", "2001-02-30", "not a real calendar date"),
    # What constrained decoding might write instead: a real date, but not the input's.
    ("february 30, 2001", "2001-02-28", "no day 28"),
    ("13/45/2001", "2001-12-15", "no day 15"),
    ("hello world", "200-07-00", "YYYY-MM-DD"),
    ("hello world", "2000-07-01", "no year 2000"),
    ("2150", "1950-03-04", "no year 1950"),
    ("march 4, 2150", "2050-03-04", "outside 1950-2049"),
    ("tuesday, march 4, 1998", "1998-03-04", "another weekday"),
    ("4. märz 1998", "1998-04-04", "another month"),
    ("4 march 1998 17", "1998-03-04", "17"),
])
def test_dates_that_the_input_does_not_name_are_flagged(text, answer, reason):
    assert reason in CHECKS["dates"].problem(text, answer)


@pytest.mark.parametrize("text, answer, reason", [
    ("535+61", "597", "535+61 = 596"), ("1000+1", "101", "1 to 3 digits"),
    ("5+", "5", "a+b"), ("1+2+3", "6", "a+b")])
def test_additions_are_checked_exactly(text, answer, reason):
    assert reason in CHECKS["addition"].problem(text, answer)
    assert CHECKS["addition"].problem("999+999", "1998") is None


# --- the shipped models ----------------------------------------------------------

def _by_input(name, texts):
    return {r["input"]: r for r in kerazoo.predict(name, texts)}


def test_impossible_dates_are_answered_invalid_with_a_reason():
    nonsense = ["February 30, 2001", "13/45/2001", "hello world", "2150"]
    results = _by_input("seq2seq_dates", nonsense + ["Wednesday, March 4, 1998"])
    for text in nonsense:
        assert results[text]["valid"] is False and results[text]["reason"], text
        assert isinstance(results[text]["prediction"], str)  # what the model said is kept
    good = results["Wednesday, March 4, 1998"]
    assert good["valid"] is True and "reason" not in good and good["prediction"] == "1998-03-04"


def test_additions_outside_the_trained_range_or_alphabet_are_flagged():
    results = _by_input("seq2seq_addition", ["1000+1", "-5+3", "535+61"])
    assert "1 to 3 digits" in results["1000+1"]["reason"]
    assert "'-'" in results["-5+3"]["reason"]
    assert not results["1000+1"]["valid"] and not results["-5+3"]["valid"]
    assert results["535+61"] | {"confidence": None} == {
        "input": "535+61", "prediction": "596", "confidence": None, "stopped": "eos",
        "valid": True}


def test_held_out_answers_stay_valid_and_the_metrics_say_how_many_were_flagged():
    spec = kerazoo.get_spec("seq2seq_dates")
    data = kerazoo.data.load("dates", "test", batch_size=256, limit=22 * 10)
    metrics = get_task("seq2seq").evaluate(kerazoo.load("seq2seq_dates"), spec, data)
    assert metrics["exact_match"] == 1.0 and metrics["flagged_invalid"] == 0.0
    # Formats come from each example itself, so a limited split is broken down too.
    assert metrics["num_examples_by_format"] == {name: 10 for name in dates.FORMATS}


def test_inputs_the_encoder_cannot_read_are_user_errors():
    with pytest.raises(UserError, match="40 characters; seq2seq_dates reads at most 36"):
        kerazoo.predict("seq2seq_dates", ["x" * 40])
    with pytest.raises(UserError, match="empty"):
        kerazoo.predict("seq2seq_addition", ["  "])


def test_predict_command_exits_non_zero_when_an_answer_is_invalid(capsys):
    assert main(["predict", "seq2seq_dates", "March 4, 1998", "February 30, 2001"]) == 1
    captured = capsys.readouterr()
    assert "valid=False" in captured.out and "not a real calendar date" in captured.err
    assert main(["predict", "seq2seq_addition", "535+61", "--json"]) == 0


def test_input_range_documents_what_each_model_reads():
    task = get_task("seq2seq")
    dates_range = task.input_range(kerazoo.get_spec("seq2seq_dates"))
    assert dates_range["max_characters"] == 36
    assert dates_range["dates"] == "1950-01-01 to 2049-12-31"
    assert dates_range["formats"]["de_DE long"] == "4. märz 1998"
    assert len(dates_range["formats"]) == 22
    addition_range = task.input_range(kerazoo.get_spec("seq2seq_addition"))
    assert addition_range["max_characters"] == 7 and "0-999" in addition_range["operands"]
    assert datetime.date.fromisoformat(dates_range["dates"][-10:]) == dates.LAST_DATE


def test_the_model_card_records_the_readable_inputs(tmp_path):
    from kerazoo.cards import write_card

    spec = kerazoo.get_spec("seq2seq_addition")
    kerazoo.build("seq2seq_addition", hidden_size=8, compile=False).save(tmp_path / "model.keras")
    card = write_card(tmp_path, spec, {"exact_match": 0.5}, {})
    assert card["readable_inputs"] == get_task("seq2seq").input_range(spec)
    assert card["readable_inputs"]["characters"] == "0123456789+"

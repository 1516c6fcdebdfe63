"""What each seq2seq model can read, and whether an answer can be right.

A translator always writes *something*: ``"February 30, 2001"`` comes back as
``2001-02-30`` and ``"1000+1"`` as ``101``, both with high confidence. So every
answer is checked against its input by what is known about the data set:

* **dates**: the answer must be a real calendar date in the years the model
  knows (1950–2049), and consistent with the input: each number in the input
  is the answer's year (4 or 2 digits), month or day, the year and the day are
  there, the month is there as a number or a name, and no month or weekday name
  contradicts the answer (in any of the six languages).
* **addition**: the input must be ``a+b`` with whole numbers of 1–3 digits,
  and the answer must be their sum (checked exactly).

    >>> CHECKS["dates"].problem("february 30, 2001", "2001-02-30")
    'the answer 2001-02-30 is not a real calendar date'
    >>> CHECKS["addition"].problem("1000+1", "101")
    "'1000+1' is not a+b with whole numbers of 1 to 3 digits (0-999), all this model reads"
    >>> CHECKS["dates"].problem("4. märz 1998", "1998-03-04") is None
    True

``readable()`` describes the inputs a model reads (``Seq2Seq.input_range``
adds the alphabet and length; the model card shows it).
"""

import datetime
import functools
import re

from kerazoo.families.seq2seq import data_dates as dates


class DateChecks:
    """Answers of ``seq2seq_dates``: ISO dates that the input really names."""

    @staticmethod
    def readable():
        example = datetime.date(1998, 3, 4)
        return {
            "dates": f"{dates.FIRST_DATE.isoformat()} to {dates.LAST_DATE.isoformat()}",
            "formats": {name: text for name, text in zip(dates.FORMATS, _renderings(example))},
            "answers": "YYYY-MM-DD; flagged invalid unless a real date in that range whose "
                       "year, month and day the input names",
        }

    @staticmethod
    def problem(text, answer):
        """Why ``answer`` cannot be the date ``text`` names, or ``None``."""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", answer):
            return f"the answer {answer!r} is not a date of the form YYYY-MM-DD"
        try:
            date = datetime.date.fromisoformat(answer)
        except ValueError:
            return f"the answer {answer} is not a real calendar date"
        if not dates.FIRST_DATE <= date <= dates.LAST_DATE:
            return (f"the answer {answer} is outside {dates.FIRST_DATE.year}-"
                    f"{dates.LAST_DATE.year}, the years this model knows")
        return _inconsistency(text.lower(), date)


class AdditionChecks:
    """Answers of ``seq2seq_addition``: ``a+b`` with operands up to 999, summed exactly."""

    @staticmethod
    def readable():
        return {"form": "a+b", "operands": "whole numbers 0-999 (1 to 3 digits)",
                "answers": "the sum; flagged invalid unless it is exactly a+b"}

    @staticmethod
    def problem(text, answer):
        """Why ``answer`` is not the sum ``text`` asks for, or ``None``."""
        operands = re.fullmatch(r"(\d{1,3})\+(\d{1,3})", text.strip())
        if operands is None:
            return (f"{text!r} is not a+b with whole numbers of 1 to 3 digits (0-999), "
                    "all this model reads")
        total = int(operands[1]) + int(operands[2])
        if answer != str(total):
            return f"the answer {answer!r} is wrong: {operands[1]}+{operands[2]} = {total}"
        return None


CHECKS = {"dates": DateChecks(), "addition": AdditionChecks()}


@functools.lru_cache(maxsize=4096)
def _renderings(date):
    """``date`` in each of ``dates.FORMATS``, lower-cased as the data set writes it."""
    import babel.dates

    return tuple(babel.dates.format_date(date, style, locale=locale).lower()
                 for locale, style in (name.split() for name in dates.FORMATS))


@functools.lru_cache(maxsize=None)
def _names(kind):
    """``{name: {numbers it may stand for}}``: month (1-12) or weekday (0 = Monday)
    names, wide and abbreviated, of every locale of the data set, lower-cased."""
    import babel

    names = {}
    for locale in dates.LOCALE_STYLES:
        table = getattr(babel.Locale.parse(locale), kind)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in table[context][width].items():
                    names.setdefault(name.lower().strip("."), set()).add(number)
    return names


def _inconsistency(text, date):
    """What in ``text`` contradicts ``date`` (or what it lacks), or ``None``."""
    numbers = re.findall(r"\d+", text)
    words = re.findall(r"[^\W\d_]+", text)
    months, weekdays = _names("months"), _names("days")
    for word in words:
        if word in months and date.month not in months[word] and (
                word not in weekdays or date.weekday() not in weekdays[word]):
            return f"{word!r} names another month than the answer {date.isoformat()}"
        if word in weekdays and date.weekday() not in weekdays[word] and (
                word not in months or date.month not in months[word]):
            return f"{word!r} names another weekday: {date.isoformat()} is a {date:%A}"
    month_named = any(date.month in months.get(word, ()) for word in words)
    # The four-digit year first: in "02/01/2001" the "01" is the month, not the year.
    year = str(date.year) if str(date.year) in numbers else f"{date.year % 100:02d}"
    wanted = [("year", lambda n: n == year), ("day", lambda n: len(n) <= 2 and int(n) == date.day)]
    if not month_named:
        wanted.append(("month", lambda n: len(n) <= 2 and int(n) == date.month))
    for part, matches in wanted:
        found = next((n for n in numbers if matches(n)), None)
        if found is None:
            return (f"the input names no {part} {getattr(date, part)} "
                    f"(the answer is {date.isoformat()})")
        numbers.remove(found)
    if numbers:
        return (f"the input's {', '.join(numbers)} is not part of the answer "
                f"{date.isoformat()}")
    return None

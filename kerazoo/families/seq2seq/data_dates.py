"""Human-written dates → ISO ``YYYY-MM-DD``, generated offline with Babel.

    >>> import kerazoo.data
    >>> test = kerazoo.data.load("dates", "test", batch_size=256)
    >>> examples("test")[:2]             # (input, target, format) triples
    [('1/9/50', '1950-01-09', 'en_US short'), ('jan 9, 1950', '1950-01-09', 'en_US medium')]

Every date from 1950-01-01 to 2049-12-31 is written in 22 formats with
``babel.dates.format_date``: en_US, en_GB, de_DE and fr_FR in the ``short``,
``medium``, ``long`` and ``full`` styles, es_ES and it_IT in ``medium``, ``long``
and ``full`` (the Spanish/Italian short style ``d/m/yy`` would collide with the
US ``m/d/yy``). Inputs are lower-cased: the task is case-insensitive. Two-digit
years are unambiguous in this century-wide range (50–99 → 19xx, 00–49 → 20xx).

Splits are by date, so held-out dates were never seen in any format: the
CRC-32 of a date's ISO string modulo 20 is 0 → ``test``, 1 → ``validation``,
anything else → ``train`` (≈5 % / 5 % / 90 %: 1876 / 1792 / 32857 dates, ×22 =
41272 / 39424 / 722854 examples). Every format of a date lands in the same split. The split does not
depend on ``seed``, which only shuffles ``train``.

An unshuffled data set carries ``dataset.formats``, each example's format in
order. Sources: ``"babel"`` (the only one; ``"auto"`` means it). Options: ``limit``
(first N examples of the split, for smoke tests), ``shuffle`` (train only,
default on), ``examples_per_epoch`` (train only: each epoch a fresh
random sample of that many).
"""

import datetime
import functools

import babel.dates

from kerazoo.codec import CharCodec
from kerazoo.data import register_dataset
from kerazoo.data.splits import check_split, hash_split
from kerazoo.data.text_codec import pairs_dataset, register_codecs

FIRST_DATE, LAST_DATE = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)
LOCALE_STYLES = {
    "en_US": ("short", "medium", "long", "full"),
    "en_GB": ("short", "medium", "long", "full"),
    "de_DE": ("short", "medium", "long", "full"),
    "fr_FR": ("short", "medium", "long", "full"),
    "es_ES": ("medium", "long", "full"),
    "it_IT": ("medium", "long", "full"),
}
FORMATS = tuple(f"{locale} {style}" for locale, styles in LOCALE_STYLES.items()
                for style in styles)
SOURCES = ("auto", "babel")
# Every character Babel writes for these formats (lower-cased), plus the rest
# of a–z and '-' so that user input in other spellings degrades gracefully.
SOURCE_CHARACTERS = " ,-./0123456789abcdefghijklmnopqrstuvwxyzáäéìû"
INPUT_LENGTH = 36   # the longest input is 35 characters ("miércoles, 30 de septiembre de 2048")
OUTPUT_LENGTH = 11  # "YYYY-MM-DD" plus EOS

register_codecs("dates", source=CharCodec(SOURCE_CHARACTERS, lowercase=True),
                target=CharCodec("0123456789-"))


def split_of(date):
    """``"train"``, ``"validation"`` or ``"test"``: fixed by the date alone."""
    return hash_split(date.isoformat(), 20)


def all_dates():
    """Every date of the data set, in calendar order."""
    days = (LAST_DATE - FIRST_DATE).days + 1
    return [FIRST_DATE + datetime.timedelta(days=i) for i in range(days)]


@functools.lru_cache(maxsize=None)
def examples(split):
    """``[(input, iso_date, format), ...]`` of ``split``: dates in calendar order,
    each in the 22 ``FORMATS`` order."""
    check_split(split)
    locales = {name: babel.Locale.parse(name) for name in LOCALE_STYLES}
    triples = []
    for date in all_dates():
        if split_of(date) != split:
            continue
        iso = date.isoformat()
        for fmt in FORMATS:
            locale, style = fmt.split()
            text = babel.dates.format_date(date, style, locale=locales[locale])
            triples.append((text.lower(), iso, fmt))
    return triples


@register_dataset("dates")
def load(split, batch_size, source="auto", seed=0, limit=None, shuffle=True,
         examples_per_epoch=None):
    """``Batches`` of ``((encoder_tokens, decoder_inputs), targets)`` of one split."""
    if source not in SOURCES:
        raise ValueError(f"Unknown source '{source}' for dates. Choose one of: "
                         f"{', '.join(SOURCES)}.")
    triples = examples(split)[:limit]
    shuffle = shuffle and split == "train"
    data = pairs_dataset([t[0] for t in triples], [t[1] for t in triples],
                         dataset="dates", input_length=INPUT_LENGTH,
                         output_length=OUTPUT_LENGTH, batch_size=batch_size,
                         shuffle=shuffle, seed=seed,
                         examples_per_epoch=examples_per_epoch if split == "train" else None)
    if not shuffle:  # examples in order: evaluation can score each format
        data.attributes["formats"] = [t[2] for t in triples]
    return data

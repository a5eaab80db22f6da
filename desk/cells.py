"""One cell of an office's file as the value the data files hold: "23 335" -> "23335", "2024 г." -> "2024".

Each reader takes the cell's text and returns the value, or raises `Invalid` with the problem (a
message for the person who uploaded the file). What the cell means against the data (a known region,
source or indicator) is for desk/rows.py to check.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from i18n import Message, Number, message, quoted
from i18n.message import CONTROL
from queries.validate import BELOW, FRACTION, PUBLISHED, UnitRule

MAX_CELL_CHARS = 1_000  # longer text is not a note, title or name but something pasted by mistake
# Cells statistics offices print where there is no figure; they count as empty.
NO_FIGURE = {"-", "–", "—", "…", "...", "x", "х", "н/д"}
# A cell starting with one of these is run as a formula by spreadsheet programs (a dash followed by a
# digit is a negative number, reported as such).
FORMULA_START = ("=", "+", "@", "\t", "\r")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
LINE_BREAKS = re.compile(r"[\t\r\n]+")  # inside a cell: one space each (notes are one line)
SURROGATE = re.compile(r"[\ud800-\udfff]")  # what Python makes of a file name's bytes that are not UTF-8
THOUSANDS_BY_COMMA = re.compile(r"[0-9]{1,3},[0-9]{3}")  # "23,335": a decimal comma, or a thousands one
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
YEAR_WORDS = re.compile(r"\s*(годы|год|гг|г|жылдар|жыл|years|year)\.?\s*$")
PERIOD = re.compile(r"([0-9]{4})(?:\s*[-–—]\s*([0-9]{4}))?")
DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
LANGUAGE_WORDS = {
    "en": ("en", "eng", "english", "английский", "ағылшын"),
    "ru": ("ru", "rus", "russian", "русский", "орыс"),
    "kk": ("kk", "kaz", "kazakh", "казахский", "қазақ", "қазақша"),
    "de": ("de", "deu", "ger", "german", "немецкий", "неміс"),
    "cs": ("cs", "ces", "cze", "czech", "чешский", "чех"),
}
# Cyrillic (Russian and Kazakh) to Latin, for ids made from a new source's publisher and title.
TRANSLITERATION = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q", "n", "o", "u", "u", "h", "i"),
    strict=True,
))


class Invalid(Exception):
    """A cell that cannot be used as it is: the problem, and what is left of its text to check further."""

    def __init__(self, problem: Message, text: str = ""):
        self.problem = problem
        self.text = text


def folded(text: str) -> str:
    """Text as names are compared: case, repeated spaces and ё/е ignored."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold().replace("ё", "е")


def is_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) or (text.startswith("-") and not text[1:2].isdigit())


def one_line(text: str) -> str:
    """A cell as one line of text (line breaks and tabs become spaces); Invalid, with the text the
    checks go on with, when it holds control characters or is far too long."""
    text = LINE_BREAKS.sub(" ", text).strip()
    if CONTROL.search(text):
        raise Invalid(message("ingest.control_character", text=quoted(text)), CONTROL.sub("", text))
    if len(text) > MAX_CELL_CHARS:
        raise Invalid(message("ingest.cell_too_long", length=Number(len(text)), limit=Number(MAX_CELL_CHARS)), "")
    return text


def number(text: str, *, percent_ok: bool, indicator: str, unit: str) -> str:
    """The cell as a plain number for facts.csv ("23 335" -> "23335", "12,5" -> "12.5")."""
    compact = SPACES.sub("", text)
    if compact.endswith("%"):
        if not percent_ok:
            raise Invalid(message("ingest.percent_sign", text=quoted(text), indicator=indicator, unit=unit))
        compact = compact[:-1]
    if "," in compact and "." in compact:
        # Both separators: the last one is the decimal point ("1.234,5" and "1,234.5").
        thousands = "." if compact.rfind(",") > compact.rfind(".") else ","
        compact = compact.replace(thousands, "").replace(",", ".")
    elif compact.count(",") == 1:
        compact = compact.replace(",", ".")  # decimal comma, as Kazakh and Russian offices write
    elif compact.count(",") > 1 or compact.count(".") > 1:
        compact = compact.replace(",", "").replace(".", "")  # "1,234,567" or "1.234.567"
    if not PLAIN_NUMBER.fullmatch(compact):
        raise Invalid(message("ingest.not_a_number", text=quoted(text)))
    try:
        value = Decimal(compact)
    except InvalidOperation:
        raise Invalid(message("ingest.not_a_number", text=quoted(text))) from None
    if value < 0:
        raise Invalid(message("ingest.negative", text=quoted(text)))
    value = abs(value)  # "-0" is 0, not a negative number
    plain = format(value, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def check_plausible(text: str, value: str, rule: UnitRule | None) -> None:
    """Refuse a figure that its unit makes implausible (data/units.csv), naming the likely misreading."""
    found = rule.breach(Decimal(value)) if rule is not None else None
    if found is None:
        return
    kind, bound = found
    if kind == FRACTION and THOUSANDS_BY_COMMA.fullmatch(SPACES.sub("", text)):
        raise Invalid(message("ingest.comma_fraction", text=quoted(text), read=value, unit=rule.unit,
                              whole=SPACES.sub("", text).replace(",", "")))
    if kind == FRACTION:
        raise Invalid(message("ingest.fraction", text=quoted(text), unit=rule.unit))
    raise Invalid(message("ingest.below_floor" if kind == BELOW else "ingest.above_ceiling", text=quoted(text),
                          bound=Number(bound), unit=rule.unit))


def clean_file_name(name: str) -> str:
    """The file's name as it is logged and cited: its last part, bytes that are not UTF-8 and control
    characters replaced by U+FFFD (the change log and facts.csv are UTF-8 text)."""
    return CONTROL.sub("\ufffd", SURROGATE.sub("\ufffd", Path(name).name))


def period(text: str, years: range) -> str:
    """A year or a span of years as facts.csv writes it: "2024 г." -> "2024", "2020 – 2022" -> "2020-2022"."""
    match = PERIOD.fullmatch(YEAR_WORDS.sub("", text.strip()))
    if not match:
        raise Invalid(message("ingest.bad_period", text=quoted(text)))
    first, last = match[1], match[2]
    for year in (first, last):
        if year and int(year) >= years.stop:
            raise Invalid(message("ingest.year_future", text=quoted(text), last=years.stop - 1))
        if year and int(year) < years.start:
            raise Invalid(message("ingest.year_too_early", text=quoted(text), first=years.start))
    if last and int(first) >= int(last):
        raise Invalid(message("ingest.period_order", text=quoted(text)))
    return f"{first}-{last}" if last else first


def published(text: str, years: range) -> str:
    """A publication date as sources.csv writes it: YYYY, YYYY-MM or YYYY-MM-DD."""
    if dotted := DOTTED_DATE.fullmatch(text):
        text = f"{dotted[3]}-{int(dotted[2]):02d}-{int(dotted[1]):02d}"
    match = PUBLISHED.fullmatch(text)
    try:
        if not match:
            raise ValueError
        date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        raise Invalid(message("ingest.bad_date", text=quoted(text))) from None
    if int(match[1]) not in years:
        raise Invalid(message("ingest.year_future" if int(match[1]) >= years.stop else "ingest.year_too_early",
                              text=quoted(text), last=years.stop - 1, first=years.start))
    return text


def language(text: str) -> str:
    """A language as sources.csv writes it, from its code or name in any of the three languages."""
    for code, words in LANGUAGE_WORDS.items():
        if folded(text) in words:
            return code
    raise Invalid(message("ingest.unknown_language", text=quoted(text), allowed=", ".join(LANGUAGE_WORDS)))


def slug(text: str) -> str:
    """Text as words of an id: Latin letters and digits joined by "_" (Cyrillic transliterated)."""
    latin = "".join(TRANSLITERATION.get(ch, ch) for ch in text.casefold())
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", ascii_text))

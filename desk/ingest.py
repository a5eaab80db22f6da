"""Import new facts and sources from an office's CSV or XLSX file into data/.

    python -m queries.ingest FILE [--source ID | --publisher ... --title ... --language ru --tier government]
                                 [--indicator ID] [--region NAME] [--year YYYY]
                                 [--valid-only] [--confirm-changes] [--yes] [--user NAME]
    python -m queries.ingest --log | --undo IMPORT_ID | --recover

The command and the Data desk page share this module: `preview()` reads and checks a file and sorts
its figures against the evidence base without writing anything; `commit()` does the same again under
the write lock (the data may have changed since the preview) and writes through queries.storage.

Every figure of the file is one of:
- new: nothing with its key (indicator, region, period, source, event) exists yet; added.
- conflict: new, but another source gives another value for the same indicator, region, period and
  event. Added: conflicting values of different sources are all kept (data/README.md).
- changed: the same source already has another value under this key (a revised figure). The old
  value is replaced only when the user confirms; otherwise the old value stays and the new one is not
  written, so a source never shows two values for one key by accident. Where the source already
  has several values under the key (told apart by their notes), the new one is added beside them.
- duplicate: the same key with the same value exists (or an earlier row of the file has it); skipped.
Rows with problems are reported per row and column; nothing is written while any row has a problem,
unless the user chooses to import only the valid rows.
"""

import argparse
import csv
import difflib
import getpass
import io
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from queries import schema, storage
from queries.ingest_messages import CONTROL, Message, Number, message, printable, quoted
from queries.ingest_read import Limits, ReadError, Table, check_size, read_table
from queries.validate import BELOW, FRACTION, PUBLISHED, RowChecker, UnitRule, check, unit_rules

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR_ENV = "KZNGO_DATA_DIR"

NEW, CONFLICT, CHANGED, DUPLICATE = "new", "conflict", "changed", "duplicate"
STATUSES = (NEW, CONFLICT, CHANGED, DUPLICATE)
KEY_COLUMNS = ("indicator_id", "region", "period", "source_id", "event_id")
INDICATOR_NAME_COLUMNS = ("name", "name_ru", "name_kk")
SOURCE_COLUMNS = ("publisher", "title", "published", "date_note", "url", "language", "tier")
DEFAULT_QUALIFIER = "exact"
RANGE_QUALIFIER = "between"
TEXT_UNIT = "text"
PERCENT_UNIT = "percent"
SUGGESTION_CUTOFF = 0.6
MAX_PROBLEMS_QUOTED = 5
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
SOURCE_ID_WORDS = 3  # words of the publisher, and of the title, in the id of a new source

# Words for a qualifier in Russian and Kazakh files, besides the qualifiers.csv words and labels.
QUALIFIER_WORDS = {
    "более": "more than", "свыше": "more than", "больше": "more than", "астам": "more than",
    "около": "about", "примерно": "about", "порядка": "about", "шамамен": "about",
    "не менее": "at least", "кем дегенде": "at least",
    "почти": "nearly", "жуық": "nearly",
    "до": "up to", "дейін": "up to",
    "от и до": "between", "аралығында": "between",
}
LANGUAGE_WORDS = {
    "en": ("en", "eng", "english", "английский", "ағылшын"),
    "ru": ("ru", "rus", "russian", "русский", "орыс"),
    "kk": ("kk", "kaz", "kazakh", "казахский", "қазақ", "қазақша"),
}
# Cyrillic (Russian and Kazakh) to Latin, for ids made from a new source's publisher and title.
TRANSLITERATION = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q", "n", "o", "u", "u", "h", "i"),
    strict=True,
))


def default_data_dir() -> Path:
    """The data directory the dashboard serves: $KZNGO_DATA_DIR or the project's data/ (read on each call)."""
    return Path(os.environ.get(DATA_DIR_ENV) or PROJECT_DIR / "data")


# --- what the user gives besides the file --------------------------------------------------------


@dataclass(frozen=True)
class NewSource:
    """A source that is not in sources.csv yet; it gets an id when it is first used."""

    publisher: str
    title: str
    published: str = ""
    url: str = ""
    language: str = ""
    tier: str = ""
    date_note: str = ""


@dataclass(frozen=True)
class Options:
    """Values for all rows of a file that leave them blank (or have no such column)."""

    source: str | NewSource | None = None  # an existing source_id or a new source
    indicator: str | None = None
    region: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Problem:
    row: int | None  # row number as the spreadsheet shows it; None for the file or the options
    column: str | None
    message: Message

    def text(self) -> str:
        if self.row is None and self.column is None:
            return self.message.text()
        if self.row is None:
            return message("at_column", column=self.column, message=self.message).text()
        if self.column is None:
            return message("at_row", row=self.row, message=self.message).text()
        return message("at_row_column", row=self.row, column=self.column, message=self.message).text()

    def __str__(self) -> str:
        return self.text()


@dataclass
class PlannedFact:
    row: int
    values: dict[str, str]  # facts.csv columns
    status: str = NEW
    existing: list[dict[str, str]] = field(default_factory=list)  # the rows it repeats, changes or conflicts with
    repeats_row: int | None = None  # for a duplicate within the file: the row it repeats

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.values[column] for column in KEY_COLUMNS)


@dataclass
class Plan:
    """What importing a file would do; nothing has been written."""

    file_name: str
    checksum: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)
    facts: list[PlannedFact] = field(default_factory=list)  # from every row, valid or not
    new_sources: dict[str, dict[str, str]] = field(default_factory=dict)  # source_id -> sources.csv row

    @property
    def file_problems(self) -> list[Problem]:
        """Problems that stop the whole file (no row can be imported)."""
        return [problem for problem in self.problems if problem.row is None]

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems if problem.row is not None})

    def valid_facts(self) -> list[PlannedFact]:
        invalid = set(self.invalid_rows)
        return [fact for fact in self.facts if fact.row not in invalid]

    def with_status(self, status: str) -> list[PlannedFact]:
        return [fact for fact in self.valid_facts() if fact.status == status]

    def counts(self) -> dict[str, int]:
        return {status: len(self.with_status(status)) for status in STATUSES}


@dataclass
class CommitResult:
    plan: Plan
    import_id: str | None  # None when nothing needed writing
    summary: dict[str, object]


class ImportRefused(Exception):
    """Nothing was written; `problems` say why."""

    def __init__(self, problems: list[Problem], plan: Plan | None = None):
        super().__init__("\n".join(problem.text() for problem in problems))
        self.problems = problems
        self.plan = plan


# --- the evidence base as the import sees it -----------------------------------------------------


def _read_rows(data_dir: Path, table: schema.Table) -> list[dict[str, str]]:
    with open(data_dir / table.file, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _folded(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold().replace("ё", "е")


def _region_key(text: str) -> str:
    """Region names match ignoring case, spaces, dots and dashes: "Г.НУР-СУЛТАН" = "г. Нур-Султан"."""
    return "".join(ch for ch in _folded(text) if ch.isalnum())


@dataclass
class Evidence:
    facts: list[dict[str, str]]
    sources: dict[str, dict[str, str]]
    indicators: dict[str, dict[str, str]]
    region_names: dict[str, str]  # code -> English name
    region_codes: dict[str, str]  # _region_key(any name, alias or code) -> code
    region_spellings: dict[str, str]  # _folded(any name, alias or code) -> code, for suggestions
    qualifiers: dict[str, str]  # _folded(word or label) -> qualifier
    tiers: dict[str, str]  # _folded(tier or label) -> tier
    events: set[str]
    units: dict[str, UnitRule]  # unit -> what a plausible figure in it is (units.csv)

    @classmethod
    def load(cls, data_dir: Path) -> "Evidence":
        regions = _read_rows(data_dir, schema.REGIONS)
        names = [(row[column], row["iso_code"]) for row in regions
                 for column in ("iso_code", "name_en", "name_ru", "name_kk")]
        names += [(row["alias"], row["iso_code"]) for row in _read_rows(data_dir, schema.REGION_ALIASES)]
        codes: dict[str, set[str]] = {}
        for name, code in names:
            codes.setdefault(_region_key(name), set()).add(code)
        qualifiers = {}
        for row in _read_rows(data_dir, schema.QUALIFIERS):
            qualifiers[_folded(row["qualifier"])] = qualifiers[_folded(row["label"])] = row["qualifier"]
        tiers = {}
        for row in _read_rows(data_dir, schema.TIERS):
            tiers[_folded(row["tier"])] = tiers[_folded(row["label"])] = row["tier"]
        return cls(
            facts=_read_rows(data_dir, schema.FACTS),
            sources={row["source_id"]: row for row in _read_rows(data_dir, schema.SOURCES)},
            indicators={row["indicator_id"]: row for row in _read_rows(data_dir, schema.INDICATORS)},
            region_names={row["iso_code"]: row["name_en"] for row in regions},
            # A spelling shared by two regions would be a guess: it is left out and reported as unknown.
            region_codes={key: next(iter(found)) for key, found in codes.items() if len(found) == 1},
            region_spellings={_folded(name): code for name, code in names},
            qualifiers=qualifiers | {word: q for word, q in QUALIFIER_WORDS.items() if q in qualifiers.values()},
            tiers=tiers,
            events={row["event_id"] for row in _read_rows(data_dir, schema.EVENTS)},
            units=unit_rules(_read_rows(data_dir, schema.UNITS)),
        )


def _suggest(text: str, candidates: dict[str, str]) -> str | None:
    """The value of the candidate whose key is closest to text, if one is close enough."""
    close = difflib.get_close_matches(_folded(text), list(candidates), n=1, cutoff=SUGGESTION_CUTOFF)
    return candidates[close[0]] if close else None


def _unknown(key: str, text: str, suggestion: str | None) -> Message:
    found = message(key, text=quoted(text))
    return message("did_you_mean", message=found, suggestion=suggestion) if suggestion else found


# --- single values -------------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, problem: Message, text: str = ""):
        self.problem = problem
        self.text = text  # for a cell: what is left of it to check further


def _is_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) or (text.startswith("-") and not text[1:2].isdigit())


def _number(text: str, *, percent_ok: bool, indicator: str, unit: str) -> str:
    """The cell as a plain number for facts.csv ("23 335" -> "23335", "12,5" -> "12.5")."""
    compact = SPACES.sub("", text)
    if compact.endswith("%"):
        if not percent_ok:
            raise _Invalid(message("percent_sign", text=quoted(text), indicator=indicator, unit=unit))
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
        raise _Invalid(message("not_a_number", text=quoted(text)))
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise _Invalid(message("not_a_number", text=quoted(text))) from None
    if number < 0:
        raise _Invalid(message("negative", text=quoted(text)))
    number = abs(number)  # "-0" is 0, not a negative number
    plain = format(number, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def _plausible(text: str, value: str, rule: UnitRule | None) -> None:
    """Refuse a figure that its unit makes implausible (data/units.csv), naming the likely misreading."""
    found = rule.breach(Decimal(value)) if rule is not None else None
    if found is None:
        return
    kind, bound = found
    if kind == FRACTION and THOUSANDS_BY_COMMA.fullmatch(SPACES.sub("", text)):
        raise _Invalid(message("comma_fraction", text=quoted(text), read=value, unit=rule.unit,
                               whole=SPACES.sub("", text).replace(",", "")))
    if kind == FRACTION:
        raise _Invalid(message("fraction", text=quoted(text), unit=rule.unit))
    raise _Invalid(message("below_floor" if kind == BELOW else "above_ceiling", text=quoted(text),
                           bound=Number(bound), unit=rule.unit))


def _one_line(text: str) -> str:
    """A cell as one line of text (line breaks and tabs become spaces); _Invalid, with the text the
    checks go on with, when it holds control characters or is far too long."""
    text = LINE_BREAKS.sub(" ", text).strip()
    if CONTROL.search(text):
        raise _Invalid(message("control_character", text=quoted(text)), CONTROL.sub("", text))
    if len(text) > MAX_CELL_CHARS:
        raise _Invalid(message("cell_too_long", length=Number(len(text)), limit=Number(MAX_CELL_CHARS)), "")
    return text


def clean_file_name(name: str) -> str:
    """The file's name as it is logged and cited: its last part, bytes that are not UTF-8 and control
    characters replaced by U+FFFD (the change log and facts.csv are UTF-8 text)."""
    return CONTROL.sub("\ufffd", SURROGATE.sub("\ufffd", Path(name).name))


def _period(text: str, years: range) -> str:
    match = PERIOD.fullmatch(YEAR_WORDS.sub("", text.strip()))
    if not match:
        raise _Invalid(message("bad_period", text=quoted(text)))
    first, last = match[1], match[2]
    for year in (first, last):
        if year and int(year) >= years.stop:
            raise _Invalid(message("year_future", text=quoted(text), last=years.stop - 1))
        if year and int(year) < years.start:
            raise _Invalid(message("year_too_early", text=quoted(text), first=years.start))
    if last and int(first) >= int(last):
        raise _Invalid(message("period_order", text=quoted(text)))
    return f"{first}-{last}" if last else first


def _published(text: str, years: range) -> str:
    """A publication date as sources.csv writes it: YYYY, YYYY-MM or YYYY-MM-DD."""
    if dotted := DOTTED_DATE.fullmatch(text):
        text = f"{dotted[3]}-{int(dotted[2]):02d}-{int(dotted[1]):02d}"
    match = PUBLISHED.fullmatch(text)
    try:
        if not match:
            raise ValueError
        date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        raise _Invalid(message("bad_date", text=quoted(text))) from None
    if int(match[1]) not in years:
        message_key = "year_future" if int(match[1]) >= years.stop else "year_too_early"
        raise _Invalid(message(message_key, text=quoted(text), last=years.stop - 1, first=years.start))
    return text


def _language(text: str) -> str:
    for language, words in LANGUAGE_WORDS.items():
        if _folded(text) in words:
            return language
    raise _Invalid(message("unknown_language", text=quoted(text), allowed=", ".join(schema.LANGUAGES)))


def _slug(text: str) -> str:
    latin = "".join(TRANSLITERATION.get(ch, ch) for ch in text.casefold())
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", ascii_text))


# --- reading the rows ----------------------------------------------------------------------------


class _RowChecker:
    """Turns the rows of a table into facts, collecting problems per row and column."""

    def __init__(self, evidence: Evidence, options: Options, years: range):
        self.evidence = evidence
        self.options = options
        self.years = years
        self.problems: list[Problem] = []
        self.notices: list[Message] = []
        self.new_sources: dict[NewSource, str] = {}  # new source -> the id it gets
        self.sources_by_url = {row["url"]: source_id for source_id, row in evidence.sources.items() if row["url"]}
        # Indicators may be named in any language indicators.csv has a name column for.
        self.indicators_by_name = {_folded(row[column]): indicator for indicator, row in evidence.indicators.items()
                                   for column in INDICATOR_NAME_COLUMNS if row.get(column)}
        self.fact_checker = RowChecker(schema.FACTS, years)
        self.default_source = self._check_options()

    # Options apply to every row, so their problems are reported once, without a row.
    def _check_options(self) -> str | NewSource | None:
        options = self.options
        checks = (("indicator_id", options.indicator, self._indicator), ("region", options.region, self._region),
                  ("period", options.period, lambda text: _period(text, self.years)))
        for column, text, checker in checks:
            if text:
                try:
                    checker(text)
                except _Invalid as invalid:
                    self.problems.append(Problem(None, column, invalid.problem))
        if isinstance(options.source, str) and options.source:
            try:
                return self._source_id(options.source)
            except _Invalid as invalid:
                self.problems.append(Problem(None, "source_id", invalid.problem))
        elif isinstance(options.source, NewSource):
            source, problems = self._new_source(vars(options.source))
            self.problems.extend(Problem(None, column, problem) for column, problem in problems)
            return source if not problems else None
        return None

    def _indicator(self, text: str) -> str:
        indicators, by_name = self.evidence.indicators, self.indicators_by_name
        found = text if text in indicators else by_name.get(_folded(text))
        if found is None:
            spellings = {**{_folded(i): i for i in indicators}, **by_name}
            raise _Invalid(_unknown("unknown_indicator", text, _suggest(text, spellings)))
        if indicators[found]["unit"] == TEXT_UNIT:
            raise _Invalid(message("text_indicator", indicator=found))
        return found

    def _region(self, text: str) -> str:
        code = self.evidence.region_codes.get(_region_key(text))
        if code is None:
            near = _suggest(text, self.evidence.region_spellings)
            suggestion = f"{self.evidence.region_names[near]} ({near})" if near else None
            raise _Invalid(_unknown("unknown_region", text, suggestion))
        return code

    def _source_id(self, text: str) -> str:
        if text in self.evidence.sources:
            return text
        raise _Invalid(_unknown("unknown_source", text, _suggest(text, {s: s for s in self.evidence.sources})))

    def _new_source(self, cells: dict[str, str]) -> tuple[str | NewSource | None, list[tuple[str, Message]]]:
        """A new source from its cells: the existing source with the same link, or a NewSource."""
        problems, fields = [], {}
        for column in SOURCE_COLUMNS:
            try:
                text = _one_line(cells.get(column, ""))
            except _Invalid as invalid:
                problems.append((column, invalid.problem))
                text = invalid.text
            try:
                if column in ("publisher", "title", "language", "tier") and not text:
                    raise _Invalid(message("blank"))
                if text and _is_formula(text):
                    raise _Invalid(message("formula", text=quoted(text)))
                if text and column == "published":
                    text = _published(text, self.years)
                elif text and column == "url" and not text.startswith(("http://", "https://")):
                    raise _Invalid(message("bad_url", text=quoted(text)))
                elif text and column == "language":
                    text = _language(text)
                elif text and column == "tier":
                    tiers = self.evidence.tiers
                    if _folded(text) not in tiers:
                        allowed = ", ".join(sorted(set(tiers.values())))
                        raise _Invalid(message("unknown_tier", text=quoted(text), allowed=allowed))
                    text = tiers[_folded(text)]
            except _Invalid as invalid:
                problems.append((column, invalid.problem))
            fields[column] = text
        if problems:
            return None, problems
        if fields["url"] in self.sources_by_url:
            return self.sources_by_url[fields["url"]], []
        return NewSource(**fields), []

    def source_id_for(self, source: NewSource) -> str:
        """The id a new source is written under: from its publisher, year and title, never one in use."""
        if source not in self.new_sources:
            year = source.published[:4]
            words = (_slug(source.publisher).split("_")[:SOURCE_ID_WORDS], [year],
                     _slug(source.title).split("_")[:SOURCE_ID_WORDS])
            base = "_".join(word for part in words for word in part if word) or "source"
            taken = set(self.evidence.sources) | set(self.new_sources.values())
            candidate, number = base, 1
            while candidate in taken:
                number += 1
                candidate = f"{base}_{number}"
            self.new_sources[source] = candidate
        return self.new_sources[source]

    def facts(self, table: Table, file_name: str) -> list[PlannedFact]:
        positions = {column.name: column.index for column in table.columns if column.name}
        facts = []
        for number, cells in table.rows:
            facts.extend(self._row(table, positions, number, cells, file_name))
        return facts

    def _row(self, table: Table, positions: dict[str, int], number: int, cells: list[str],
             file_name: str) -> list[PlannedFact]:
        problems: list[tuple[str, Message]] = []
        lines: dict[int, str] = {}  # cell index -> its text as one line, checked once

        def text_at(index: int, column: str) -> str:
            if index >= len(cells):
                return ""
            if index not in lines:
                try:
                    lines[index] = _one_line(cells[index])
                except _Invalid as invalid:
                    problems.append((column, invalid.problem))
                    lines[index] = invalid.text
            return lines[index]

        def cell(name: str) -> str:
            index = positions.get(name)
            text = text_at(index, name) if index is not None else ""
            return "" if text in NO_FIGURE else text

        def checked(column: str, text: str, checker):
            """checker(text), or None after noting the problem; formulas are refused before any check."""
            try:
                if _is_formula(text):
                    raise _Invalid(message("formula", text=quoted(text)))
                return checker(text)
            except _Invalid as invalid:
                problems.append((column, invalid.problem))
                return None

        def required(column: str, text: str, missing: str, checker):
            if not text:
                problems.append((column, message(missing)))
                return None
            return checked(column, text, checker)

        indicator = required("indicator_id", cell("indicator_id") or self.options.indicator or "", "no_indicator",
                             self._indicator)
        region = required("region", cell("region") or self.options.region or "", "no_region", self._region)
        unit_of = self.evidence.indicators[indicator]["unit"] if indicator else ""

        qualifier = DEFAULT_QUALIFIER
        if text := cell("qualifier"):
            def known_qualifier(text: str) -> str:
                if _folded(text) not in self.evidence.qualifiers:
                    allowed = ", ".join(sorted(set(self.evidence.qualifiers.values())))
                    raise _Invalid(message("unknown_qualifier", text=quoted(text), allowed=allowed))
                return self.evidence.qualifiers[_folded(text)]
            qualifier = checked("qualifier", text, known_qualifier)

        if (text := cell("unit")) and indicator:
            def same_unit(text: str) -> str:
                if _folded(text) != _folded(unit_of):
                    raise _Invalid(message("unit_differs", text=quoted(text), unit=unit_of, indicator=indicator))
                return unit_of
            checked("unit", text, same_unit)

        event = ""
        if text := cell("event_id"):
            def known_event(text: str) -> str:
                if text not in self.evidence.events:
                    raise _Invalid(_unknown("unknown_event", text, _suggest(text, {e: e for e in self.evidence.events})))
                return text
            event = checked("event_id", text, known_event) or ""
        note = checked("note", cell("note"), str) or ""

        source_id = None
        if text := cell("source_id"):
            source_id = checked("source_id", text, self._source_id)
        elif any(cell(column) for column in SOURCE_COLUMNS):
            source, source_problems = self._new_source({column: cell(column) for column in SOURCE_COLUMNS})
            problems.extend(source_problems)
            if isinstance(source, str):
                self.notices.append(message("source_by_url", row=number, source_id=source))
            source_id = self.source_id_for(source) if isinstance(source, NewSource) else source
        elif self.default_source is not None:
            source = self.default_source
            source_id = self.source_id_for(source) if isinstance(source, NewSource) else source
        elif not self.options.source:  # a source chosen for the file but invalid is reported once, above
            problems.append(("source_id", message("no_source")))

        def number_checker(text: str) -> str:
            value = _number(text, percent_ok=unit_of == PERCENT_UNIT, indicator=indicator or "", unit=unit_of)
            _plausible(text, value, self.evidence.units.get(unit_of))
            return value

        # One figure per value: the value column, or each year column with something in it.
        figures = []  # (column name for messages, period, value text)
        if table.year_columns:
            for column in table.year_columns:
                label = message("year_column", column="value", year=column.year).text()
                text = text_at(column.index, label)
                if text and text not in NO_FIGURE:
                    figures.append((label, column.year, text))
        else:
            period_text = cell("period") or self.options.period or ""
            period = required("period", period_text, "no_period", lambda text: _period(text, self.years))
            figures.append(("value", period, cell("value")))  # the value is checked even if the period failed

        planned = []
        for label, period, value_text in figures:
            if table.year_columns:
                period = checked(label, period, lambda text: _period(text, self.years))
            value = required(label, value_text, "blank", number_checker)
            value_high = ""
            if text := cell("value_high"):
                value_high = checked("value_high", text, number_checker) or ""
            if qualifier == RANGE_QUALIFIER and not value_high and not cell("value_high"):
                problems.append(("value_high", message("between_without_high")))
            elif qualifier != RANGE_QUALIFIER and cell("value_high"):
                problems.append(("value_high", message("high_without_between", text=quoted(cell("value_high")))))
            elif value_high and value is not None and Decimal(value_high) <= Decimal(value):
                problems.append(("value_high", message("high_not_above", text=quoted(value_high), low=value)))
            planned.append(PlannedFact(number, {
                "indicator_id": indicator or "", "region": region or "", "period": period or "",
                "value": value or "", "value_high": value_high, "unit": unit_of, "qualifier": qualifier or "",
                "source_id": source_id or "", "event_id": event, "note": note, "ref": f"{file_name}:{number}",
            }))
            if not problems:
                # What the checks above let through must also pass the validator, which checks the
                # written files: otherwise the import would be refused over a line of facts.csv.
                problems.extend((label if column in (None, "value") else column, message("not_storable", problem=text))
                                for column, text in self.fact_checker.problems(planned[-1].values))
        self.problems.extend(Problem(number, column, problem) for column, problem in problems)
        return planned


# --- sorting the figures against the evidence base -----------------------------------------------


def _same_value(a: dict[str, str], b: dict[str, str]) -> bool:
    def number(text: str) -> Decimal | None:
        return Decimal(text) if text else None
    return number(a["value"]) == number(b["value"]) and number(a["value_high"]) == number(b["value_high"])


def _classify(facts: list[PlannedFact], evidence: Evidence, problems: list[Problem]) -> None:
    by_key: dict[tuple, list[dict[str, str]]] = {}
    by_point: dict[tuple, list[dict[str, str]]] = {}  # (indicator, region, period, event)
    for row in evidence.facts:
        by_key.setdefault(tuple(row[c] for c in KEY_COLUMNS), []).append(row)
        by_point.setdefault((row["indicator_id"], row["region"], row["period"], row["event_id"]), []).append(row)
    invalid = {problem.row for problem in problems}
    first_in_file: dict[tuple, PlannedFact] = {}
    for fact in facts:
        if fact.row in invalid:
            continue
        earlier = first_in_file.get(fact.key)
        if earlier is not None:
            if _same_value(earlier.values, fact.values):
                fact.status, fact.repeats_row = DUPLICATE, earlier.row
            else:
                problems.append(Problem(fact.row, "value", message("same_key_in_file", other=earlier.row)))
            continue
        first_in_file[fact.key] = fact
        same_key = by_key.get(fact.key, [])
        if same_key:
            repeated = [row for row in same_key if _same_value(row, fact.values)]
            fact.status, fact.existing = (DUPLICATE, repeated) if repeated else (CHANGED, same_key)
            continue
        values = fact.values
        point = (values["indicator_id"], values["region"], values["period"], values["event_id"])
        others = [row for row in by_point.get(point, []) if not _same_value(row, values)]
        if others:
            fact.status, fact.existing = CONFLICT, others


# --- preview and commit --------------------------------------------------------------------------


def _checksum(content: bytes) -> str:
    return storage.sha256(content)


def preview(data_dir: Path, file_name: str, content: bytes, options: Options = Options(),
            limits: Limits = Limits()) -> Plan:
    """Read and check the file, and sort its figures against the data in data_dir. Writes nothing."""
    data_dir = Path(data_dir)
    plan = Plan(clean_file_name(file_name), _checksum(content))
    if plan.file_name != Path(file_name).name:
        plan.notices.append(message("file_name_cleaned", name=plan.file_name))
    existing_problems = check(data_dir)
    if existing_problems:
        quoted_problems = "; ".join(str(problem) for problem in existing_problems[:MAX_PROBLEMS_QUOTED])
        plan.problems.append(Problem(None, None, message("data_has_problems", problems=quoted_problems)))
        return plan
    try:
        table = read_table(plan.file_name, content, limits)
    except ReadError as error:
        plan.problems.append(Problem(None, None, error.problem))
        return plan
    plan.notices.extend(table.notices)
    plan.problems.extend(Problem(None, None, problem) for problem in table.problems)
    if table.problems:
        return plan
    plan.problems.extend(Problem(row, column, problem) for row, column, problem in table.row_problems)
    evidence = Evidence.load(data_dir)
    checker = _RowChecker(evidence, options, range(schema.FIRST_YEAR, date.today().year + 1))
    plan.facts = checker.facts(table, plan.file_name)
    plan.problems.extend(checker.problems)
    plan.notices.extend(checker.notices)
    _classify(plan.facts, evidence, plan.problems)
    used = {fact.values["source_id"] for fact in plan.valid_facts()}
    for source, source_id in checker.new_sources.items():
        if source_id in used:
            plan.new_sources[source_id] = {"source_id": source_id, **vars(source)}
    plan.problems.sort(key=lambda problem: (problem.row or 0))
    return plan


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    # The data files are written exactly like this (RFC 4180, minimal quoting, \n), so rewriting a file
    # changes only the rows that changed.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def _new_files(data_dir: Path, plan: Plan, confirm_changes: bool) -> tuple[dict[str, bytes], dict[str, object]]:
    """The new bytes of each data file the plan changes, in rename order, and a summary for the log."""
    header, rows = _read_csv(data_dir / schema.FACTS.file)
    key_index = [header.index(column) for column in KEY_COLUMNS]
    added = replaced = kept_old = 0
    for fact in plan.valid_facts():
        new_row = [fact.values[column] for column in header]
        if fact.status in (NEW, CONFLICT):
            rows.append(new_row)
            added += 1
        elif fact.status == CHANGED and not confirm_changes:
            kept_old += 1
        elif fact.status == CHANGED:
            matching = [i for i, row in enumerate(rows) if tuple(row[k] for k in key_index) == fact.key]
            if len(matching) == 1:
                rows[matching[0]] = new_row
                replaced += 1
            else:
                rows.append(new_row)
                added += 1
    written_sources = {row[header.index("source_id")] for row in rows}
    new_sources = [row for source_id, row in plan.new_sources.items() if source_id in written_sources]
    files = {}
    if new_sources:
        # Sources first: a reader between the two renames sees the new sources, not facts citing nothing.
        source_header, source_rows = _read_csv(data_dir / schema.SOURCES.file)
        source_rows += [[source[column] for column in source_header] for source in new_sources]
        files[schema.SOURCES.file] = _csv_bytes(source_header, source_rows)
    if added or replaced:
        files[schema.FACTS.file] = _csv_bytes(header, rows)
    summary = {
        "facts_added": added, "facts_replaced": replaced, "sources_added": [s["source_id"] for s in new_sources],
        "changes_not_confirmed": kept_old, "duplicates_skipped": len(plan.with_status(DUPLICATE)),
        "invalid_rows_skipped": len(plan.invalid_rows),
    }
    return files, summary


def commit(data_dir: Path, file_name: str, content: bytes, options: Options = Options(), *, user: str,
           via: str = storage.VIA_COMMAND_LINE, valid_only: bool = False, confirm_changes: bool = False) -> CommitResult:
    """Import the file: check it again against the data as it is now, under the write lock, and write.

    `via` says how `user` is known: storage.VIA_DESK (a checked login) or VIA_COMMAND_LINE (declared,
    not checked); the log records it. Raises ImportRefused when the file cannot be imported (nothing
    written), storage.ChangeUnfinished when the disk failed after the commit point. Returns the result
    with import_id None when every valid figure was already there.
    """
    data_dir = Path(data_dir)
    with storage.locked(data_dir):
        storage.recover(data_dir)
        plan = preview(data_dir, file_name, content, options)
        if plan.file_problems:
            raise ImportRefused(plan.file_problems, plan)
        if plan.invalid_rows and not valid_only:
            raise ImportRefused([Problem(None, None, message("refused_invalid", count=len(plan.invalid_rows)))], plan)
        files, summary = _new_files(data_dir, plan, confirm_changes)
        if not files:
            return CommitResult(plan, None, summary)
        entry = {"op": "import", "at": datetime.now(UTC).isoformat(timespec="seconds"), "user": user, "via": via,
                 "file": plan.file_name, "sha256": plan.checksum, "rows_added": summary["facts_added"],
                 "summary": summary}
        try:
            logged = storage.apply_change(data_dir, storage.new_change_id(), files, entry)
        except storage.ChangeRefused as refused:
            raise ImportRefused([Problem(None, None, refused.problem)], plan) from None
        return CommitResult(plan, logged["id"], summary)


def undo(data_dir: Path, import_id: str, *, user: str, via: str = storage.VIA_COMMAND_LINE) -> dict:
    """Undo an import (or an undo); raises storage.ChangeRefused with the reason when it cannot be."""
    return storage.undo(Path(data_dir), import_id, user=user, via=via)


def history(data_dir: Path) -> list[dict]:
    """The change log, newest first, each entry with "undo_problem": why it cannot be undone, or None."""
    log = storage.read_log(Path(data_dir))
    return [{**entry, "undo_problem": storage.undo_problem(Path(data_dir), entry["id"], log)} for entry in reversed(log)]


# --- the command ---------------------------------------------------------------------------------


def describe(fact: PlannedFact) -> str:
    values = fact.values
    value = values["value"] + (f"-{values['value_high']}" if values["value_high"] else "")
    qualifier = "" if values["qualifier"] == DEFAULT_QUALIFIER else f"{values['qualifier']} "
    event = f" [{values['event_id']}]" if values["event_id"] else ""
    return (f"row {fact.row}: {values['indicator_id']} {values['region']} {values['period']}{event} = "
            f"{qualifier}{value} {values['unit']} ({values['source_id']})")


def describe_existing(row: dict[str, str]) -> str:
    value = row["value"] + (f"-{row['value_high']}" if row["value_high"] else "")
    return f"{value} ({row['source_id']})"


def _print_plan(plan: Plan) -> None:
    print(f"{plan.file_name} (sha256 {plan.checksum[:12]}…): {len(plan.facts)} figure(s) read")
    for notice in plan.notices:
        print(f"note: {notice}")
    if plan.problems:
        print(f"{len(plan.problems)} problem(s) in {len(plan.invalid_rows)} row(s):" if plan.invalid_rows
              else "problem(s):")
        for problem in plan.problems:
            print(f"  {problem}")
    headings = {NEW: "new", CONFLICT: "conflicts (both values kept)",
                CHANGED: "changed (applied only with --confirm-changes)",
                DUPLICATE: "duplicates (skipped)"}
    for status, heading in headings.items():
        facts = plan.with_status(status)
        if facts:
            print(f"{heading}: {len(facts)}")
            for fact in facts:
                other = f"; existing: {', '.join(describe_existing(row) for row in fact.existing)}" if fact.existing else ""
                print(f"  {describe(fact)}{other}")
    for source_id, source in plan.new_sources.items():
        print(f"new source {source_id}: {source['publisher']}, {source['title']} ({source['tier']})")


def _options(args: argparse.Namespace) -> Options:
    source: str | NewSource | None = args.source
    if args.publisher or args.title:
        source = NewSource(publisher=args.publisher or "", title=args.title or "", published=args.published or "",
                           url=args.url or "", language=args.language or "", tier=args.tier or "",
                           date_note=args.date_note or "")
    return Options(source=source, indicator=args.indicator, region=args.region, period=args.year)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m queries.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="CSV or XLSX file to import")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--log", action="store_true", help="list the imports and undos, newest first")
    mode.add_argument("--undo", metavar="IMPORT_ID", help="undo an import")
    mode.add_argument("--recover", action="store_true", help="complete or roll back an import a crash interrupted")
    source = parser.add_argument_group("source of rows that name none (an existing one, or a new one)")
    source.add_argument("--source", metavar="SOURCE_ID")
    for name in SOURCE_COLUMNS:
        source.add_argument(f"--{name.replace('_', '-')}", dest=name)
    parser.add_argument("--indicator", help="indicator of rows that name none (id or name)")
    parser.add_argument("--region", help="region of rows that name none")
    parser.add_argument("--year", help="year (or YYYY-YYYY) of rows that give none")
    parser.add_argument("--valid-only", action="store_true", help="import the valid rows even if others have problems")
    parser.add_argument("--confirm-changes", action="store_true", help="let new values replace a source's old ones")
    parser.add_argument("--yes", action="store_true", help="write; without it the command only shows the preview")
    parser.add_argument("--user", default=getpass.getuser(),
                        help="name for the change log, logged as self-declared: the command line checks no password"
                             " (default: %(default)s)")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(), help="default: %(default)s")
    args = parser.parse_args(argv)
    if args.source and (args.publisher or args.title):
        parser.error("give either --source or a new source (--publisher, --title, ...), not both")
    if args.file is None and not (args.recover or args.log or args.undo):
        parser.error("name a file to import, or use --log, --undo or --recover")
    try:
        return _run(args)
    except (storage.ChangeRefused, storage.ChangeUnfinished) as refused:  # the disk or the lock, in any mode
        print(refused, file=sys.stderr)
        return 1
    except OSError as error:  # reading the file to import, or the log
        print(message("fault_read", path=printable(str(error.filename or args.file)), reason=error.strerror),
              file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    data_dir = args.data_dir
    if args.recover:
        with storage.locked(data_dir):
            recovery = storage.recover(data_dir)
        if recovery.completed:
            print(f"completed interrupted change {recovery.completed}")
        if recovery.removed:
            print("removed what an interrupted change left behind (the data is as before it):")
            for path in recovery.removed:
                print(f"  {path}")
        if not recovery:
            print("nothing to recover")
        return 0
    if args.log:
        for entry in history(data_dir):
            what = (f"undo of {entry['undoes']}" if entry["op"] == "undo"
                    else f"{printable(entry['file'])}: {entry['rows_added']} fact(s) added")
            state = "can be undone" if entry["undo_problem"] is None else f"cannot be undone: {entry['undo_problem']}"
            who = printable(entry["user"]) + (" (self-declared)" if entry.get("via") == storage.VIA_COMMAND_LINE else "")
            print(f"{entry['id']}  {entry['at']}  {who}  {what}  ({state})")
        return 0
    if args.undo:
        try:
            entry = undo(data_dir, args.undo, user=args.user)
        except storage.ChangeRefused as refused:
            print(refused, file=sys.stderr)
            return 1
        print(f"undone: {args.undo} (logged as {entry['id']}, by {printable(args.user)} (self-declared))")
        return 0

    try:
        check_size(args.file.stat().st_size)  # before reading: an oversized file is refused at once
    except ReadError as error:
        print(f"{clean_file_name(str(args.file))}: {error}", file=sys.stderr)
        return 1
    content = args.file.read_bytes()
    options = _options(args)
    if not args.yes:
        plan = preview(data_dir, str(args.file), content, options)
        _print_plan(plan)
        print("nothing written; run again with --yes to import")
        return 1 if plan.problems and not (args.valid_only and not plan.file_problems) else 0
    try:
        result = commit(data_dir, str(args.file), content, options, user=args.user, valid_only=args.valid_only,
                        confirm_changes=args.confirm_changes)
    except ImportRefused as refused:
        if refused.plan is not None:
            _print_plan(refused.plan)
        print(f"nothing written: {refused}", file=sys.stderr)
        return 1
    _print_plan(result.plan)
    if result.import_id is None:
        print(message("nothing_to_import"))
    else:
        summary = result.summary
        print(f"imported as {result.import_id}: {summary['facts_added']} fact(s) added, "
              f"{summary['facts_replaced']} replaced, {len(summary['sources_added'])} source(s) added")
    return 0


if __name__ == "__main__":
    sys.exit(main())

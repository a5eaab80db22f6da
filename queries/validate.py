"""Check the files in data/ against the data contract in data/README.md.

Usage: python -m queries.validate [DATA_DIR]

Prints one line per problem as `file:line: what is wrong` (line 1 is the header, line 0 means the
whole file) and exits 1, or prints a one-line summary and exits 0 when everything is fine.

Each problem is a `Problem` (queries/problem.py): a message (a catalogue key with values, see i18n)
and where it is.
"""

import argparse
import codecs
import csv
import io
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from i18n import Message, Number, message, quoted, t
from queries import schema
from queries.problem import Problem

# Columns whose values must be unique within their file; the first one is the key other files cite.
UNIQUE_COLUMNS = {
    "tiers": ("tier", "rank"),
    "qualifiers": ("qualifier",),
    "units": ("unit",),
    "sources": ("source_id",),
    "indicators": ("indicator_id",),
    "regions": ("iso_code",),
    "region_aliases": ("alias",),
    "events": ("event_id",),
}
# (file, column, cited file): every non-blank value must be a key of the cited file.
REFERENCES = (
    (schema.SOURCES, "tier", schema.TIERS),
    (schema.INDICATORS, "unit", schema.UNITS),
    (schema.REGIONS, "split_from", schema.REGIONS),
    (schema.REGION_ALIASES, "iso_code", schema.REGIONS),
    (schema.EVENTS, "region", schema.REGIONS),
    (schema.EVENTS, "source_ids", schema.SOURCES),
    (schema.FACTS, "indicator_id", schema.INDICATORS),
    (schema.FACTS, "region", schema.REGIONS),
    (schema.FACTS, "qualifier", schema.QUALIFIERS),
    (schema.FACTS, "source_id", schema.SOURCES),
    (schema.FACTS, "event_id", schema.EVENTS),
    (schema.STATEMENTS, "indicator_id", schema.INDICATORS),
    (schema.STATEMENTS, "region", schema.REGIONS),
    (schema.STATEMENTS, "source_id", schema.SOURCES),
)
# Ids a file defines must be [a-z0-9_]+; columns citing them are checked against that file instead.
DEFINED_IDS = {("tiers", "tier"), ("sources", "source_id"), ("indicators", "indicator_id"), ("events", "event_id")}
LIST_SEPARATOR = ";"  # events.source_ids holds several source ids
TEXT_UNIT = "text"  # unit of indicators that only statements.csv may use
RANGE_QUALIFIER = "between"
NATIONAL_SCOPE = "national"
NOTE_CLAUSE_SEPARATOR = ";"  # a note's clauses: "as of April 2023; the source cites the ministry"
# A binary double holds 15-17 significant digits; a value printed with that many is a float's rounding
# (16.9 billion computed as 16899999999.999998), never a figure a source prints.
MAX_SIGNIFICANT_DIGITS = 14
# A figure of this size that comes back to exactly an earlier year's value of the same source, with other
# values in between, is more likely a copying slip than a fact (the compilation's 42,328 NGO staff for
# both 2020 and 2024); small counts repeat by chance.
RETURNING_VALUE_FLOOR = 1000

IDENTIFIER = re.compile(r"[a-z0-9_]+")
WORD = re.compile(r"\w+")
WHOLE_NUMBER = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?")
PUBLISHED = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

Row = tuple[int, dict[str, str]]  # (line where the record starts, column -> text)
Checker = Callable[[str], Message | None]  # text -> what is wrong with it, or None


# --- what a plausible figure is ----------------------------------------------------------------

FRACTION, BELOW, ABOVE = "fraction", "below", "above"


@dataclass(frozen=True)
class UnitRule:
    """What a plausible figure in one unit is (units.csv): a whole number or not, and its range."""

    unit: str
    whole_number: bool
    minimum: Decimal | None
    maximum: Decimal | None

    def breach(self, value: Decimal) -> tuple[str, Decimal | None] | None:
        """(FRACTION, None), (BELOW, minimum) or (ABOVE, maximum) when value is implausible; else None."""
        if self.whole_number and value != value.to_integral_value():
            return FRACTION, None
        if self.minimum is not None and value < self.minimum:
            return BELOW, self.minimum
        if self.maximum is not None and value > self.maximum:
            return ABOVE, self.maximum
        return None


def _bound(text: str) -> Decimal | None:
    try:
        return Decimal(text) if DECIMAL.fullmatch(text) else None
    except InvalidOperation:
        return None


def unit_rules(rows: Iterable[dict[str, str]]) -> dict[str, UnitRule]:
    """Unit -> its rule, from the rows of units.csv (the import reads them with the same function)."""
    return {row["unit"]: UnitRule(row["unit"], row["whole_number"] == "yes", _bound(row["minimum"]),
                                  _bound(row["maximum"])) for row in rows}


def breach_message(column: str, text: str, rule: UnitRule) -> Message | None:
    """What is implausible about a value in its unit; None if nothing is."""
    found = rule.breach(Decimal(text))
    if found is None:
        return None
    kind, bound = found
    if kind == FRACTION:
        return message("validate.fraction", column=column, text=quoted(text), unit=rule.unit, file=schema.UNITS.file)
    return message("validate.below" if kind == BELOW else "validate.above", column=column, text=quoted(text),
                   unit=rule.unit, bound=Number(bound), file=schema.UNITS.file)


# --- reading files -----------------------------------------------------------------------------


def _read_text(path: Path, name: str, problems: list[Problem]) -> str | None:
    """The file's text, or None after reporting why it cannot be read as plain UTF-8."""
    if not path.is_file():
        problems.append(Problem(message("validate.file_missing"), name))
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(message("validate.unreadable", reason=error.strerror), name))
        return None
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        problems.append(Problem(message("validate.nul_bytes"), name, line))
        return None
    if data.startswith(codecs.BOM_UTF8):
        problems.append(Problem(message("validate.byte_order_mark"), name, 1))
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(message("validate.not_utf8"), name, line))
        return None


def _header_problem(found: list[str], expected: list[str]) -> Message:
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    repeated = sorted({c for c in found if found.count(c) > 1})
    labelled = (("validate.missing_columns", missing), ("validate.unexpected_columns", extra),
                ("validate.repeated_columns", repeated))
    parts = [message(key, columns=", ".join(columns)) for key, columns in labelled if columns]
    return message("validate.header_wrong", problems=parts or [message("validate.column_order")],
                   expected=",".join(expected))


def _read_table(data_dir: Path, table: schema.Table, problems: list[Problem]) -> list[Row] | None:
    """Rows with the right number of fields, or None when the file as a whole is unusable."""
    text = _read_text(data_dir / table.file, table.file, problems)
    if text is None:
        return None
    expected = table.column_names
    if not text:
        problems.append(Problem(message("validate.file_empty", expected=",".join(expected)), table.file))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    previous_end = 0  # a record may span lines; it starts on the line after the previous one ends
    try:
        header = next(reader)
        if header != expected:
            problems.append(Problem(_header_problem(header, expected), table.file, 1))
            return None
        previous_end = reader.line_num
        for fields in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if len(fields) == len(expected):
                rows.append((line, dict(zip(expected, fields))))
            elif not fields:
                problems.append(Problem(message("validate.empty_line"), table.file, line))
            else:
                problems.append(Problem(message("validate.field_count", found=len(fields), expected=len(expected)),
                                        table.file, line))
    except csv.Error as error:
        problems.append(Problem(message("validate.broken_quoting", error=str(error)), table.file, previous_end + 1))
        return None
    return rows


# --- single values -----------------------------------------------------------------------------


def _parse_date(text: str) -> date | None:
    """The date written as YYYY-MM-DD, or None if it is not a real date in that form."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _one_of(allowed: tuple[str, ...]) -> Checker:
    return lambda text: None if text in allowed else message("validate.not_one_of", allowed=", ".join(allowed))


def _identifier(text: str) -> Message | None:
    return None if IDENTIFIER.fullmatch(text) else message("validate.bad_identifier")


def _identifier_list(text: str) -> Message | None:
    if all(IDENTIFIER.fullmatch(part) for part in text.split(LIST_SEPARATOR)):
        return None
    return message("validate.bad_identifier_list", separator=LIST_SEPARATOR)


def _whole_number(text: str) -> Message | None:
    return None if WHOLE_NUMBER.fullmatch(text) else message("validate.not_whole_number")


def _decimal(text: str) -> Message | None:
    if DECIMAL.fullmatch(text):
        # DuckDB reads the value as a double: beyond its range it would become infinity.
        if not math.isfinite(float(text)):
            return message("validate.too_large")
        return _float_artefact(text)
    if text.startswith("-") and DECIMAL.fullmatch(text[1:]):
        return message("validate.negative")
    if "," in text or " " in text:
        return message("validate.separators_in_number")
    if text.startswith(("<", ">", "~", "≈")):
        return message("validate.words_in_number")
    return message("validate.not_plain_number")


def _float_artefact(text: str) -> Message | None:
    # Trailing zeros are not counted: 100000000000000 (a bound, 1e14) is exact, 16899999999.999998 is not.
    digits = text.replace(".", "").strip("0")
    if len(digits) <= MAX_SIGNIFICANT_DIGITS:
        return None
    return message("validate.float_artefact", digits=len(digits))


def _repeated_clause(text: str) -> Message | None:
    """A note says each thing once: merging two research rows must not put the same words in twice."""
    clauses = [" ".join(clause.split()) for clause in text.split(NOTE_CLAUSE_SEPARATOR)]
    for number, clause in enumerate(clauses):
        for other in clauses[number + 1:]:
            shorter, longer = sorted((clause, other), key=len)
            if shorter and (longer.casefold() + " ").startswith(shorter.casefold() + " "):
                return message("validate.repeated_clause", clause=quoted(shorter))
    return None


def _url(text: str) -> Message | None:
    return None if text.startswith(("http://", "https://")) else message("validate.bad_url")


def _one_script_per_word(text: str) -> Message | None:
    """Russian and Kazakh text: no word may mix Latin and Cyrillic letters, the usual slip being a
    Latin i typed for the Kazakh і (or a Latin a, e, o, c, p for its Cyrillic look-alike)."""
    for word in WORD.findall(text):
        scripts = {unicodedata.name(char, "").split(" ")[0] for char in word if char.isalpha()}
        if {"LATIN", "CYRILLIC"} <= scripts:
            return message("validate.mixed_scripts", word=quoted(word))
    return None


def _year_checks(years: range) -> dict[str, Checker]:
    """Checkers for the columns holding years or dates; years must lie within `years`."""
    outside = message("validate.outside_years", first=years.start, last=years.stop - 1)

    def year(text: str) -> Message | None:
        if not WHOLE_NUMBER.fullmatch(text):
            return message("validate.not_whole_number")
        return None if int(text) in years else outside

    def iso_date(text: str) -> Message | None:
        parsed = _parse_date(text)
        if parsed is None:
            return message("validate.bad_iso_date")
        return None if parsed.year in years else outside

    def published(text: str) -> Message | None:
        match = PUBLISHED.fullmatch(text)
        # A partial date is real when its first day is: '2023-02' passes, '2023-13' does not.
        if not match or _parse_date("-".join(part or "01" for part in match.groups())) is None:
            return message("validate.bad_published")
        return None if int(match[1]) in years else outside

    def period(text: str) -> Message | None:
        match = PERIOD.fullmatch(text)
        if not match:
            return message("validate.bad_period")
        if match[2] and int(match[1]) >= int(match[2]):
            return message("validate.period_order")
        return None if all(int(y) in years for y in match.groups() if y) else outside

    return {"year": year, "created_year": year, "start_date": iso_date, "end_date": iso_date,
            "published": published, "period": period}


def _column_checkers(table: schema.Table, years: range) -> dict[str, Checker]:
    """The checker of each column that has one: by column name (a name means the same in every
    file), else by the column's type."""
    year_checks = _year_checks(years)
    by_type = {"INTEGER": _whole_number, "DOUBLE": _decimal, "DATE": year_checks["start_date"]}
    by_name: dict[str, Checker] = {
        **year_checks, "url": _url, "language": _one_of(schema.SOURCE_LANGUAGES), "category": _one_of(schema.CATEGORIES),
        "whole_number": _one_of(schema.WHOLE_NUMBER_FLAGS), "type": _one_of(schema.REGION_TYPES), "scope": _one_of(schema.EVENT_SCOPES), "source_ids": _identifier_list,
        "note": _repeated_clause,
        **dict.fromkeys(("name_ru", "name_kk", "definition_ru", "definition_kk"), _one_script_per_word),
    }
    checkers = {}
    for column in table.columns:
        if (table.name, column.name) in DEFINED_IDS:
            checkers[column.name] = _identifier
        elif checker := by_name.get(column.name) or by_type.get(column.sql_type):
            checkers[column.name] = checker
    return checkers


class RowChecker:
    """The checks of a row that need no other row or file: required columns, each column's format,
    and the rules across its columns. The import runs them on every row it would write, so what its
    preview accepts is what the validator accepts."""

    def __init__(self, table: schema.Table, years: range):
        self.checkers = _column_checkers(table, years)
        self.required = [c.name for c in table.columns if c.required]
        self.rule = ROW_RULES.get(table.name)

    def problems(self, row: dict[str, str]) -> list[tuple[str | None, Message]]:
        """(column, or None for a rule across columns; what is wrong)."""
        found = [(name, message("validate.blank", column=name)) for name in self.required if not row[name].strip()]
        for name, checker in self.checkers.items():
            text = row[name]
            if text.strip() and (wrong := checker(text)):
                found.append((name, message("validate.column_value", column=name, text=quoted(text), problem=wrong)))
        if self.rule:
            found.extend((None, problem) for problem in self.rule(row))
        return found


def _check_values(table: schema.Table, rows: list[Row], years: range, problems: list[Problem]) -> None:
    checker = RowChecker(table, years)
    problems.extend(Problem(said, table.file, line) for line, row in rows for _, said in checker.problems(row))


# --- whole files and cross-file rules ----------------------------------------------------------


def _normalized_alias(alias: str) -> str:
    return " ".join(alias.split()).casefold()


def _check_duplicates(table: schema.Table, rows: list[Row], problems: list[Problem]) -> None:
    first_line_of_row: dict[tuple[str, ...], int] = {}
    first_line_of_key: dict[tuple[str, str], int] = {}
    normalize = _normalized_alias if table is schema.REGION_ALIASES else str
    for line, row in rows:
        values = tuple(row.values())
        if values in first_line_of_row:
            said = message("validate.duplicate_row", line=first_line_of_row[values])
            problems.append(Problem(said, table.file, line))
            continue
        first_line_of_row[values] = line
        for key in UNIQUE_COLUMNS.get(table.name, ()):
            value = normalize(row[key])
            if not value:
                continue
            if (key, value) in first_line_of_key:
                said = message("validate.alias_used" if normalize is _normalized_alias else "validate.key_used",
                               column=key, text=quoted(row[key]), line=first_line_of_key[key, value])
                problems.append(Problem(said, table.file, line))
            else:
                first_line_of_key[key, value] = line


def _check_references(tables: dict[str, list[Row] | None], problems: list[Problem]) -> None:
    keys = {name: {row[UNIQUE_COLUMNS[name][0]] for _, row in rows} for name, rows in tables.items()
            if name in UNIQUE_COLUMNS and rows is not None}
    for table, column, cited in REFERENCES:
        rows = tables[table.name]
        # An unusable file was reported once already; skip the checks that depend on it.
        if rows is None or cited.name not in keys:
            continue
        is_list = column == "source_ids"
        for line, row in rows:
            for value in row[column].split(LIST_SEPARATOR) if is_list else (row[column],):
                if value and value not in keys[cited.name]:
                    said = message("validate.not_listed", column=column, text=quoted(value), file=cited.file)
                    problems.append(Problem(said, table.file, line))


def _check_units(tables: dict[str, list[Row] | None], problems: list[Problem]) -> None:
    if tables["indicators"] is None:
        return
    unit_of = {row["indicator_id"]: row["unit"] for _, row in tables["indicators"]}
    rules = unit_rules(row for _, row in tables["units"] or [])
    for line, row in tables["facts"] or []:
        unit = unit_of.get(row["indicator_id"])
        if unit == TEXT_UNIT:
            said = message("validate.text_indicator_in_facts", indicator=quoted(row["indicator_id"]), unit=TEXT_UNIT,
                           file=schema.STATEMENTS.file)
            problems.append(Problem(said, schema.FACTS.file, line))
        elif unit is not None and row["unit"] != unit:
            said = message("validate.unit_differs", text=quoted(row["unit"]), unit=quoted(unit),
                           indicator=quoted(row["indicator_id"]))
            problems.append(Problem(said, schema.FACTS.file, line))
        elif rule := rules.get(row["unit"]):
            for column in ("value", "value_high"):
                if DECIMAL.fullmatch(row[column]) and (wrong := breach_message(column, row[column], rule)):
                    problems.append(Problem(wrong, schema.FACTS.file, line))
    for line, row in tables["statements"] or []:
        unit = unit_of.get(row["indicator_id"])
        if unit not in (None, TEXT_UNIT):
            said = message("validate.figure_indicator_in_statements", indicator=quoted(row["indicator_id"]),
                           unit=quoted(unit), text_unit=TEXT_UNIT)
            problems.append(Problem(said, schema.STATEMENTS.file, line))


def _page_address(url: str) -> tuple[str, str]:
    """(site, path and query) of a URL: the site is the host without its first label when it has more
    than two (en.unesco.kz and agroweb.unesco.kz are one site), so one page at two addresses compares equal."""
    rest = url.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    labels = host.lower().rstrip(".").split(".")
    return ".".join(labels[-2:]), path.rstrip("/")


def _check_same_page(sources: list[Row] | None, problems: list[Problem]) -> None:
    """One page is one source, even when it is reachable at two addresses."""
    first_line_of: dict[tuple[str, str], tuple[int, str]] = {}
    for line, row in sources or []:
        if not row["url"].startswith(("http://", "https://")):
            continue
        page = _page_address(row["url"])
        other_line, other_id = first_line_of.get(page, (0, row["source_id"]))
        # The same id twice is a duplicate key, reported once already.
        if other_id != row["source_id"]:
            said = message("validate.same_page", url=quoted(row["url"]), source=quoted(other_id), line=other_line)
            problems.append(Problem(said, schema.SOURCES.file, line))
        first_line_of.setdefault(page, (line, row["source_id"]))


def _check_returning_values(facts: list[Row] | None, problems: list[Problem]) -> None:
    """A large figure that comes back to exactly an earlier year's value of the same source and place, after
    other values in between, carries a note saying so: it is more likely a copying slip than a fact."""
    series: dict[tuple[str, str, str], list[tuple[int, str, int, str]]] = defaultdict(list)
    for line, row in facts or []:
        if WHOLE_NUMBER.fullmatch(row["period"]) and DECIMAL.fullmatch(row["value"]):
            key = (row["indicator_id"], row["region"], row["source_id"])
            series[key].append((int(row["period"]), row["value"], line, row["note"].strip()))
    for points in series.values():
        points.sort()
        for at, (year, value, line, note) in enumerate(points):
            if note or float(value) < RETURNING_VALUE_FLOOR:
                continue
            earlier = [y for y, v, _, _ in points[:at] if v == value
                       and any(v2 != value for y2, v2, _, _ in points if y < y2 < year)]
            if earlier:
                said = message("validate.returning_value", text=quoted(value), year=year, earlier=earlier[0])
                problems.append(Problem(said, schema.FACTS.file, line))


def _value_high_problems(fact: dict[str, str]) -> Iterator[Message]:
    low, high, qualifier = fact["value"], fact["value_high"].strip(), fact["qualifier"]
    if qualifier == RANGE_QUALIFIER and not high:
        yield message("validate.high_required", qualifier=qualifier)
    elif qualifier != RANGE_QUALIFIER and high:
        yield message("validate.high_without_range", text=quoted(high), qualifier=RANGE_QUALIFIER)
    elif high and DECIMAL.fullmatch(low) and DECIMAL.fullmatch(high) and float(high) <= float(low):
        yield message("validate.high_not_above", text=quoted(high), low=quoted(low))


def _event_problems(event: dict[str, str]) -> Iterator[Message]:
    start, end, year = _parse_date(event["start_date"]), _parse_date(event["end_date"]), event["year"]
    if start and end and end < start:
        yield message("validate.end_before_start", end=quoted(event["end_date"]), start=quoted(event["start_date"]))
    if start and WHOLE_NUMBER.fullmatch(year) and int(year) != start.year:
        yield message("validate.year_not_start", year=quoted(year), start=quoted(event["start_date"]))
    if event["scope"] == NATIONAL_SCOPE and event["region"] != schema.COUNTRY:
        yield message("validate.national_event_region", region=quoted(event["region"]), country=schema.COUNTRY,
                      scope=NATIONAL_SCOPE)


def _unit_problems(unit: dict[str, str]) -> Iterator[Message]:
    minimum, maximum = _bound(unit["minimum"]), _bound(unit["maximum"])
    if unit["unit"] != TEXT_UNIT and (minimum is None or maximum is None):
        yield message("validate.bounds_required", unit=quoted(unit["unit"]))
    elif minimum is not None and maximum is not None and minimum >= maximum:
        yield message("validate.bounds_order", maximum=quoted(unit["maximum"]), minimum=quoted(unit["minimum"]))


# Rules that look at several columns of one row.
ROW_RULES: dict[str, Callable[[dict[str, str]], Iterator[Message]]] = {
    "units": _unit_problems,
    "facts": _value_high_problems,
    "events": _event_problems,
}


def _check_geojson(data_dir: Path, regions: list[Row] | None, problems: list[Problem]) -> None:
    name = schema.GEOJSON_FILE
    text = _read_text(data_dir / name, name, problems)
    if text is None:
        return
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(Problem(message("validate.bad_json", error=error.msg), name, error.lineno))
        return
    is_collection = isinstance(collection, dict) and collection.get("type") == "FeatureCollection"
    features = collection.get("features") if is_collection else None
    if not isinstance(features, list):
        problems.append(Problem(message("validate.not_feature_collection"), name))
        return
    known = None if regions is None else {row["iso_code"] for _, row in regions}
    first_feature_of: dict[str, int] = {}
    # json keeps no line numbers, so features are named by their position (1 = first).
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("iso_code") if isinstance(properties, dict) else None
        if not isinstance(code, str) or not code:
            problems.append(Problem(message("validate.feature_without_code", feature=number), name))
        elif known is not None and code not in known:
            said = message("validate.feature_code_unknown", feature=number, code=quoted(code), file=schema.REGIONS.file)
            problems.append(Problem(said, name))
        elif code in first_feature_of:
            said = message("validate.feature_code_used", feature=number, code=quoted(code),
                           other=first_feature_of[code])
            problems.append(Problem(said, name))
        else:
            first_feature_of[code] = number


def _validate(data_dir: Path, today: date) -> tuple[list[Problem], dict[str, list[Row] | None]]:
    """The problems found, and the usable rows of every table (None for an unusable file)."""
    if not data_dir.is_dir():
        return [Problem(message("validate.no_data_folder"), str(data_dir))], {}
    years = range(schema.FIRST_YEAR, today.year + 1)
    problems: list[Problem] = []
    tables = {table.name: _read_table(data_dir, table, problems) for table in schema.TABLES}
    for table in schema.TABLES:
        rows = tables[table.name]
        if rows is None:
            continue
        _check_values(table, rows, years, problems)
        _check_duplicates(table, rows, problems)
    _check_references(tables, problems)
    _check_units(tables, problems)
    _check_same_page(tables["sources"], problems)
    _check_returning_values(tables["facts"], problems)
    _check_geojson(data_dir, tables["regions"], problems)
    # Group the report by file, in line order; problems on one line keep the order of the rules.
    file_order = {table.file: number for number, table in enumerate(schema.TABLES)}
    problems.sort(key=lambda problem: (file_order.get(problem.file, len(file_order)), problem.row or 0))
    return problems, tables


def check(data_dir: Path, *, today: date | None = None) -> list[Problem]:
    """Every problem found in the data files; `today` fixes the last allowed year (for tests)."""
    return _validate(Path(data_dir), today or date.today())[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m queries.validate", description=__doc__.splitlines()[0])
    default = schema.data_dir()
    parser.add_argument("data_dir", nargs="?", type=Path, default=default, help=f"default: {default}")
    data_dir = parser.parse_args(argv).data_dir
    problems, tables = _validate(data_dir, date.today())
    for problem in problems:
        print(t(problem.located))
    if problems:
        print(t("validate.summary_problems", count=len(problems), folder=str(data_dir)))
        return 1
    headline = (schema.SOURCES, schema.FACTS, schema.STATEMENTS)
    counts = [f"{len(tables[table.name])} {table.name.replace('_', ' ')}" for table in
              headline + tuple(table for table in schema.TABLES if table not in headline)]
    print(t("validate.summary_ok", counts=", ".join(counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

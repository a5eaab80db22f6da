"""The rows of an office's table as planned facts, with every problem by row and column.

A row names (or the options give for the whole file) an indicator, a region, a period, a value, a
source (an existing one, or a new one by publisher, title, ...), and may add a qualifier, an upper
value, an event and a note. Each is read from its cell (desk/cells.py) and looked up in the data
(desk/snapshot.py). A row of the wide layout holds one figure per year column. What passes these
checks must also pass the validator's row checks, so the preview accepts only what can be written.
"""

from decimal import Decimal
from functools import partial

from desk.cells import (NO_FIGURE, Invalid, check_plausible, folded, is_formula, language, number, one_line, period,
                        published, slug)
from desk.plan import SOURCE_COLUMNS, NewSource, Options, PlannedFact
from desk.read import Table, year_column_label
from desk.snapshot import DataSnapshot, region_key, suggest, unknown
from i18n import Message, message, quoted
from queries import schema
from queries.problem import Problem
from queries.validate import RowChecker, UnitRule

INDICATOR_NAME_COLUMNS = ("name", "name_ru", "name_kk")
DEFAULT_QUALIFIER = "exact"
RANGE_QUALIFIER = "between"
TEXT_UNIT = "text"
PERCENT_UNIT = "percent"
SOURCE_ID_WORDS = 3  # words of the publisher, and of the title, in the id of a new source


class RowCells:
    """One row of the table by column meaning. Each cell is read once, as one line of text; the
    problems found in the row are collected by column as they are found."""

    def __init__(self, cells: list[str], positions: dict[str, int]):
        self.cells = cells
        self.positions = positions  # column meaning -> index of its cell
        self.problems: list[tuple[str, Message]] = []
        self._lines: dict[int, str] = {}

    def at(self, index: int, column: str) -> str:
        """The cell at index as one line ("" past the row's end); its problems are named after column."""
        if index >= len(self.cells):
            return ""
        if index not in self._lines:
            try:
                self._lines[index] = one_line(self.cells[index])
            except Invalid as invalid:
                self.problems.append((column, invalid.problem))
                self._lines[index] = invalid.text
        return self._lines[index]

    def __getitem__(self, name: str) -> str:
        """The cell of the column that means `name`; "" when the file has no such column or prints no figure."""
        index = self.positions.get(name)
        text = self.at(index, name) if index is not None else ""
        return "" if text in NO_FIGURE else text

    def check(self, column: str, text: str, read):
        """read(text), or None after noting its problem; a formula is refused before it is read."""
        try:
            if is_formula(text):
                raise Invalid(message("ingest.formula", text=quoted(text)))
            return read(text)
        except Invalid as invalid:
            self.problems.append((column, invalid.problem))
            return None

    def require(self, column: str, text: str, missing: str, read):
        """check(), after noting the problem `missing` when there is no text."""
        if not text:
            self.problems.append((column, message(missing)))
            return None
        return self.check(column, text, read)


def known_qualifier(snapshot: DataSnapshot, text: str) -> str:
    if folded(text) not in snapshot.qualifiers:
        allowed = ", ".join(sorted(set(snapshot.qualifiers.values())))
        raise Invalid(message("ingest.unknown_qualifier", text=quoted(text), allowed=allowed))
    return snapshot.qualifiers[folded(text)]


def same_unit(unit: str, indicator: str, text: str) -> str:
    """A unit column may repeat the indicator's unit, never change it."""
    if folded(text) != folded(unit):
        raise Invalid(message("ingest.unit_differs", text=quoted(text), unit=unit, indicator=indicator))
    return unit


def known_event(snapshot: DataSnapshot, text: str) -> str:
    if text not in snapshot.events:
        raise Invalid(unknown("ingest.unknown_event", text, suggest(text, {e: e for e in snapshot.events})))
    return text


def figure(unit: str, indicator: str, rule: UnitRule | None, text: str) -> str:
    """A value or upper value: a number, plausible in its unit."""
    value = number(text, percent_ok=unit == PERCENT_UNIT, indicator=indicator, unit=unit)
    check_plausible(text, value, rule)
    return value


class RowReader:
    """Reads the rows of a table as planned facts, collecting problems per row and column."""

    def __init__(self, snapshot: DataSnapshot, options: Options, years: range):
        self.snapshot = snapshot
        self.options = options
        self.years = years
        self.problems: list[Problem] = []
        self.notices: list[Message] = []
        self.new_sources: dict[NewSource, str] = {}  # new source -> the id it gets
        self.sources_by_url = {row["url"]: source_id for source_id, row in snapshot.sources.items() if row["url"]}
        # Indicators may be named in any language indicators.csv has a name column for.
        self.indicators_by_name = {folded(row[column]): indicator for indicator, row in snapshot.indicators.items()
                                   for column in INDICATOR_NAME_COLUMNS if row.get(column)}
        self.fact_checker = RowChecker(schema.FACTS, years)
        self.default_source = self._check_options()

    # Options apply to every row, so their problems are reported once, without a row.
    def _check_options(self) -> str | NewSource | None:
        options = self.options
        checks = (("indicator_id", options.indicator, self._indicator), ("region", options.region, self._region),
                  ("period", options.period, self._period))
        for column, text, read in checks:
            if text:
                try:
                    read(text)
                except Invalid as invalid:
                    self.problems.append(Problem(invalid.problem, column=column))
        if isinstance(options.source, str) and options.source:
            try:
                return self._source_id(options.source)
            except Invalid as invalid:
                self.problems.append(Problem(invalid.problem, column="source_id"))
        elif isinstance(options.source, NewSource):
            source, problems = self._new_source(vars(options.source))
            self.problems.extend(Problem(problem, column=column) for column, problem in problems)
            return source if not problems else None
        return None

    def _period(self, text: str) -> str:
        return period(text, self.years)

    def _indicator(self, text: str) -> str:
        indicators, by_name = self.snapshot.indicators, self.indicators_by_name
        found = text if text in indicators else by_name.get(folded(text))
        if found is None:
            spellings = {**{folded(i): i for i in indicators}, **by_name}
            raise Invalid(unknown("ingest.unknown_indicator", text, suggest(text, spellings)))
        if indicators[found]["unit"] == TEXT_UNIT:
            raise Invalid(message("ingest.text_indicator", indicator=found))
        return found

    def _region(self, text: str) -> str:
        code = self.snapshot.region_codes.get(region_key(text))
        if code is None:
            near = suggest(text, self.snapshot.region_spellings)
            suggestion = f"{self.snapshot.region_names[near]} ({near})" if near else None
            raise Invalid(unknown("ingest.unknown_region", text, suggestion))
        return code

    def _source_id(self, text: str) -> str:
        if text in self.snapshot.sources:
            return text
        raise Invalid(unknown("ingest.unknown_source", text, suggest(text, {s: s for s in self.snapshot.sources})))

    def _new_source(self, cells: dict[str, str]) -> tuple[str | NewSource | None, list[tuple[str, Message]]]:
        """A new source from its cells: the existing source with the same link, or a NewSource."""
        problems, fields = [], {}
        for column in SOURCE_COLUMNS:
            try:
                text = one_line(cells.get(column, ""))
            except Invalid as invalid:
                problems.append((column, invalid.problem))
                text = invalid.text
            try:
                if column in ("publisher", "title", "language", "tier") and not text:
                    raise Invalid(message("ingest.blank"))
                if text and is_formula(text):
                    raise Invalid(message("ingest.formula", text=quoted(text)))
                if text and column == "published":
                    text = published(text, self.years)
                elif text and column == "url" and not text.startswith(("http://", "https://")):
                    raise Invalid(message("ingest.bad_url", text=quoted(text)))
                elif text and column == "language":
                    text = language(text)
                elif text and column == "tier":
                    tiers = self.snapshot.tiers
                    if folded(text) not in tiers:
                        allowed = ", ".join(sorted(set(tiers.values())))
                        raise Invalid(message("ingest.unknown_tier", text=quoted(text), allowed=allowed))
                    text = tiers[folded(text)]
            except Invalid as invalid:
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
            words = (slug(source.publisher).split("_")[:SOURCE_ID_WORDS], [year],
                     slug(source.title).split("_")[:SOURCE_ID_WORDS])
            base = "_".join(word for part in words for word in part if word) or "source"
            taken = set(self.snapshot.sources) | set(self.new_sources.values())
            candidate, count = base, 1
            while candidate in taken:
                count += 1
                candidate = f"{base}_{count}"
            self.new_sources[source] = candidate
        return self.new_sources[source]

    def facts(self, table: Table, file_name: str) -> list[PlannedFact]:
        positions = {column.name: column.index for column in table.columns if column.name}
        planned = []
        for row_number, cells in table.rows:
            row = RowCells(cells, positions)
            planned.extend(self._row_facts(table, row, row_number, file_name))
            self.problems.extend(Problem(problem, row=row_number, column=column) for column, problem in row.problems)
        return planned

    def _row_facts(self, table: Table, row: RowCells, row_number: int, file_name: str) -> list[PlannedFact]:
        """The row's figures as facts (one, or one per year column), valid or not."""
        indicator = row.require("indicator_id", row["indicator_id"] or self.options.indicator or "",
                                "ingest.no_indicator", self._indicator)
        region = row.require("region", row["region"] or self.options.region or "", "ingest.no_region", self._region)
        unit = self.snapshot.indicators[indicator]["unit"] if indicator else ""
        qualifier = DEFAULT_QUALIFIER
        if text := row["qualifier"]:
            qualifier = row.check("qualifier", text, partial(known_qualifier, self.snapshot))
        if (text := row["unit"]) and indicator:
            row.check("unit", text, partial(same_unit, unit, indicator))
        event = ""
        if text := row["event_id"]:
            event = row.check("event_id", text, partial(known_event, self.snapshot)) or ""
        note = row.check("note", row["note"], str) or ""
        source_id = self._row_source(row, row_number)
        read_figure = partial(figure, unit, indicator or "", self.snapshot.units.get(unit))

        planned = []
        for label, fact_period, value_text in self._figures(table, row):
            if table.year_columns:
                fact_period = row.check(label, fact_period, self._period)
            value = row.require(label, value_text, "ingest.blank", read_figure)
            value_high = self._value_high(row, qualifier, value, read_figure)
            planned.append(PlannedFact(row_number, {
                "indicator_id": indicator or "", "region": region or "", "period": fact_period or "",
                "value": value or "", "value_high": value_high, "unit": unit, "qualifier": qualifier or "",
                "source_id": source_id or "", "event_id": event, "note": note, "ref": f"{file_name}:{row_number}",
            }))
            if not row.problems:
                row.problems.extend(self._storage_problems(label, planned[-1].values))
        return planned

    def _row_source(self, row: RowCells, row_number: int) -> str | None:
        """The row's source id: named in the row, a new source from its cells, or the file's source."""
        if text := row["source_id"]:
            return row.check("source_id", text, self._source_id)
        if any(row[column] for column in SOURCE_COLUMNS):
            source, problems = self._new_source({column: row[column] for column in SOURCE_COLUMNS})
            row.problems.extend(problems)
            if isinstance(source, str):
                self.notices.append(message("ingest.source_by_url", row=row_number, source_id=source))
            return self.source_id_for(source) if isinstance(source, NewSource) else source
        if self.default_source is not None:
            source = self.default_source
            return self.source_id_for(source) if isinstance(source, NewSource) else source
        if not self.options.source:  # a source chosen for the file but invalid is reported once, above
            row.problems.append(("source_id", message("ingest.no_source")))
        return None

    def _figures(self, table: Table, row: RowCells) -> list[tuple[str, str | None, str]]:
        """(column name for problems, period, value text) of each figure: the value column, or each
        year column with something in it. A year column's period is checked with its figure."""
        if table.year_columns:
            figures = []
            for column in table.year_columns:
                label = year_column_label(column.year)
                text = row.at(column.index, label)
                if text and text not in NO_FIGURE:
                    figures.append((label, column.year, text))
            return figures
        row_period = row.require("period", row["period"] or self.options.period or "", "ingest.no_period", self._period)
        return [("value", row_period, row["value"])]  # the value is checked even if the period failed

    @staticmethod
    def _value_high(row: RowCells, qualifier: str | None, value: str | None, read_figure) -> str:
        """The upper value of a range ("between"), which only a range has and which must be above the value."""
        value_high = ""
        if text := row["value_high"]:
            value_high = row.check("value_high", text, read_figure) or ""
        if qualifier == RANGE_QUALIFIER and not value_high and not row["value_high"]:
            row.problems.append(("value_high", message("ingest.between_without_high")))
        elif qualifier != RANGE_QUALIFIER and row["value_high"]:
            row.problems.append(("value_high", message("ingest.high_without_between", text=quoted(row["value_high"]))))
        elif value_high and value is not None and Decimal(value_high) <= Decimal(value):
            row.problems.append(("value_high", message("ingest.high_not_above", text=quoted(value_high), low=value)))
        return value_high

    def _storage_problems(self, label: str, values: dict[str, str]) -> list[tuple[str, Message]]:
        """The validator's row checks on the fact as facts.csv would hold it: what the checks above let
        through must pass them too, or the import would be refused over a line of facts.csv."""
        return [(label if column in (None, "value") else column, message("ingest.not_storable", problem=said))
                for column, said in self.fact_checker.problems(values)]

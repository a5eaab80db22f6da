"""What an import is asked to do (options for the rows that leave something out) and what it would do.

Every figure of a file is one of:
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

from dataclasses import dataclass, field

from i18n import Message
from queries.problem import Problem

NEW, CONFLICT, CHANGED, DUPLICATE = "new", "conflict", "changed", "duplicate"
STATUSES = (NEW, CONFLICT, CHANGED, DUPLICATE)
KEY_COLUMNS = ("indicator_id", "region", "period", "source_id", "event_id")
# A new source's columns, in a file or given for the whole file.
SOURCE_COLUMNS = ("publisher", "title", "published", "date_note", "url", "language", "tier")


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


def value_text(fact: dict[str, str]) -> str:
    """A fact's value as the preview writes it: "23335", or a range "100-200"."""
    return fact["value"] + (f"-{fact['value_high']}" if fact["value_high"] else "")


def describe_existing(row: dict[str, str]) -> str:
    """A fact of the data files as the preview lists it beside a new one: its value and source."""
    return f"{value_text(row)} ({row['source_id']})"


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

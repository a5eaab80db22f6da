"""Turn an office's CSV or XLSX file into a table of text cells with known column meanings.

Files come from many offices and programs: UTF-8 with or without a byte order mark or Windows-1251,
commas, semicolons or tabs, a title above the header, two header rows with merged cells, years as
columns, empty columns. This module finds the header and says what each column means; it does not
judge cell values (queries/ingest.py does).
"""

import codecs
import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from queries.ingest_messages import Message, message

MAX_FILE_BYTES = 10 * 1024 * 1024  # keep in step with server.maxUploadSize in .streamlit/config.toml
# An XLSX file is a zip archive; a small one can unpack to gigabytes (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
HEADER_SCAN_ROWS = 30  # the header must start within this many rows (titles and notes may come first)
DELIMITERS = (";", ",", "\t")
XLSX_MAGIC = b"PK\x03\x04"
# Share of control characters above which bytes are not text in any encoding an office uses.
MAX_CONTROL_SHARE = 0.01

# Column names an office file may use, by the column they mean. Matching ignores case, text in
# brackets, surrounding punctuation and repeated spaces (see _header_key). Documented in data/README.md.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "показатель", "индикатор", "көрсеткіш"),
    "region": ("region", "region_code", "iso_code", "регион", "область", "наименование региона", "регион/область",
               "область/город", "өңір", "аймақ"),
    "period": ("period", "year", "год", "период", "отчетный год", "жыл", "кезең"),
    "value": ("value", "значение", "количество", "число", "сумма", "мән", "саны", "сомасы"),
    "value_high": ("value_high", "value high", "верхнее значение", "значение до"),
    "unit": ("unit", "единица", "единица измерения", "ед. изм", "ед.изм", "өлшем бірлігі"),
    "qualifier": ("qualifier", "уточнение", "оговорка"),
    "source_id": ("source_id", "source", "источник", "код источника", "дереккөз"),
    "publisher": ("publisher", "издатель", "издание", "ведомство", "баспагер"),
    "title": ("title", "заголовок", "название", "название публикации", "тақырып"),
    "published": ("published", "publication date", "дата публикации", "жарияланған күні"),
    "date_note": ("date_note", "date note", "примечание к дате"),
    "url": ("url", "link", "ссылка", "сілтеме"),
    "language": ("language", "язык", "тіл"),
    "tier": ("tier", "уровень источника"),
    "event_id": ("event_id", "event", "событие", "форум", "іс-шара"),
    "note": ("note", "примечание", "комментарий", "ескертпе", "ескерту"),
}
HEADER_EXAMPLES = "region, year, value (Регион, Год, Значение)"
BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A header cell that is a year ("2024", "2024 г.", "2024 год", "2024 жыл") makes its column the values
# of that year: statistics offices print one column per year.
YEAR_HEADER = re.compile(r"((?:19|20)[0-9]{2})(?:\s*(?:г|год|жыл|year))?")


def _header_key(label: str) -> str:
    text = BRACKETED.sub(" ", label.replace("\u00a0", " ")).casefold().replace("ё", "е")
    return " ".join(text.split()).strip(" .:*")


HEADER_MEANING = {_header_key(name): column for column, names in HEADER_NAMES.items() for name in names}


class ReadError(Exception):
    """The file as a whole cannot be read as a table; its message says why."""

    def __init__(self, problem: Message):
        super().__init__(problem.text())
        self.problem = problem


@dataclass(frozen=True)
class Column:
    index: int
    label: str  # as the file prints it
    name: str | None = None  # the import column it means (a HEADER_NAMES key), if any
    year: str | None = None  # for a year column: the year its values belong to


@dataclass
class Table:
    columns: list[Column]  # the columns that mean something; the rest are left out
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    problems: list[Message] = field(default_factory=list)  # about the file as a whole: nothing is imported
    notices: list[Message] = field(default_factory=list)  # worth knowing, but not in the way

    @property
    def year_columns(self) -> list[Column]:
        return [column for column in self.columns if column.year]


# --- bytes to rows -----------------------------------------------------------------------------


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError(message("file_too_large", size_mb=f"{size / 2**20:.1f}", limit_mb=MAX_FILE_BYTES // 2**20))


def _decode(content: bytes) -> str:
    if content.startswith(XLSX_MAGIC):
        raise ReadError(message("xlsx_named_csv"))
    controls = sum(content.count(bytes([byte])) for byte in (*range(0, 9), 11, 12, *range(14, 32)))
    if b"\0" in content or controls > MAX_CONTROL_SHARE * len(content):
        raise ReadError(message("binary_csv"))
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Windows-1251 is what Russian-language Excel and 1C save "CSV" as.
    try:
        return content.decode("cp1251")
    except UnicodeDecodeError:
        raise ReadError(message("binary_csv")) from None


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Records with the line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, previous_end = [], 0
    for cells in reader:
        rows.append((previous_end + 1, cells))
        previous_end = reader.line_num
    return rows


def _csv_table(content: bytes) -> Table:
    text = _decode(content)
    # The delimiter is the one under which a header row can be found with the most known column names.
    best: tuple[int, str] | None = None
    for delimiter in DELIMITERS:
        head = _csv_rows("\n".join(itertools.islice(text.splitlines(), HEADER_SCAN_ROWS + 1)), delimiter)
        found = _find_header(head)
        if found is not None:
            recognised = sum(1 for column in found[1] if column.name or column.year)
            if best is None or recognised > best[0]:
                best = (recognised, delimiter)
    if best is None:
        raise ReadError(message("no_header", rows=HEADER_SCAN_ROWS, examples=HEADER_EXAMPLES))
    return _table(_csv_rows(text, best[1]))


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a person sees in it (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_table(content: bytes) -> Table:
    import openpyxl  # imported late: only XLSX files need it

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ReadError(message("bad_xlsx", error=str(error))) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ReadError(message("xlsx_too_large", size_mb=unpacked // 2**20, limit_mb=MAX_XLSX_UNPACKED_BYTES // 2**20))
    try:
        # data_only: a formula cell counts with the value Excel last computed, as the official saw it.
        # Not read_only: that mode does not report merged cells.
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files; all mean the same here
        raise ReadError(message("bad_xlsx", error=type(error).__name__)) from None
    sheet = workbook.worksheets[0]
    grid = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    # A merged range shows its text across all its cells, so a merged heading names every column under it.
    for merged in sheet.merged_cells.ranges:
        text = grid[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row - 1, merged.max_row):
            for col in range(merged.min_col - 1, merged.max_col):
                grid[row][col] = text
    table = _table(list(enumerate(grid, start=1)))
    if len(workbook.worksheets) > 1:
        others = ", ".join(f"'{other.title}'" for other in workbook.worksheets[1:])
        table.notices.append(message("other_sheets", sheet=sheet.title, others=others))
    return table


def read_table(name: str, content: bytes) -> Table:
    """The file's table; raises ReadError when the file as a whole cannot be used."""
    check_size(len(content))
    if not content.strip():
        raise ReadError(message("file_empty"))
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_table(content)
    if suffix in (".csv", ".txt"):
        return _csv_table(content)
    raise ReadError(message("file_type", name=name))


# --- the header ----------------------------------------------------------------------------------


def _meaning(index: int, label: str) -> Column:
    key = _header_key(label)
    if year := YEAR_HEADER.fullmatch(key):
        return Column(index, label.strip(), year=year[1])
    return Column(index, label.strip(), name=HEADER_MEANING.get(key))


def _usable(columns: list[Column]) -> bool:
    """Whether these header cells describe a table of figures: values (or years) and one more column."""
    recognised = [column for column in columns if column.name or column.year]
    has_values = any(column.name == "value" or column.year for column in columns)
    return has_values and len(recognised) >= 2


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, list[Column], int] | None:
    """(index of the header's first row, its columns, index of the first data row), or None.

    A header may take two rows: a top row with merged group headings ("Registered NGOs" across the
    year columns) over a row naming each column ("2024", "2025"). Then each column is named by its
    lower cell, or by the upper one where the lower is empty.
    """
    for index, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = [_meaning(i, label) for i, label in enumerate(cells)]
        if _usable(columns):
            return index, columns, index + 1
        if index + 1 < len(rows) and any(column.name or column.year for column in columns):
            below = rows[index + 1][1]
            labels = [low if low.strip() else up for up, low in itertools.zip_longest(cells, below, fillvalue="")]
            combined = [_meaning(i, label) for i, label in enumerate(labels)]
            if _usable(combined):
                return index, combined, index + 2
    return None


def _table(rows: list[tuple[int, list[str]]]) -> Table:
    found = _find_header(rows)
    if found is None:
        raise ReadError(message("no_header", rows=HEADER_SCAN_ROWS, examples=HEADER_EXAMPLES))
    header_index, columns, data_start = found
    problems, notices, kept = [], [], []
    first_with: dict[str, Column] = {}
    for column in columns:
        meaning = column.name or column.year
        if meaning is None:
            if column.label:  # columns without a name are the empty ones spreadsheets carry along
                notices.append(message("column_ignored", label=column.label))
            continue
        if meaning in first_with:
            problems.append(message("repeated_column", first=first_with[meaning].label, second=column.label,
                                    column=meaning))
            continue
        first_with[meaning] = column
        kept.append(column)
    years = [column.year for column in kept if column.year]
    if years and "value" in first_with:
        problems.append(message("two_layouts", years=", ".join(years)))
    header_rows = [cells for _, cells in rows[header_index:data_start]]
    data = []
    for number, cells in rows[data_start:]:
        if not any(cell.strip() for cell in cells):
            continue
        # A header repeated further down (on every printed page, or under a vertical merge) is not data.
        if all(not cell.strip() or any(i < len(h) and h[i] == cell for h in header_rows) for i, cell in enumerate(cells)):
            continue
        data.append((number, cells))
    if not data and not problems:
        problems.append(message("no_rows"))
    return Table(kept, data, problems, notices)

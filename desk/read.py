"""Turn an office's CSV or XLSX file into a table of text cells with known column meanings.

Files come from many offices and programs: UTF-8 with or without a byte order mark, Windows-1251 or
UTF-16 (Excel's "Unicode text"), commas, semicolons or tabs, a title above the header, two header
rows with merged cells, years as columns, empty columns. This module finds the header and says what
each column means; it does not judge cell values (desk/cells.py and desk/rows.py do).

A file may also be hostile or broken: a stray cell at a sheet's last cell, a million rows, a quote
that never closes, lines in two encodings. Reading is bounded (bytes, rows, columns, cells, seconds)
and workbooks are streamed, so no file can make the server run out of memory or time; whatever
cannot be read is refused with a message that names the row and column where it can.
"""

import bisect
import codecs
import csv
import io
import itertools
import posixpath
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from xml.etree import ElementTree

from i18n import Message, MessageError, Number, message, printable

MAX_FILE_BYTES = 10 * 1024 * 1024  # keep in step with server.maxUploadSize in .streamlit/config.toml
# An XLSX file is a zip archive; a small one can unpack to gigabytes (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
HEADER_SCAN_ROWS = 30  # the header must start within this many rows (titles and notes may come first)
DELIMITERS = (";", ",", "\t")
XLSX_MAGIC = b"PK\x03\x04"
# Share of control characters above which bytes are not text in any encoding an office uses; a few
# in a small file are text with stray characters, which the import reports by row and column.
MAX_CONTROL_SHARE = 0.01
MIN_CONTROLS_OF_BINARY = 32
# Share of NUL bytes at odd (or even) positions above which bytes are UTF-16 text without its mark.
UTF16_NUL_SHARE = 0.3
LINES_QUOTED = 5  # line numbers a message lists


@dataclass(frozen=True)
class Limits:
    """How much of a file is read at most. The largest file within them previews in seconds and
    bounded memory (bench/ingest.py measures it); a sheet or file beyond any of them is refused."""

    rows: int = 50_000  # rows with content
    figures: int = 50_000  # figures in the data rows (a row holds one per year column in the wide layout)
    columns: int = 200
    cells: int = 250_000  # cells read (and a sheet's declared rows x columns, and what its merged ranges cover)
    merged_ranges: int = 10_000
    seconds: float = 30.0  # of the reading thread's CPU time: what the file costs, however busy the server is


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
VALUE_COLUMNS = ("value", "value_high")  # a figure; a year column holds figures too
BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A header cell that is a year ("2024", "2024 г.", "2024 год", "2024 жыл") makes its column the values
# of that year: statistics offices print one column per year.
YEAR_HEADER = re.compile(r"((?:19|20)[0-9]{2})(?:\s*(?:г|год|жыл|year))?")
# A merged range in a worksheet's XML (<mergeCell ref="A1:D1"/>, any namespace prefix). Text inside
# XML cannot hold a raw "<", so only the element itself matches.
MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
XML_CHUNK_BYTES = 1 << 20
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab and line breaks
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the csv module ends a line on
OFFICE_DOCUMENT = "/officeDocument"  # the end of the relationship type that points at the workbook part


def _header_key(label: str) -> str:
    text = BRACKETED.sub(" ", label.replace("\u00a0", " ")).casefold().replace("ё", "е")
    return " ".join(text.split()).strip(" .:*")


HEADER_MEANING = {_header_key(name): column for column, names in HEADER_NAMES.items() for name in names}


class ReadError(MessageError):
    """The file as a whole cannot be read as a table; its problem says why."""


@dataclass(frozen=True)
class Column:
    index: int
    label: str  # as the file prints it (control characters escaped)
    name: str | None = None  # the import column it means (a HEADER_NAMES key), if any
    year: str | None = None  # for a year column: the year its values belong to

    @property
    def holds_figures(self) -> bool:
        return self.name in VALUE_COLUMNS or self.year is not None


@dataclass(frozen=True)
class Merged:
    """A merged range of a worksheet: rows as the spreadsheet numbers them, columns from 0."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass
class Table:
    columns: list[Column]  # the columns that mean something; the rest are left out
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    problems: list[Message] = field(default_factory=list)  # about the file as a whole: nothing is imported
    notices: list[Message] = field(default_factory=list)  # worth knowing, but not in the way
    row_problems: list[tuple[int, str, Message]] = field(default_factory=list)  # (row, column label, problem)

    @property
    def year_columns(self) -> list[Column]:
        return [column for column in self.columns if column.year]


def year_column_label(year: str) -> str:
    """How problems name a year column of the wide layout: by the figures it holds and their year."""
    return f"value {year}"


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column counted from 0: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    return sum((ord(letter) - ord("A") + 1) * 26**power for power, letter in enumerate(reversed(letters))) - 1


class _Reading:
    """The row, column and time limits while one file is read."""

    def __init__(self, limits: Limits, clock: Callable[[], float]):
        self.limits = limits
        self.clock = clock
        self.deadline = clock() + limits.seconds
        self.rows = self.cells = 0

    def row(self, number: int, cells: list[str]) -> bool:
        """Check one row as read; False when it is empty (it is left out)."""
        if self.clock() > self.deadline:
            raise ReadError(message("ingest.read_too_slow", seconds=int(self.limits.seconds), row=number))
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            return False
        if len(cells) > self.limits.columns:
            raise ReadError(message("ingest.too_many_columns", row=number, column=column_letter(len(cells) - 1),
                                    limit=self.limits.columns))
        self.rows += 1
        if self.rows > self.limits.rows:
            raise ReadError(message("ingest.too_many_rows", row=number, limit=Number(self.limits.rows)))
        self.cells += len(cells)
        if self.cells > self.limits.cells:
            raise ReadError(message("ingest.too_many_cells", row=number, limit=Number(self.limits.cells)))
        return True


# --- bytes to text -------------------------------------------------------------------------------


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError(message("ingest.file_too_large", size_mb=f"{size / 2**20:.1f}", limit_mb=MAX_FILE_BYTES // 2**20))


def _is_text(text: str) -> bool:
    return len(CONTROL_CHARACTER.findall(text)) <= max(MAX_CONTROL_SHARE * len(text), MIN_CONTROLS_OF_BINARY)


def _looks_like_utf16(content: bytes) -> bool:
    """Latin or Cyrillic UTF-16 without a byte order mark: one byte of every two is mostly NUL."""
    even, odd = content[0::2], content[1::2]
    return max(even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)) > UTF16_NUL_SHARE


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:LINES_QUOTED])
    return shown + (", …" if len(numbers) > LINES_QUOTED else "")


def _mixed_encodings(content: bytes) -> Message | None:
    """Lines in UTF-8 beside lines in another encoding: decoding all of it either way garbles some."""
    utf8, other = [], []
    for number, line in enumerate(content.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(number)
        except UnicodeDecodeError:
            other.append(number)
    if utf8 and other:
        return message("ingest.mixed_encodings", utf8_rows=_lines(utf8), other_rows=_lines(other))
    return None


def _decode(content: bytes) -> tuple[str, list[Message]]:
    """The file's text and notices about its encoding."""
    if content.startswith(XLSX_MAGIC):
        raise ReadError(message("ingest.xlsx_named_csv"))
    # Excel's "Unicode text" is UTF-16 with a byte order mark; so is Notepad's "Unicode".
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            try:
                text = content[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise ReadError(message("ingest.binary_csv")) from None
            if not _is_text(text):
                raise ReadError(message("ingest.binary_csv"))
            return text, [message("ingest.read_utf16")]
    if b"\0" in content:
        raise ReadError(message("ingest.utf16_without_bom" if _looks_like_utf16(content) else "ingest.binary_csv"))
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        if mixed := _mixed_encodings(content):
            raise ReadError(mixed) from None
        # Not UTF-8: Windows-1251 is what Russian-language Excel and 1C save "CSV" as.
        try:
            text = content.decode("cp1251")
        except UnicodeDecodeError:
            raise ReadError(message("ingest.binary_csv")) from None
    if not _is_text(text):
        raise ReadError(message("ingest.binary_csv"))
    return text, []


# --- text to rows --------------------------------------------------------------------------------


def _quote_column(line: str, delimiter: str) -> str:
    """The column of the cell whose quote a line leaves open: its last cell, read leniently."""
    cells = next(csv.reader([line], delimiter=delimiter), [""])
    return column_letter(max(len(cells) - 1, 0))


def _long_cell_column(line: str, delimiter: str, limit: int) -> str:
    cells = line.split(delimiter)
    return column_letter(next((i for i, cell in enumerate(cells) if len(cell) > limit), len(cells) - 1))


def _csv_rows(text: str, delimiter: str, reading: _Reading) -> list[tuple[int, list[str]]]:
    """Records with the line each starts on; empty ones are left out.

    Quoting is strict: a quote that opens a cell and never closes would swallow the rows after it
    into that cell, so it is refused, naming the row and column where it opens. So is a cell that
    holds line breaks followed by what looks like more cells (a quote closed rows too late).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, previous_end = [], 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if reader.line_num > start:  # a cell spans lines
                for index, cell in enumerate(cells):
                    if any(delimiter in line for line in LINE_BREAK.split(cell)[1:]):
                        raise ReadError(message("ingest.unbalanced_quote", row=start, column=column_letter(index)))
            if reading.row(start, cells):
                rows.append((start, cells))
    except csv.Error as error:
        start = previous_end + 1
        line = next(itertools.islice(io.StringIO(text, newline=""), start - 1, None), "").rstrip("\r\n")
        limit = csv.field_size_limit()
        if "field larger than field limit" in str(error):
            raise ReadError(message("ingest.cell_too_long_to_read", row=start, column=_long_cell_column(line, delimiter, limit),
                                    limit=Number(limit))) from None
        raise ReadError(message("ingest.unbalanced_quote", row=start, column=_quote_column(line, delimiter))) from None
    return rows


def _header_sample(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The first rows, read leniently: the sample may end inside a quoted cell."""
    sample = "".join(itertools.islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS + 1))
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, cells))
    except csv.Error:
        pass  # a broken record is reported when the whole file is read
    return rows


def _csv_table(content: bytes, reading: _Reading) -> Table:
    text, notices = _decode(content)
    # The delimiter is the one under which a header row can be found with the most known column names.
    best: tuple[int, str] | None = None
    for delimiter in DELIMITERS:
        found = _find_header(_header_sample(text, delimiter))
        if found is not None:
            recognised = sum(1 for column in found[1] if column.name or column.year)
            if best is None or recognised > best[0]:
                best = (recognised, delimiter)
    if best is None:
        raise ReadError(message("ingest.no_header", rows=HEADER_SCAN_ROWS, examples=HEADER_EXAMPLES))
    table = _table(_csv_rows(text, best[1], reading), reading.limits)
    table.notices[:0] = notices
    return table


# --- workbooks -----------------------------------------------------------------------------------


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


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    """The path inside the archive of the worksheet with this title, from the package's relationships."""
    def relationships(path: str) -> dict[str, tuple[str, str]]:  # id -> (type, target path)
        folder = posixpath.dirname(posixpath.dirname(path))
        found = {}
        for relation in ElementTree.fromstring(archive.read(path)):
            target = relation.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[relation.get("Id", "")] = (relation.get("Type", ""), target)
        return found

    package = relationships("_rels/.rels")
    workbook = next((target for kind, target in package.values() if kind.endswith(OFFICE_DOCUMENT)), None)
    if workbook is None:
        return None
    folder, name = posixpath.split(workbook)
    parts = relationships(posixpath.join(folder, "_rels", f"{name}.rels"))
    for sheet in ElementTree.fromstring(archive.read(workbook)).iter():
        if sheet.tag.endswith("}sheet") and sheet.get("name") == title:
            relation = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)
            return parts.get(relation, ("", None))[1]
    return None


def _merged_ranges(archive: zipfile.ZipFile, title: str, limits: Limits) -> set[Merged]:
    """The merged ranges of a worksheet, found by streaming its XML (read-only openpyxl has none)."""
    part = _sheet_part(archive, title)
    if part is None:
        return set()
    found, tail = set(), b""
    with archive.open(part) as stream:
        while chunk := stream.read(XML_CHUNK_BYTES):
            window = tail + chunk
            for first_col, first_row, last_col, last_row in MERGE_CELL.findall(window):
                found.add(Merged(int(first_row), _column_index(first_col.decode()),
                                 int(last_row or first_row), _column_index((last_col or first_col).decode())))
            if len(found) > limits.merged_ranges:
                raise ReadError(message("ingest.too_many_merged", limit=Number(limits.merged_ranges)))
            tail = window[-200:]  # a match cut by the chunk's end is found whole in the next window
    return found


def _chosen_sheet(workbook) -> tuple[object, Message | None]:
    """The sheet that was open when the file was saved, if visible; else the first visible one."""
    visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if not visible:
        raise ReadError(message("ingest.no_visible_sheet"))
    try:
        active = workbook.active
    except IndexError:  # an active sheet number beyond the sheets
        active = None
    sheet = next((candidate for candidate in visible if candidate is active), visible[0])
    others = [other for other in workbook.worksheets if other is not sheet]
    if not others:
        return sheet, None
    named = [message("ingest.sheet" if other.sheet_state == "visible" else "ingest.hidden_sheet",
                     sheet=printable(other.title)) for other in others]
    return sheet, message("ingest.other_sheets", sheet=printable(sheet.title), others=named)


def _sheet_rows(sheet, reading: _Reading) -> list[tuple[int, list[str]]]:
    """The sheet's rows with content, streamed; refused when its declared or actual size is beyond the limits."""
    limits = reading.limits
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
        raise ReadError(message("ingest.sheet_too_large", sheet=printable(sheet.title),
                                corner=f"{column_letter(columns - 1)}{rows}", rows=Number(rows), columns=Number(columns),
                                row_limit=Number(limits.rows), column_limit=Number(limits.columns)))
    # Read what the sheet holds, not what its header claims: a wrong claim would hide rows.
    sheet.reset_dimensions()
    found = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(value) for value in values]
        if reading.row(number, cells):
            found.append((number, cells))
    return found


def _rows_within(numbers: list[int], area: Merged) -> list[int]:
    """The row numbers (sorted) that lie in the area's rows."""
    return numbers[bisect.bisect_left(numbers, area.first_row):bisect.bisect_right(numbers, area.last_row)]


def _fill_merged(rows: list[tuple[int, list[str]]], merged: set[Merged], limits: Limits) -> None:
    """Show a merged range's text in every cell it covers (on rows with content), as the sheet shows it."""
    by_number = dict(rows)
    numbers = sorted(by_number)
    covered = 0
    for area in merged:
        last_column = min(area.last_column, limits.columns - 1)
        within = _rows_within(numbers, area)
        covered += len(within) * max(last_column - area.first_column + 1, 0)
        if covered > limits.cells:
            raise ReadError(message("ingest.merged_too_large", limit=Number(limits.cells)))
        top = by_number.get(area.first_row, [])
        text = top[area.first_column] if area.first_column < len(top) else ""
        for number in within:
            cells = by_number[number]
            cells.extend([""] * (last_column + 1 - len(cells)))
            for column in range(area.first_column, last_column + 1):
                cells[column] = text


def _xlsx_table(content: bytes, reading: _Reading) -> Table:
    import openpyxl  # imported late: only XLSX files need it

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ReadError(message("ingest.bad_xlsx", error=str(error))) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ReadError(message("ingest.xlsx_too_large", size_mb=unpacked // 2**20, limit_mb=MAX_XLSX_UNPACKED_BYTES // 2**20))
    try:
        # read_only streams the sheet row by row instead of building every cell it declares.
        # data_only: a formula cell counts with the value Excel last computed, as the official saw it.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files; all mean the same here
        raise ReadError(message("ingest.bad_xlsx", error=type(error).__name__)) from None
    try:
        sheet, notice = _chosen_sheet(workbook)
        rows = _sheet_rows(sheet, reading)
        merged = _merged_ranges(archive, sheet.title, reading.limits)
    except ReadError:
        raise
    except Exception as error:  # a damaged sheet shows only once it is read
        raise ReadError(message("ingest.bad_xlsx", error=type(error).__name__)) from None
    finally:
        workbook.close()
    _fill_merged(rows, merged, reading.limits)
    table = _table(rows, reading.limits, merged)
    if notice is not None:
        table.notices.append(notice)
    return table


def read_table(name: str, content: bytes, limits: Limits = Limits(), clock: Callable[[], float] = time.thread_time) -> Table:
    """The file's table; raises ReadError when the file as a whole cannot be used."""
    check_size(len(content))
    if not content.strip():
        raise ReadError(message("ingest.file_empty"))
    reading = _Reading(limits, clock)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_table(content, reading)
    if suffix in (".csv", ".txt"):
        return _csv_table(content, reading)
    raise ReadError(message("ingest.file_type", name=printable(name)))


# --- the header ----------------------------------------------------------------------------------


def _meaning(index: int, label: str) -> Column:
    key = _header_key(label)
    if year := YEAR_HEADER.fullmatch(key):
        return Column(index, printable(label.strip()), year=year[1])
    return Column(index, printable(label.strip()), name=HEADER_MEANING.get(key))


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


def _merged_figures(merged: set[Merged], columns: list[Column], data: list[int]) -> list[tuple[int, str, Message]]:
    """A figure merged across several rows (or year columns) would be copied to each: refused on every data
    row it covers."""
    problems = []
    for area in sorted(merged, key=lambda area: (area.first_row, area.first_column)):
        covered = [column for column in columns if area.first_column <= column.index <= area.last_column
                   and column.holds_figures]
        if not covered or (area.first_row == area.last_row and len(covered) == 1):
            continue
        where = f"{column_letter(area.first_column)}{area.first_row}:{column_letter(area.last_column)}{area.last_row}"
        first = covered[0]
        label = first.name or year_column_label(first.year)
        problems += [(number, label, message("ingest.merged_figure", cells=where))
                     for number in _rows_within(data, area)]
    return problems


def _figures_beyond(data: list[tuple[int, list[str]]], columns: list[Column], limit: int) -> int | None:
    """The row where the file's figures pass the limit, if they do."""
    indexes = [column.index for column in columns if column.year or column.name == "value"]
    count = 0
    for number, cells in data:
        count += sum(1 for index in indexes if index < len(cells) and cells[index].strip())
        if count > limit:
            return number
    return None


def _table(rows: list[tuple[int, list[str]]], limits: Limits, merged: set[Merged] = frozenset()) -> Table:
    found = _find_header(rows)
    if found is None:
        raise ReadError(message("ingest.no_header", rows=HEADER_SCAN_ROWS, examples=HEADER_EXAMPLES))
    header_index, columns, data_start = found
    problems, notices, kept = [], [], []
    first_with: dict[str, Column] = {}
    for column in columns:
        meaning = column.name or column.year
        if meaning is None:
            if column.label:  # columns without a name are the empty ones spreadsheets carry along
                notices.append(message("ingest.column_ignored", label=column.label))
            continue
        if meaning in first_with:
            problems.append(message("ingest.repeated_column", first=first_with[meaning].label, second=column.label,
                                    column=meaning))
            continue
        first_with[meaning] = column
        kept.append(column)
    years = [column.year for column in kept if column.year]
    if years and "value" in first_with:
        problems.append(message("ingest.two_layouts", years=", ".join(years)))
    header_rows = [cells for _, cells in rows[header_index:data_start]]
    data = []
    for number, cells in rows[data_start:]:
        # A header repeated further down (on every printed page, or under a vertical merge) is not data.
        if all(not cell.strip() or any(i < len(h) and h[i] == cell for h in header_rows) for i, cell in enumerate(cells)):
            continue
        data.append((number, cells))
    if not data and not problems:
        problems.append(message("ingest.no_rows"))
    if (beyond := _figures_beyond(data, kept, limits.figures)) is not None:
        raise ReadError(message("ingest.too_many_figures", row=beyond, limit=Number(limits.figures)))
    return Table(kept, data, problems, notices, _merged_figures(merged, kept, [number for number, _ in data]))

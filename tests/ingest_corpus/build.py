"""The binary, large and hostile files of the import corpus, built at test time (the small CSV files beside this are committed).

    python tests/ingest_corpus/build.py DIR    writes them into DIR, to try with python -m desk
"""

import codecs
import io
import random
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

LARGE_FILE_BYTES = 50 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MILLION_ROWS = 1_000_000
HUGE_CELL_CHARS = 200_000
WIDE_COLUMNS = 300
DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _saved(workbook: openpyxl.Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _with_dimension(content: bytes, dimension: str | None) -> bytes:
    """The workbook with its first sheet's declared size replaced (None: removed), as other programs write it."""
    replacement = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = DIMENSION.sub(replacement, data)
            target.writestr(item, data)
    return output.getvalue()


def stray_cell_workbook() -> bytes:
    """A small table and one stray cell at the sheet's last cell, XFD1048576: the sheet declares
    a billion-cell range (a file forwarded around an office picks this up easily)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Регион", "Год", "Значение"])
    sheet.append(["Г.АЛМАТЫ", 2024, 4420])
    sheet["XFD1048576"] = "x"
    return _saved(workbook)


def stray_cell_undeclared_workbook() -> bytes:
    """The same, without the declared size: the stray cell is found while streaming."""
    return _with_dimension(stray_cell_workbook(), None)


def stray_row_undeclared_workbook() -> bytes:
    """A stray cell in column A of the last row, no declared size: a million rows to walk through."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Регион", "Год", "Значение"])
    sheet.append(["Г.АЛМАТЫ", 2024, 4420])
    sheet["A1048576"] = "x"
    return _with_dimension(_saved(workbook), None)


def understated_workbook() -> bytes:
    """A sheet whose declared size (A1:C2) hides three of its rows: every row is read all the same."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Регион", "Год", "Значение"])
    for region, value in (("Г.АЛМАТЫ", 4420), ("Г.АСТАНА", 3100), ("АКМОЛИНСКАЯ ОБЛАСТЬ", 735), ("ЖЕТЫСУСКАЯ ОБЛАСТЬ", 310)):
        sheet.append([region, 2024, value])
    return _with_dimension(_saved(workbook), "A1:C2")


def hidden_first_sheet_workbook() -> bytes:
    """An old, hidden sheet first and the current, visible one open: the figures are the visible sheet's."""
    workbook = openpyxl.Workbook()
    old = workbook.active
    old.title = "2019"
    old.append(["Регион", "Год", "Значение"])
    old.append(["Г.АЛМАТЫ", 2024, 999])
    old.sheet_state = "hidden"
    current = workbook.create_sheet("2024")
    current.append(["Регион", "Год", "Значение"])
    current.append(["Г.АЛМАТЫ", 2024, 4420])
    workbook.active = 1
    workbook.create_sheet("Notes")["A1"] = "prepared by the statistics department"
    return _saved(workbook)


def merged_values_workbook() -> bytes:
    """One figure merged down across two regions' rows, and one merged across two year columns;
    a region merged down over its two year rows is the layout's own and is read as such."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Регион", "2023", "2024"])
    sheet.append(["Г.АЛМАТЫ", 4100, 4420])  # row 2
    sheet.append(["Г.АСТАНА", None, 3100])  # row 3: B2:B3 merged
    sheet.merge_cells("B2:B3")
    sheet.append(["АКМОЛИНСКАЯ ОБЛАСТЬ", 735, None])  # row 4: B4:C4 merged
    sheet.merge_cells("B4:C4")
    sheet.append(["КАРАГАНДИНСКАЯ ОБЛАСТЬ", 1210, 1250])  # row 5
    return _saved(workbook)


def region_merged_down_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Регион", "Год", "Значение"])
    sheet.append(["Г.АЛМАТЫ", 2023, 4100])
    sheet.append([None, 2024, 4420])
    sheet.merge_cells("A2:A3")
    return _saved(workbook)


def mixed_encodings_csv() -> bytes:
    """UTF-8 lines and one Windows-1251 line (pasted from another file): read whole either way, one
    of them would be garbled."""
    return ("Регион;Год;Значение;Примечание\nГ.АЛМАТЫ;2024;4420;по данным акимата\n".encode()
            + "Г.АСТАНА;2024;3100;по данным управления\n".encode("cp1251")
            + "АКМОЛИНСКАЯ ОБЛАСТЬ;2024;735;\n".encode())


UNICODE_TEXT = "Регион\tГод\tЗначение\tПримечание\nГ.АЛМАТЫ\t2024\t4420\tпо данным акимата\nЖЕТІСУ ОБЛЫСЫ\t2024\t310\t\n"


def unicode_text_csv() -> bytes:
    """Excel's "Unicode text": UTF-16 little-endian with its byte order mark, tab-separated."""
    return codecs.BOM_UTF16_LE + UNICODE_TEXT.encode("utf-16-le")


def utf16_without_bom_csv() -> bytes:
    return UNICODE_TEXT.encode("utf-16-le")


def huge_cell_csv() -> bytes:
    """A 200,000-character note (beyond what Python's csv reads in one field)."""
    return ("region,year,value,note\nKZ-75,2024,4420,ok\nKZ-71,2024,3100," + "x" * HUGE_CELL_CHARS + "\n").encode()


def long_note_csv() -> bytes:
    return ("region,year,value,note\nKZ-75,2024,4420," + "слово " * 1000 + "\nKZ-71,2024,3100,ok\n").encode()


def control_characters_csv() -> bytes:
    """An escape sequence that clears a terminal, a bell, a right-to-left override, and line breaks
    (a lone CR among them) inside quoted notes."""
    return ("region,year,value,note\n"
            "KZ-75,2024,4420,\"before\x1b[2J\x1b[Hafter\"\n"  # row 2
            "KZ-71,2024,3100,\"first line\rsecond line\"\n"  # row 3: the lone CR ends a line for the reader
            "KZ-19,2024,870,\"two\nlines\"\n"  # row 5
            "KZ-11,2024,735,\"bell\x07 and \u202eevil\"\n").encode()  # row 7


def million_rows_csv() -> bytes:
    """A 10 MB CSV of a million rows: within the byte limit, far over the row limit."""
    return b"region;year;value\n" + b"KZ;2024;5\n" * MILLION_ROWS


def wide_csv() -> bytes:
    header = ";".join(["region", "year", "value"] + [f"extra {i}" for i in range(WIDE_COLUMNS)])
    return f"{header}\nKZ-75;2024;4420\n".encode()


def merged_header_workbook() -> bytes:
    """A statistics office's layout: a merged title, a two-row header with "Регион" merged down and a
    group heading merged across the year columns, upper-case region names, a dash for "no figure"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "НПО"
    sheet["A1"] = "Количество зарегистрированных НПО по регионам"
    sheet.merge_cells("A1:D1")
    sheet["A3"] = "Регион"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "Количество НПО, единиц"
    sheet.merge_cells("B3:D3")
    sheet["B4"], sheet["C4"], sheet["D4"] = 2023, "2024 г.", "2025 год"
    rows = [
        ("РЕСПУБЛИКА КАЗАХСТАН", 23335, 22227, "23 600"),  # row 5
        ("Г.АЛМАТЫ", "4 100", "–", 4420),  # row 6
        ("АКМОЛИНСКАЯ ОБЛАСТЬ", 700, 720.0, 735),  # row 7
    ]
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def typed_cells_workbook() -> bytes:
    """Numbers stored as numbers (1500.0), a date cell, a new source in columns, and a second sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["Indicator", "Region", "Year", "Value", "Publisher", "Title", "Published", "URL", "Language", "Tier"])
    source = ["Ministry of Culture and Information", "Public councils in 2025", datetime(2025, 10, 15),
              "https://www.gov.kz/memleket/entities/mci/press/news/details/public-councils-2025", "English", "government"]
    sheet.append(["public_councils", "Kazakhstan", 2025, 251.0, *source])
    sheet.append(["public_council_members", "Kazakhstan", 2025.0, 5210, *source])
    workbook.create_sheet("Notes")["A1"] = "prepared by the statistics department"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def binary_junk() -> bytes:
    """An image someone renamed to .csv."""
    return PNG_SIGNATURE + random.Random(6).randbytes(4096)


def write_large_csv(path: Path, size: int = LARGE_FILE_BYTES) -> Path:
    """A well-formed CSV of `size` bytes: too large to import, and refused before it is read."""
    header = "Регион;Год;Значение\n".encode()
    row = "Г.АЛМАТЫ;2025;4420\n".encode()
    path.write_bytes(header + row * ((size - len(header)) // len(row) + 1))
    return path


def build(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "ministry_wide_merged.xlsx": merged_header_workbook(),
        "public_councils_typed.xlsx": typed_cells_workbook(),
        "photo_renamed.csv": binary_junk(),
        "ministry_export.csv": merged_header_workbook(),  # a workbook saved under a .csv name
        "stray_cell.xlsx": stray_cell_workbook(),
        "stray_cell_undeclared.xlsx": stray_cell_undeclared_workbook(),
        "stray_row_undeclared.xlsx": stray_row_undeclared_workbook(),
        "understated_size.xlsx": understated_workbook(),
        "hidden_first_sheet.xlsx": hidden_first_sheet_workbook(),
        "merged_values.xlsx": merged_values_workbook(),
        "region_merged_down.xlsx": region_merged_down_workbook(),
        "mixed_encodings.csv": mixed_encodings_csv(),
        "unicode_text.csv": unicode_text_csv(),
        "utf16_without_bom.csv": utf16_without_bom_csv(),
        "huge_cell.csv": huge_cell_csv(),
        "long_note.csv": long_note_csv(),
        "control_characters.csv": control_characters_csv(),
        "million_rows.csv": million_rows_csv(),
        "wide.csv": wide_csv(),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = directory / name
        paths[name].write_bytes(content)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1])
    build(target)
    write_large_csv(target / "too_large.csv")

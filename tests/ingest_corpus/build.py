"""The binary and large files of the import corpus, built at test time (the CSV files beside this are committed).

    python tests/ingest_corpus/build.py DIR    writes them into DIR, to try with python -m queries.ingest
"""

import io
import random
import sys
from datetime import datetime
from pathlib import Path

import openpyxl

LARGE_FILE_BYTES = 50 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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

"""The data desk's import: the corpus of office files, commits, the change log and undo, concurrent
imports, crashes at every step, the login, the desk page through AppTest, and serving the last good
data when a file on disk is broken."""

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from ingest_corpus import build
from streamlit.testing.v1 import AppTest

from desk import access, ingest, storage
from desk.plan import CONFLICT, NEW, Options
from desk.read import Limits, ReadError, read_table
from i18n import t
from queries import DataError, EvidenceBase, schema, validate
from queries.validate import check
from tests.reading import as_read

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
CORPUS = Path(__file__).resolve().parent / "ingest_corpus"
DESK_PAGE = str(PROJECT_DIR / "dashboard" / "app_pages" / "data_desk.py")
MINISTRY = Options(indicator="ngos_registered", source="govkz_akk_ngos")
MINISTRY_ARGS = ("--indicator", "ngos_registered", "--source", "govkz_akk_ngos")
CHANGED_FILES = ("facts.csv", "sources.csv")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped evidence base."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))
    return target


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    return build.build(tmp_path_factory.mktemp("corpus"))


def corpus_file(name: str, generated: dict[str, Path]) -> tuple[str, bytes]:
    path = generated.get(name) or CORPUS / name
    return name, path.read_bytes()


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {name: (data_dir / name).read_bytes() for name in CHANGED_FILES}


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desk", *args], cwd=PROJECT_DIR, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


# --- the corpus: every awkward file with its expected outcome ------------------------------------

MERGED_FIGURE = ("the figure sits in cells {}, merged across several rows or years, so it would be copied to each of"
                 " them; unmerge the cells and give every row its own figure")

# (file, options, problems as (row, column, text), valid figures as (row, region, period, value, status))
CORPUS_CASES = [
    ("ministry_regions_cp1251.csv", MINISTRY, [], [
        (4, "KZ", "2025", "23600", "conflict"), (5, "KZ-75", "2025", "4420", "conflict"),
        (6, "KZ-71", "2021", "2950", "new"), (7, "KZ-61", "2017", "1234", "new"), (8, "KZ-19", "2025", "870", "conflict"),
    ]),
    # The shipped data has the compilation's 2025 grant figures (1,808 million tenge, 102 grants): conflicts.
    ("grants_utf8_bom.csv", Options(), [], [
        (2, "KZ", "2025", "12345678900", "conflict"), (3, "KZ", "2025", "1204", "conflict"),
    ]),
    ("forum_kazakh_headers.csv", Options(), [], [
        (2, "KZ", "2025", "1500", "conflict"), (3, "KZ", "2025", "12", "conflict"),
    ]),
    ("survey_percent_decimal_comma.csv", Options(source="govkz_akk_ngos"), [
        (4, "value", "'12%' has a % sign, but indicator 'ngos_registered' is counted in organizations"),
    ], [(2, "KZ", "2024", "4.5", "new"), (3, "KZ", "2025", "3.75", "new")]),
    ("unknown_region.csv", MINISTRY, [
        (2, "region", "'Алматинск' is not a known region — did you mean Almaty Region (KZ-19)?"),
    ], [(3, "KZ-75", "2025", "4420", "conflict")]),
    ("missing_source.csv", Options(indicator="ngos_registered"), [
        (2, "source_id", "no source given: fill source_id, or publisher and title, or choose a source for the whole file"),
        (3, "source_id", "no source given: fill source_id, or publisher and title, or choose a source for the whole file"),
    ], []),
    ("negative_value.csv", MINISTRY, [
        (2, "value", "'-120' is negative; values must be 0 or more"),
    ], [(3, "KZ-75", "2025", "4420", "conflict")]),
    ("future_year.csv", MINISTRY, [
        (2, "period", f"'2099' is in the future; figures can be imported up to {date.today().year}"),
    ], [(3, "KZ", "2025", "23600", "conflict")]),
    ("duplicates.csv", Options(), [], [
        (2, "KZ", "2023", "23335", "duplicate"), (3, "KZ", "2023", "23335", "duplicate"),
        (4, "KZ-75", "2023", "4100", "conflict"), (5, "KZ-75", "2023", "4100", "duplicate"),
    ]),
    ("revisions.csv", Options(), [], [
        (2, "KZ", "2023", "23400", "changed"), (3, "KZ", "2024", "22500", "conflict"),
    ]),
    ("formula_cells.csv", MINISTRY, [
        (2, "region", "'=cmd|' /C calc'!A0' looks like a spreadsheet formula; cells may not start with =, +, - or @"),
        (3, "note", "'@SUM(A1:A2)' looks like a spreadsheet formula; cells may not start with =, +, - or @"),
        (4, "value", "'=1+1' looks like a spreadsheet formula; cells may not start with =, +, - or @"),
        (5, "note", "'+7 727 000 00 00' looks like a spreadsheet formula; cells may not start with =, +, - or @"),
        (6, "note", "'- see the annex' looks like a spreadsheet formula; cells may not start with =, +, - or @"),
    ], []),
    ("qualifiers_and_units.csv", Options(source="govkz_akk_ngos"), [
        (4, "unit", "'KZT' differs from the unit 'organizations' of indicator 'ngos_registered'"),
        (5, "qualifier", "'примерно так' is not a known qualifier; use one of about, at least, between, exact, "
                         "more than, nearly, up to"),
        (6, "value_high", "'1400' must be greater than the value 1500"),
    ], [(2, "KZ", "2025", "23000", "conflict"), (3, "KZ", "2025", "18000", "conflict")]),
    ("ministry_wide_merged.xlsx", MINISTRY, [], [
        (5, "KZ", "2023", "23335", "duplicate"), (5, "KZ", "2024", "22227", "new"), (5, "KZ", "2025", "23600", "conflict"),
        (6, "KZ-75", "2023", "4100", "conflict"), (6, "KZ-75", "2025", "4420", "conflict"),
        (7, "KZ-11", "2023", "700", "conflict"), (7, "KZ-11", "2024", "720", "conflict"),
        (7, "KZ-11", "2025", "735", "conflict"),
    ]),
    ("public_councils_typed.xlsx", Options(), [], [
        (2, "KZ", "2025", "251", "conflict"), (3, "KZ", "2025", "5210", "conflict"),
    ]),
    # Values that pass as numbers but are wrong for their unit (data/units.csv); "-0" is 0.
    ("values_misread.csv", Options(source="govkz_akk_ngos"), [
        (2, "value", "'11' is below 100,000 (KZT), the smallest plausible figure (data/units.csv); check the scale: is the"
                     " figure in thousands, millions or billions?"),
        (3, "value", "'100000000000000000000000000000000000000000000000000000000...' is above 1,000,000 (organizations),"
                     " the largest plausible figure (data/units.csv)"),
        (5, "value", "'23,335' reads as 23.335, because a comma is a decimal point in Kazakh and Russian files, but"
                     " 'organizations' are counted in whole numbers; if the comma separates thousands, write 23335"),
        (6, "value", "'251,5' is not a whole number, but 'councils' are counted in whole numbers"),
        (8, "value", "'1 500 000 000 000 000' is above 100,000,000,000,000 (KZT), the largest plausible figure"
                     " (data/units.csv)"),
    # The grants of 2024 already have a figure (the compilation's): a new one stands beside it as a conflict.
    ], [(4, "KZ-75", "2024", "0", "conflict"), (7, "KZ", "2024", "2500000000", "conflict")]),
    # A figure merged across two regions' rows, or across two years, is not copied to each.
    ("merged_values.xlsx", MINISTRY, [
        (2, "value 2023", MERGED_FIGURE.format("B2:B3")), (3, "value 2023", MERGED_FIGURE.format("B2:B3")),
        (4, "value 2023", MERGED_FIGURE.format("B4:C4")),
    ], [(5, "KZ-35", "2023", "1210", "conflict"), (5, "KZ-35", "2024", "1250", "conflict")]),
    ("region_merged_down.xlsx", MINISTRY, [], [
        (2, "KZ-75", "2023", "4100", "conflict"), (3, "KZ-75", "2024", "4420", "conflict"),
    ]),
    # A declared size that hides rows does not hide them from the import.
    ("understated_size.xlsx", MINISTRY, [], [
        (2, "KZ-75", "2024", "4420", "conflict"), (3, "KZ-71", "2024", "3100", "conflict"),
        (4, "KZ-11", "2024", "735", "conflict"), (5, "KZ-33", "2024", "310", "conflict"),
    ]),
    # The visible sheet that was open, not the hidden first one (999).
    ("hidden_first_sheet.xlsx", MINISTRY, [], [(2, "KZ-75", "2024", "4420", "conflict")]),
    # A stray cell in the last row, with no declared size: streamed past a million empty rows, and named.
    ("stray_row_undeclared.xlsx", MINISTRY, [
        (1048576, "region", "is missing: add a region column or choose a region for the whole file"),
        (1048576, "period", "is missing: add a year column or give the year for the whole file"),
        (1048576, "value", "is blank but required"),
    ], [(2, "KZ-75", "2024", "4420", "conflict")]),
    ("unicode_text.csv", MINISTRY, [], [(2, "KZ-75", "2024", "4420", "conflict"), (3, "KZ-33", "2024", "310", "conflict")]),
    # Control characters are refused; line breaks inside a note (a lone CR too) become spaces.
    ("control_characters.csv", MINISTRY, [
        (2, "note", "'before\\x1b[2J\\x1b[Hafter' holds control characters (shown escaped); remove them"),
        (7, "note", "'bell\\x07 and \\u202eevil' holds control characters (shown escaped); remove them"),
    ], [(3, "KZ-71", "2024", "3100", "conflict"), (5, "KZ-19", "2024", "870", "conflict")]),
    ("long_note.csv", MINISTRY, [(2, "note", "the cell has 5,999 characters; at most 1,000 can be imported")],
     [(3, "KZ-71", "2024", "3100", "conflict")]),
]


@pytest.mark.parametrize(("name", "options", "problems", "figures"), CORPUS_CASES, ids=[c[0] for c in CORPUS_CASES])
def test_corpus_file_has_its_expected_outcome(name, options, problems, figures, data_dir, generated):
    plan = ingest.preview(data_dir, *corpus_file(name, generated), options)
    assert [(p.row, p.column, t(p.message)) for p in plan.problems] == problems
    found = [(f.row, f.values["region"], f.values["period"], f.values["value"], f.status) for f in plan.valid_facts()]
    assert found == figures


# File-level problems: nothing in the file can be imported.
FILE_CASES = [
    ("photo_renamed.csv", "this is not a text CSV file (it contains binary data); save the table as CSV or XLSX"),
    ("ministry_export.csv", "this is an Excel workbook with a .csv name; upload it with the .xlsx extension"),
    ("no_header.csv", "no header row found in the first 30 rows; expected column names such as region, year, value "
                      "(Регион, Год, Значение)"),
    # Memory and time: refused from the declared size, or while streaming, before anything grows.
    ("stray_cell.xlsx", "sheet 'Sheet' reaches cell XFD1048576 (1,048,576 rows × 16,384 columns); at most 50,000 rows"
                        " and 200 columns can be imported: delete whatever lies beyond the table (select those rows and"
                        " columns and delete them), or copy the table into a new workbook"),
    ("stray_cell_undeclared.xlsx", "row 1048576 has cells up to column XFD; at most 200 columns can be imported:"
                                   " delete whatever lies to the right of the table"),
    ("million_rows.csv", "the file has more than 50,000 rows with content (row 50001 is one too many); split it into"
                         " smaller files"),
    ("wide.csv", "row 1 has cells up to column KQ; at most 200 columns can be imported: delete whatever lies to the"
                 " right of the table"),
    # Text that would be read wrong is refused, naming where.
    ("mixed_encodings.csv", "the file mixes two text encodings: line(s) 1, 2, 4 are UTF-8, line(s) 3 are not (probably"
                            " Windows-1251), so some text would be garbled; save the whole file again as \"CSV UTF-8\""),
    ("utf16_without_bom.csv", "this looks like UTF-16 text (Excel's \"Unicode text\") without the mark that says so;"
                              " save the table as \"CSV UTF-8\" or as XLSX"),
    ("unbalanced_quote.csv", "row 3, column D: a quotation mark opens this cell but does not close where the cell ends,"
                             " so the rows below would be read into it; remove the quotation mark or close it"),
    ("quote_closed_late.csv", "row 2, column D: a quotation mark opens this cell but does not close where the cell"
                              " ends, so the rows below would be read into it; remove the quotation mark or close it"),
    ("huge_cell.csv", "row 3, column D: a cell is longer than 131,072 characters; shorten it"),
]


@pytest.mark.parametrize(("name", "text"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_unusable_file_is_refused_as_a_whole(name, text, data_dir, generated):
    before = snapshot(data_dir)
    plan = ingest.preview(data_dir, *corpus_file(name, generated), MINISTRY)
    assert [t(problem.located) for problem in plan.problems] == [text]
    with pytest.raises(ingest.ImportRefused) as refused:
        ingest.commit(data_dir, *corpus_file(name, generated), MINISTRY, user="test", valid_only=True)
    assert [t(problem.located) for problem in refused.value.problems] == [text]  # the import says what the preview said
    assert snapshot(data_dir) == before


CORPUS_FILES = sorted({case[0]: case[1] for case in CORPUS_CASES}.items())


@pytest.mark.parametrize(("name", "options"), CORPUS_FILES, ids=[name for name, _ in CORPUS_FILES])
def test_the_import_writes_exactly_what_the_preview_accepts(name, options, data_dir, generated):
    """The preview and the import run the same checks: every valid new or conflicting figure the
    preview shows is written, citing its row of the uploaded file, and nothing else is."""
    plan = ingest.preview(data_dir, *corpus_file(name, generated), options)
    before = (data_dir / "facts.csv").read_text(encoding="utf-8")
    result = ingest.commit(data_dir, *corpus_file(name, generated), options, user="test", valid_only=True)
    expected = plan.with_status(NEW) + plan.with_status(CONFLICT)
    assert result.summary["facts_added"] == len(expected)
    assert result.summary["invalid_rows_skipped"] == len(plan.invalid_rows)
    added = (data_dir / "facts.csv").read_text(encoding="utf-8")[len(before):].splitlines()
    assert sorted(line.rsplit(",", 1)[1] for line in added) == sorted(f"{name}:{fact.row}" for fact in expected)
    assert check(data_dir) == []


def test_the_preview_runs_the_validators_row_checks(data_dir, monkeypatch):
    """A rule the validator has and the import's own checks lack (here an invented one) is reported by
    the preview on the uploaded row, not by the import over a line of facts.csv."""
    def no_odd_values_from_this_file(fact):
        if fact["ref"].startswith("odd.csv:") and int(fact["value"]) % 2:
            yield f"value {fact['value']!r} is odd"

    monkeypatch.setitem(validate.ROW_RULES, "facts", no_odd_values_from_this_file)
    content = "region,year,value\nKZ-75,2024,4420\nKZ-71,2024,3101\n".encode()
    plan = ingest.preview(data_dir, "odd.csv", content, MINISTRY)
    assert [t(problem.located) for problem in plan.problems] == ["row 3, value: cannot be stored: value '3101' is odd"]
    result = ingest.commit(data_dir, "odd.csv", content, MINISTRY, user="test", valid_only=True)
    assert result.summary["facts_added"] == 1 and check(data_dir) == []


def test_a_minus_zero_is_stored_as_zero(data_dir):
    content = "region,year,value\nKZ-75,2024,-0\nKZ-71,2024,-0.0\n".encode()
    result = ingest.commit(data_dir, "zeros.csv", content, MINISTRY, user="test")
    assert result.summary["facts_added"] == 2
    facts = (data_dir / "facts.csv").read_text(encoding="utf-8")
    assert "ngos_registered,KZ-75,2024,0,,organizations" in facts and "ngos_registered,KZ-71,2024,0,," in facts


def test_the_limits_hold_for_rows_cells_and_time(data_dir, generated):
    """Smaller limits than the shipped ones, so the files can stay small: each is refused by its own limit."""
    plan = ingest.preview(data_dir, *corpus_file("duplicates.csv", generated), limits=Limits(rows=4))
    assert t(plan.problems[0].located) == ("the file has more than 4 rows with content (row 5 is one too many); split it"
                                       " into smaller files")
    plan = ingest.preview(data_dir, *corpus_file("duplicates.csv", generated), limits=Limits(columns=2))
    assert t(plan.problems[0].located).startswith("row 1 has cells up to column ")
    plan = ingest.preview(data_dir, *corpus_file("duplicates.csv", generated), limits=Limits(cells=20))
    assert t(plan.problems[0].located).startswith("the file has more than 20 cells up to its last filled one in each row"
                                              " (row 5 passes that)")
    plan = ingest.preview(data_dir, *corpus_file("ministry_wide_merged.xlsx", generated), MINISTRY,
                          limits=Limits(figures=5))  # three rows of three years: the wide layout counts each
    assert t(plan.problems[0].located) == "the file has more than 5 figures (row 6 passes that); split it into smaller files"
    name, content = corpus_file("ministry_wide_merged.xlsx", generated)
    plan = ingest.preview(data_dir, name, content, MINISTRY, limits=Limits(rows=6))
    assert t(plan.problems[0].located).startswith("sheet 'НПО' reaches cell D7 (7 rows × 4 columns); at most 6 rows")
    plan = ingest.preview(data_dir, name, content, MINISTRY, limits=Limits(cells=10))
    assert t(plan.problems[0].located).startswith("sheet 'НПО' reaches cell D7 (7 rows × 4 columns)")
    plan = ingest.preview(data_dir, name, content, MINISTRY, limits=Limits(columns=3))
    assert t(plan.problems[0].located).startswith("sheet 'НПО' reaches cell D7")
    ticks = iter(range(100))  # a clock that moves a second per look: the limit is reached at the second row
    with pytest.raises(ReadError, match="reading the file took more than 1 seconds \\(it stopped at row 2\\)"):
        read_table("slow.csv", b"region,year,value\nKZ,2024,1\nKZ,2023,2\n", Limits(seconds=1), clock=lambda: next(ticks))


def test_a_file_name_that_is_not_text_is_recorded_cleaned(tmp_path, data_dir):
    odd = tmp_path.joinpath(os.fsdecode(b"\xff\xfenew\x1b[2J figures.csv"))
    odd.write_bytes(b"region,year,value\nKZ-75,2024,4420\n")
    result = run_cli(str(odd), "--data-dir", str(data_dir), *MINISTRY_ARGS, "--yes", "--user", "aigerim")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert "the file's name holds characters that are not text; it is recorded as '\ufffd\ufffdnew\ufffd[2J figures.csv'" \
        in result.stdout
    (entry,) = storage.read_log(data_dir)
    assert entry["file"] == "\ufffd\ufffdnew\ufffd[2J figures.csv"
    assert (data_dir / "facts.csv").read_text(encoding="utf-8").endswith(",\ufffd\ufffdnew\ufffd[2J figures.csv:2\n")


def test_the_command_line_prints_cell_text_escaped(data_dir, generated):
    result = run_cli(str(generated["control_characters.csv"]), "--data-dir", str(data_dir), *MINISTRY_ARGS)
    assert result.returncode == 1
    assert "row 2, note: 'before\\x1b[2J\\x1b[Hafter' holds control characters" in result.stdout
    assert not any(char in result.stdout + result.stderr for char in "\x1b\x07\u202e")


def test_encodings_and_layouts_give_the_same_facts(data_dir, generated):
    """Windows-1251 with upper-case and legacy names, and the ministry's merged-header workbook."""
    plan = ingest.preview(data_dir, *corpus_file("ministry_regions_cp1251.csv", generated), MINISTRY)
    assert plan.notices == [] and plan.problems == []
    row = plan.valid_facts()[0].values
    assert row == {"indicator_id": "ngos_registered", "region": "KZ", "period": "2025", "value": "23600",
                   "value_high": "", "unit": "organizations", "qualifier": "exact", "source_id": "govkz_akk_ngos",
                   "event_id": "", "note": "", "ref": "ministry_regions_cp1251.csv:4"}


def test_new_source_from_columns_gets_an_id_and_is_written_once(data_dir, generated):
    plan = ingest.preview(data_dir, *corpus_file("grants_utf8_bom.csv", generated))
    assert list(plan.new_sources) == ["civil_initiatives_support_2025_itogi_grantovogo_finansirovaniya"]
    source = plan.new_sources["civil_initiatives_support_2025_itogi_grantovogo_finansirovaniya"]
    assert (source["language"], source["tier"], source["published"]) == ("ru", "government", "2025-12-20")
    assert plan.valid_facts()[0].values["qualifier"] == "more than"


def test_typed_workbook_cells_and_other_sheets(data_dir, generated):
    plan = ingest.preview(data_dir, *corpus_file("public_councils_typed.xlsx", generated))
    assert [t(notice) for notice in plan.notices] == [
        "only the sheet 'Data' was read (the visible sheet that was open when the workbook was saved); the workbook also"
        " has 'Notes'"]
    (source,) = plan.new_sources.values()
    assert (source["published"], source["language"]) == ("2025-10-15", "en")


@pytest.mark.parametrize("written, code", [("German", "de"), ("чешский", "cs"), ("Kazakh", "kk")])
def test_a_new_source_may_be_in_any_language_a_source_page_may_be_in(data_dir, written, code):
    content = (f"region,year,value,publisher,title,url,language,tier\n"
               f"KZ,2023,23500,Wiki,Kasachstan,https://de.example.org/kz,{written},other_web\n").encode()
    plan = ingest.preview(data_dir, "pages.csv", content, Options(indicator="ngos_registered"))
    assert plan.problems == []
    assert [source["language"] for source in plan.new_sources.values()] == [code]


def test_a_source_language_the_data_does_not_take_is_refused_with_those_it_takes(data_dir):
    content = (b"region,year,value,publisher,title,url,language,tier\n"
               b"KZ,2023,23500,Wiki,Kazakhstan,https://fr.example.org/kz,French,other_web\n")
    plan = ingest.preview(data_dir, "pages.csv", content, Options(indicator="ngos_registered"))
    (problem,) = plan.problems
    assert "'French'" in t(problem.message) and ", ".join(schema.SOURCE_LANGUAGES) in t(problem.message)


def test_a_new_source_with_a_known_link_is_the_known_source(data_dir):
    url = "https://www.icnl.org/resources/civic-freedom-monitor/kazakhstan"
    content = f"region,year,value,publisher,title,url,language,tier\nKZ,2025,23500,ICNL,Monitor,{url},en,ngo\n".encode()
    plan = ingest.preview(data_dir, "icnl.csv", content, Options(indicator="ngos_registered"))
    assert plan.new_sources == {}
    assert plan.valid_facts()[0].values["source_id"] == "icnl_civic_freedom_monitor"


def test_invalid_options_are_reported_once(data_dir, generated):
    options = Options(indicator="ngos_registerd", source="govkz_akk_ngos")
    plan = ingest.preview(data_dir, *corpus_file("unknown_region.csv", generated), options)
    assert t(plan.file_problems[0].located) == ("indicator_id: 'ngos_registerd' is not a known indicator"
                                            " — did you mean ngos_registered?")


def test_fifty_megabyte_file_is_refused_before_it_is_read(tmp_path, data_dir):
    large = build.write_large_csv(tmp_path / "too_large.csv")
    started = time.monotonic()
    result = run_cli(str(large), "--data-dir", str(data_dir), *MINISTRY_ARGS)
    assert result.returncode == 1
    assert "the file is 50.0 MB; files of up to 10 MB can be imported" in result.stderr
    plan = ingest.preview(data_dir, large.name, large.read_bytes(), MINISTRY)
    assert [t(problem.located) for problem in plan.problems] == ["the file is 50.0 MB; files of up to 10 MB can be imported"]
    assert time.monotonic() - started < 10


# --- commit, change log, undo --------------------------------------------------------------------


def test_nothing_is_written_while_a_row_is_invalid(data_dir, generated):
    before = snapshot(data_dir)
    with pytest.raises(ingest.ImportRefused, match="1 row\\(s\\) have problems"):
        ingest.commit(data_dir, *corpus_file("unknown_region.csv", generated), MINISTRY, user="aigerim")
    assert snapshot(data_dir) == before
    assert storage.read_log(data_dir) == []


def test_valid_only_imports_the_valid_rows(data_dir, generated):
    result = ingest.commit(data_dir, *corpus_file("unknown_region.csv", generated), MINISTRY, user="aigerim",
                           valid_only=True)
    assert result.summary["facts_added"] == 1 and result.summary["invalid_rows_skipped"] == 1
    assert check(data_dir) == []
    assert (data_dir / "facts.csv").read_text().endswith(
        "ngos_registered,KZ-75,2025,4420,,organizations,exact,govkz_akk_ngos,,,unknown_region.csv:3\n")


def test_import_appends_rows_and_logs_who_what_and_checksums(data_dir, generated):
    before = snapshot(data_dir)
    name, content = corpus_file("grants_utf8_bom.csv", generated)
    result = ingest.commit(data_dir, name, content, user="aigerim")
    after = snapshot(data_dir)
    for file in CHANGED_FILES:  # existing rows are kept byte for byte; new ones are appended
        assert after[file].startswith(before[file]) and after[file] != before[file]
    (entry,) = storage.read_log(data_dir)
    assert entry["id"] == result.import_id
    assert (entry["op"], entry["user"], entry["file"], entry["rows_added"]) == ("import", "aigerim", name, 2)
    assert entry["via"] == storage.VIA_COMMAND_LINE  # a name given in code or on the command line is not checked
    assert entry["sha256"] == storage.sha256(content)
    assert entry["files"] == {file: {"before": storage.sha256(before[file]), "after": storage.sha256(after[file])}
                              for file in ("sources.csv", "facts.csv")}
    assert check(data_dir) == []


def test_changed_value_replaces_the_old_one_only_when_confirmed(data_dir, generated):
    name, content = corpus_file("revisions.csv", generated)
    old_line = "ngos_registered,KZ,2023,23335,,organizations,exact,govkz_akk_ngos,,as of April 2023,ngo_facts.csv:172"
    kept = ingest.commit(data_dir, name, content, user="aigerim")
    assert (kept.summary["facts_added"], kept.summary["changes_not_confirmed"]) == (1, 1)  # the conflict only
    assert old_line in (data_dir / "facts.csv").read_text().splitlines()
    ingest.undo(data_dir, kept.import_id, user="aigerim")
    replaced = ingest.commit(data_dir, name, content, user="aigerim", confirm_changes=True)
    assert replaced.summary["facts_replaced"] == 1
    lines = (data_dir / "facts.csv").read_text().splitlines()
    assert old_line not in lines
    new_line = "ngos_registered,KZ,2023,23400,,organizations,exact,govkz_akk_ngos,,,revisions.csv:2"
    assert lines.index(new_line) == (DATA_DIR / "facts.csv").read_text().splitlines().index(old_line)


def test_importing_the_same_file_twice_writes_nothing_the_second_time(data_dir, generated):
    ingest.commit(data_dir, *corpus_file("duplicates.csv", generated), user="aigerim")
    before = snapshot(data_dir)
    again = ingest.commit(data_dir, *corpus_file("duplicates.csv", generated), user="aigerim")
    assert again.import_id is None and again.summary["duplicates_skipped"] == 4
    assert snapshot(data_dir) == before and len(storage.read_log(data_dir)) == 1


def test_undo_restores_the_exact_previous_bytes(data_dir, generated):
    original = snapshot(data_dir)
    first = ingest.commit(data_dir, *corpus_file("grants_utf8_bom.csv", generated), user="aigerim")
    after_first = snapshot(data_dir)
    second = ingest.commit(data_dir, *corpus_file("ministry_regions_cp1251.csv", generated), MINISTRY, user="daniyar")
    ingest.undo(data_dir, second.import_id, user="daniyar")
    assert snapshot(data_dir) == after_first
    ingest.undo(data_dir, first.import_id, user="aigerim")
    assert snapshot(data_dir) == original
    log = storage.read_log(data_dir)
    assert [(e["op"], e.get("undoes")) for e in log] == [
        ("import", None), ("import", None), ("undo", second.import_id), ("undo", first.import_id)]


def test_undo_is_refused_while_a_later_import_builds_on_it(data_dir, generated):
    first = ingest.commit(data_dir, *corpus_file("grants_utf8_bom.csv", generated), user="aigerim")
    second = ingest.commit(data_dir, *corpus_file("ministry_regions_cp1251.csv", generated), MINISTRY, user="daniyar")
    with pytest.raises(storage.ChangeRefused) as refused:
        ingest.undo(data_dir, first.import_id, user="aigerim")
    assert str(refused.value).startswith(
        f"'{first.import_id}' cannot be undone: '{second.import_id}' (")
    assert str(refused.value).endswith("daniyar) changed facts.csv after it; undo that first")
    history = {entry["id"]: entry["undo_problem"] for entry in ingest.history(data_dir)}
    assert history[second.import_id] is None and history[first.import_id] is not None


def test_undo_twice_and_after_a_hand_edit_are_refused(data_dir, generated):
    first = ingest.commit(data_dir, *corpus_file("grants_utf8_bom.csv", generated), user="aigerim")
    undo = ingest.undo(data_dir, first.import_id, user="aigerim")
    with pytest.raises(storage.ChangeRefused, match=f"was already undone by '{undo['id']}'"):
        ingest.undo(data_dir, first.import_id, user="aigerim")
    second = ingest.commit(data_dir, *corpus_file("revisions.csv", generated), user="aigerim")
    with open(data_dir / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write("ngos_registered,KZ,2022,1,,organizations,exact,govkz_akk_ngos,,,by hand\n")
    with pytest.raises(storage.ChangeRefused, match="facts.csv was changed outside the data desk"):
        ingest.undo(data_dir, second.import_id, user="aigerim")


def test_nothing_is_imported_into_an_evidence_base_that_has_problems(data_dir, generated):
    (data_dir / "tiers.csv").write_text("tier,rank\n")
    plan = ingest.preview(data_dir, *corpus_file("grants_utf8_bom.csv", generated))
    assert t(plan.file_problems[0].located).startswith("the evidence base itself has problems")
    with pytest.raises(ingest.ImportRefused):
        ingest.commit(data_dir, *corpus_file("grants_utf8_bom.csv", generated), user="aigerim", valid_only=True)


def test_command_previews_without_yes_and_imports_with_it(data_dir):
    file = str(CORPUS / "ministry_regions_cp1251.csv")
    before = snapshot(data_dir)
    preview = run_cli(file, "--data-dir", str(data_dir), *MINISTRY_ARGS)
    assert preview.returncode == 0 and "nothing written; run again with --yes" in preview.stdout
    assert snapshot(data_dir) == before
    result = run_cli(file, "--data-dir", str(data_dir), *MINISTRY_ARGS, "--yes", "--user", "aigerim")
    assert result.returncode == 0, result.stderr
    assert "imported as " in result.stdout and "5 fact(s) added" in result.stdout
    log = run_cli("--log", "--data-dir", str(data_dir))
    assert "aigerim (self-declared)  ministry_regions_cp1251.csv: 5 fact(s) added  (can be undone)" in log.stdout
    refused = run_cli(str(CORPUS / "unknown_region.csv"), "--data-dir", str(data_dir), *MINISTRY_ARGS, "--yes")
    assert refused.returncode == 1 and "did you mean Almaty Region (KZ-19)?" in refused.stdout


# --- two imports at once, and crashes ------------------------------------------------------------


def test_two_imports_at_once_both_land_and_the_log_chains(data_dir):
    # The first import waits inside the lock (after writing its temporary files); the second starts
    # then, so it has to queue behind the first instead of overwriting its rows.
    first = subprocess.Popen(
        [sys.executable, "-m", "desk", str(CORPUS / "grants_utf8_bom.csv"), "--data-dir", str(data_dir),
         "--yes", "--user", "aigerim"],
        cwd=PROJECT_DIR, env={**os.environ, storage.TEST_HOOK_ENV: "pause:temps_written:1.5"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not list(data_dir.glob(".*.csv.*.tmp")):
        assert time.monotonic() < deadline and first.poll() is None, "the first import never wrote its files"
        time.sleep(0.02)
    second = run_cli(str(CORPUS / "ministry_regions_cp1251.csv"), "--data-dir", str(data_dir), *MINISTRY_ARGS,
                     "--yes", "--user", "daniyar")
    assert first.wait(timeout=60) == 0, first.stderr.read()
    assert second.returncode == 0, second.stderr
    log = storage.read_log(data_dir)
    assert [entry["user"] for entry in log] == ["aigerim", "daniyar"]
    assert log[1]["files"]["facts.csv"]["before"] == log[0]["files"]["facts.csv"]["after"]
    facts = (data_dir / "facts.csv").read_text()
    assert "grants_utf8_bom.csv:2" in facts and "ministry_regions_cp1251.csv:8" in facts
    assert check(data_dir) == []


@pytest.fixture(scope="module")
def imported_bytes(tmp_path_factory) -> dict[str, bytes]:
    """facts.csv and sources.csv after importing grants_utf8_bom.csv (a new source and two facts)."""
    data_dir = tmp_path_factory.mktemp("after") / "data"
    shutil.copytree(DATA_DIR, data_dir, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))
    ingest.commit(data_dir, "grants_utf8_bom.csv", (CORPUS / "grants_utf8_bom.csv").read_bytes(), user="aigerim")
    return snapshot(data_dir)


@pytest.mark.parametrize("step", storage.STEPS)
def test_a_kill_at_any_step_leaves_the_data_as_before_or_as_after(step, data_dir, imported_bytes):
    before = snapshot(data_dir)
    killed = run_cli(str(CORPUS / "grants_utf8_bom.csv"), "--data-dir", str(data_dir), "--yes", "--user", "aigerim",
                     env={storage.TEST_HOOK_ENV: f"kill:{step}"})
    assert killed.returncode == -9, killed.stderr
    assert check(data_dir) == []  # valid even before recovery: live readers never see broken data
    recovered = run_cli("--recover", "--data-dir", str(data_dir))
    assert recovered.returncode == 0, recovered.stderr
    committed = storage.STEPS.index(step) >= storage.STEPS.index("journal_written")
    if committed:
        assert recovered.stdout.startswith("completed interrupted change ")
    else:  # says what it removed: the backups, and the temporary files once they were written
        removed = recovered.stdout.splitlines()[1:]
        assert recovered.stdout.startswith("removed what an interrupted change left behind (the data is as before it):")
        assert any(path.strip().startswith(".desk/backups/") for path in removed)
        assert any(path.strip().endswith(".tmp") for path in removed) == (step == "temps_written")
    assert "nothing to recover" in run_cli("--recover", "--data-dir", str(data_dir)).stdout
    assert snapshot(data_dir) == (imported_bytes if committed else before)
    assert len(storage.read_log(data_dir)) == (1 if committed else 0)
    leftovers = [*data_dir.glob(".*.tmp"), *(data_dir / ".desk").glob("journal*")]
    backups = list((data_dir / ".desk" / "backups").iterdir())
    assert leftovers == [] and len(backups) == (1 if committed else 0)
    if committed:  # and the recovered import can be undone like any other
        ingest.undo(data_dir, storage.read_log(data_dir)[0]["id"], user="aigerim")
        assert snapshot(data_dir) == before


def test_recovery_repairs_a_log_line_cut_short(data_dir):
    killed = run_cli(str(CORPUS / "grants_utf8_bom.csv"), "--data-dir", str(data_dir), "--yes",
                     env={storage.TEST_HOOK_ENV: "kill:all_renamed"})
    assert killed.returncode == -9
    with open(data_dir / "changes.jsonl", "a", encoding="utf-8") as log:
        log.write('{"id": "20261123T0')  # what a crash in the middle of appending leaves
    storage.recover_if_needed(data_dir)
    lines = (data_dir / "changes.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["op"] == "import"


# --- faults: the disk, the folder's permissions -----------------------------------------------

FAULTS = [
    # the folder may not be written: the first write is the lock's folder
    ("fail:locking:EACCES", "the server may not write to {data}; ask its administrator to give the dashboard"
                            " write access to the data folder"),
    ("fail:temps_written:ENOSPC", "the disk holding {data} is full; free some space and try again"),
    ("fail:backups_written:EROFS", "{data} is on a read-only disk"),
]


@pytest.mark.parametrize(("hook", "said"), FAULTS, ids=[hook for hook, _ in FAULTS])
def test_a_write_that_fails_is_a_clear_message_and_leaves_the_data_as_it_was(hook, said, data_dir):
    before = snapshot(data_dir)
    result = run_cli(str(CORPUS / "grants_utf8_bom.csv"), "--data-dir", str(data_dir), "--yes", "--user", "aigerim",
                     env={storage.TEST_HOOK_ENV: hook})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert said.format(data=data_dir) in result.stderr
    assert snapshot(data_dir) == before and storage.read_log(data_dir) == []
    assert list(data_dir.glob(".*.tmp")) == []  # cleaned up at once, not left for the next recovery
    assert run_cli(str(CORPUS / "grants_utf8_bom.csv"), "--data-dir", str(data_dir), "--yes").returncode == 0


def test_a_full_disk_after_the_commit_point_is_finished_by_the_next_recovery(data_dir, imported_bytes):
    result = run_cli(str(CORPUS / "grants_utf8_bom.csv"), "--data-dir", str(data_dir), "--yes", "--user", "aigerim",
                     env={storage.TEST_HOOK_ENV: "fail:all_renamed:ENOSPC"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert " is saved but not finished: the disk holding " in result.stderr
    recovered = run_cli("--recover", "--data-dir", str(data_dir))
    assert recovered.stdout.startswith("completed interrupted change ")
    assert snapshot(data_dir) == imported_bytes and len(storage.read_log(data_dir)) == 1


def test_a_file_that_cannot_be_read_is_a_message(tmp_path, data_dir):
    result = run_cli(str(tmp_path / "missing.csv"), "--data-dir", str(data_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'missing.csv'} cannot be read (No such file or directory)" in result.stderr


# --- login ---------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def users(monkeypatch) -> dict[str, str]:
    """One official configured through the environment, and a fresh failed-attempt count."""
    encoded = access.hash_password(PASSWORD)
    monkeypatch.setenv(access.USERS_ENV, f"aigerim:{encoded}")
    monkeypatch.setattr(access, "THROTTLE", access.Throttle())
    return {"aigerim": encoded}


def test_password_hashes_verify_and_reject():
    encoded = access.hash_password(PASSWORD)
    assert encoded.startswith("scrypt$") and PASSWORD not in encoded
    assert access.verify_password(PASSWORD, encoded)
    assert not access.verify_password(PASSWORD + " ", encoded)
    assert not access.verify_password(PASSWORD, "scrypt$broken")
    assert not access.verify_password(PASSWORD, "")


def test_users_come_from_the_environment_and_the_secrets(monkeypatch):
    monkeypatch.setenv(access.USERS_ENV, "aigerim:scrypt$a, daniyar:scrypt$b")
    assert access.configured_users({"users": {"saule": "scrypt$c"}}) == {
        "aigerim": "scrypt$a", "daniyar": "scrypt$b", "saule": "scrypt$c"}
    monkeypatch.delenv(access.USERS_ENV)
    assert access.configured_users(None) == {}


def test_failed_attempts_slow_down_further_attempts(users):
    clock = FakeClock()
    throttle = access.Throttle(clock)
    for _ in range(access.FREE_ATTEMPTS):
        assert access.log_in(users, "aigerim", "wrong", throttle) == access.LoginResult(False)
    # Now even the right password is not checked until the wait is over; the wait doubles.
    assert access.log_in(users, "aigerim", PASSWORD, throttle) == access.LoginResult(False, 1.0)
    clock.now += 1.0
    assert access.log_in(users, "aigerim", "wrong", throttle) == access.LoginResult(False)
    assert access.log_in(users, "aigerim", PASSWORD, throttle).wait_seconds == 2.0
    clock.now += 2.0
    assert access.log_in(users, "aigerim", PASSWORD, throttle).ok
    assert access.log_in(users, "aigerim", "wrong", throttle) == access.LoginResult(False)  # count was reset
    assert access.log_in(users, "nobody", PASSWORD, throttle) == access.LoginResult(False)


def test_parallel_wrong_logins_are_checked_no_more_often_than_sequential_ones(users, monkeypatch):
    """30 sessions guess at once: only the free attempts reach the password check, the rest are told to wait."""
    checked = []
    real_verify = access.verify_password

    def counted_verify(password: str, encoded: str) -> bool:
        checked.append(password)
        return real_verify(password, encoded)

    monkeypatch.setattr(access, "verify_password", counted_verify)
    throttle = access.Throttle(FakeClock())
    start = threading.Barrier(30)

    def guess(number: int) -> access.LoginResult:
        start.wait()
        return access.log_in(users, "aigerim", f"guess {number}", throttle, client="10.0.0.66")

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(guess, range(30)))
    assert len(checked) == access.FREE_ATTEMPTS
    assert sum(result.wait_seconds > 0 for result in results) == 30 - access.FREE_ATTEMPTS
    assert not any(result.ok for result in results)


def test_failures_from_one_client_do_not_lock_out_the_official_elsewhere(users):
    clock = FakeClock()
    throttle = access.Throttle(clock)
    for _ in range(20):
        access.log_in(users, "aigerim", "wrong", throttle, client="10.0.0.66")
    assert access.log_in(users, "aigerim", PASSWORD, throttle, client="10.0.0.66").wait_seconds > 0
    assert access.log_in(users, "aigerim", PASSWORD, throttle, client="10.0.0.7").ok
    # and the attacker's own count is forgotten an hour after the last failure, not kept for ever
    clock.now += access.FORGET_AFTER_SECONDS + 1
    assert access.log_in(users, "aigerim", PASSWORD, throttle, client="10.0.0.66").ok


# --- the desk page through AppTest ---------------------------------------------------------------


def open_desk(data_dir: Path, monkeypatch, secrets: dict | None = None) -> AppTest:
    monkeypatch.setenv(schema.DATA_DIR_ENV, str(data_dir))
    at = AppTest.from_file(DESK_PAGE, default_timeout=60)
    if secrets:
        at.secrets[access.SECRETS_SECTION] = secrets
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="desk_login_name").input(name)
    at.text_input(key="desk_login_password").input(password)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_desk_is_disabled_without_credentials(data_dir, monkeypatch):
    monkeypatch.delenv(access.USERS_ENV, raising=False)
    at = open_desk(data_dir, monkeypatch)
    assert "The Data desk is disabled" in at.info[0].value and access.USERS_ENV in at.info[0].value
    assert not at.text_input and not at.file_uploader


def test_desk_refuses_a_wrong_password_and_slows_down(data_dir, monkeypatch, users):
    monkeypatch.setattr(access, "THROTTLE", access.Throttle(FakeClock()))  # no second passes between attempts
    at = open_desk(data_dir, monkeypatch)
    assert not at.file_uploader
    for _ in range(access.FREE_ATTEMPTS):
        log_in(at, "aigerim", "wrong")
        assert [e.value for e in at.error] == ["Wrong name or password."]
    log_in(at, "aigerim", PASSWORD)
    assert at.error[0].value.startswith("Too many failed attempts. Try again in")
    assert not at.file_uploader


def test_desk_login_through_secrets_then_import_and_undo(data_dir, monkeypatch):
    monkeypatch.delenv(access.USERS_ENV, raising=False)
    monkeypatch.setattr(access, "THROTTLE", access.Throttle())
    at = open_desk(data_dir, monkeypatch, secrets={"users": {"saule": access.hash_password(PASSWORD)}})
    log_in(at, "saule", PASSWORD)
    assert "Signed in as saule" in at.caption[0].value
    before = snapshot(data_dir)

    at.file_uploader[0].set_value(("revisions.csv", (CORPUS / "revisions.csv").read_bytes(), "text/csv")).run()
    assert {m.label: m.value for m in at.metric} == {
        "New": "0", "Conflicts (both kept)": "1", "Changed": "1", "Duplicates (skipped)": "0"}
    at.checkbox(key="desk_confirm_changes").check().run()
    at.button(key="desk_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success[0].value.startswith("Imported as ") and "1 fact(s) added, 1 replaced" in at.success[0].value
    (entry,) = storage.read_log(data_dir)
    assert (entry["user"], entry["file"], entry["via"]) == ("saule", "revisions.csv", storage.VIA_DESK)

    at.button(key="desk_undo").click().run()
    assert at.success[0].value.startswith(f"Undone: {entry['id']}")
    assert snapshot(data_dir) == before


def test_desk_import_button_waits_for_valid_rows_or_the_choice_to_skip_them(data_dir, monkeypatch, users):
    at = log_in(open_desk(data_dir, monkeypatch), "aigerim", PASSWORD)
    at.selectbox(key="desk_indicator").select("ngos_registered")
    at.radio(key="desk_source_how").set_value("ingest.desk.source_existing").run()
    at.selectbox(key="desk_source_id").select("govkz_akk_ngos")
    at.file_uploader[0].set_value(("unknown_region.csv", (CORPUS / "unknown_region.csv").read_bytes(), "text/csv")).run()
    assert [line.value for line in at.text] == [
        "row 2, region: 'Алматинск' is not a known region — did you mean Almaty Region (KZ-19)?"]
    assert at.button(key="desk_import").disabled
    at.checkbox(key="desk_valid_only").check().run()
    at.button(key="desk_import").click().run()
    assert "1 fact(s) added" in at.success[0].value
    assert check(data_dir) == []


def test_desk_previews_an_upload_once_however_often_the_page_reruns(data_dir, monkeypatch, users):
    made = []
    real_preview = ingest.preview

    def counted_preview(*args, **kwargs):
        made.append(args[1])
        return real_preview(*args, **kwargs)

    monkeypatch.setattr(ingest, "preview", counted_preview)
    at = log_in(open_desk(data_dir, monkeypatch), "aigerim", PASSWORD)
    at.file_uploader[0].set_value(("unknown_region.csv", (CORPUS / "unknown_region.csv").read_bytes(), "text/csv")).run()
    assert made == ["unknown_region.csv"]
    at.checkbox(key="desk_valid_only").check().run()  # each click reruns the page
    at.checkbox(key="desk_valid_only").uncheck().run()
    assert made == ["unknown_region.csv"]
    at.selectbox(key="desk_indicator").select("ngos_registered").run()  # other options: another preview
    assert made == ["unknown_region.csv"] * 2
    assert not at.exception


def test_desk_lists_a_few_problems_in_full_and_many_in_a_table(data_dir, monkeypatch, users):
    at = log_in(open_desk(data_dir, monkeypatch), "aigerim", PASSWORD)
    at.selectbox(key="desk_indicator").select("ngos_registered")
    at.radio(key="desk_source_how").set_value("ingest.desk.source_existing").run()
    at.selectbox(key="desk_source_id").select("govkz_akk_ngos")
    many = "region,year,value\n" + "".join(f"Nowhere {n},2024,{n}\n" for n in range(25))
    at.file_uploader[0].set_value(("many.csv", many.encode(), "text/csv")).run()
    assert not at.text
    table = at.dataframe[0].value
    assert table["row"].tolist() == list(range(2, 27)) and table["column"].tolist() == ["region"] * 25
    assert table["problem"][0] == "'Nowhere 0' is not a known region"


def test_desk_says_why_nothing_was_written_when_the_disk_is_full(data_dir, monkeypatch, users):
    at = log_in(open_desk(data_dir, monkeypatch), "aigerim", PASSWORD)
    at.file_uploader[0].set_value(("grants_utf8_bom.csv", (CORPUS / "grants_utf8_bom.csv").read_bytes(), "text/csv")).run()
    before = snapshot(data_dir)
    monkeypatch.setenv(storage.TEST_HOOK_ENV, "fail:temps_written:ENOSPC")
    at.button(key="desk_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [as_read(e.value) for e in at.error] == [f"Nothing was written: the disk holding {data_dir} is full; free some space"
                                           " and try again"]
    assert snapshot(data_dir) == before


def test_desk_log_marks_names_given_on_the_command_line_as_self_declared(data_dir, monkeypatch, users):
    ingest.commit(data_dir, "grants_utf8_bom.csv", (CORPUS / "grants_utf8_bom.csv").read_bytes(), user="saule")
    at = log_in(open_desk(data_dir, monkeypatch), "aigerim", PASSWORD)
    log = at.dataframe[0].value
    assert log["who"].tolist() == ["saule (self-declared on the command line: no password checked)"]


# --- serving the last good data ------------------------------------------------------------------


def break_facts(data_dir: Path) -> None:
    with open(data_dir / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write("ngos_registered,KZ,2024,lots,,organizations,exact,govkz_akk_ngos,,,by hand\n")


def test_a_server_starting_on_a_broken_file_serves_the_last_good_database(mini_data, tmp_path):
    cache = tmp_path / "cache"
    good = EvidenceBase(mini_data, cache_dir=cache).run("tiers")
    break_facts(mini_data)
    restarted = EvidenceBase(mini_data, cache_dir=cache)
    assert restarted.run("tiers").equals(good)
    assert "facts.csv" in str(restarted.last_error) and "'lots'" in str(restarted.last_error)


def test_a_server_starting_on_a_broken_file_without_earlier_data_raises(mini_data, tmp_path):
    break_facts(mini_data)
    with pytest.raises(DataError, match="facts.csv"):
        EvidenceBase(mini_data, cache_dir=tmp_path / "empty").run("tiers")


GUARDED_APP = """
from pathlib import Path
import streamlit as st
from queries import EvidenceBase
from dashboard.components.data_health import data_banner, data_guard

base = EvidenceBase(Path({data_dir!r}), cache_dir=Path({cache!r}))

def pages():
    data_banner(base)
    st.title("Overview")

data_guard(pages, base)
"""


def test_data_guard_explains_instead_of_a_traceback(mini_data, tmp_path):
    break_facts(mini_data)
    at = AppTest.from_string(GUARDED_APP.format(data_dir=str(mini_data), cache=str(tmp_path / "c")), default_timeout=30).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "The figures cannot be shown right now"
    assert "facts.csv" in as_read(at.error[0].value) and "'lots'" in as_read(at.error[0].value)


def test_banner_names_the_broken_file_while_the_last_good_data_is_served(mini_data, tmp_path):
    at = AppTest.from_string(GUARDED_APP.format(data_dir=str(mini_data), cache=str(tmp_path / "c")), default_timeout=30)
    at.run()
    assert [t.value for t in at.title] == ["Overview"] and not at.warning
    break_facts(mini_data)
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Overview"]
    assert "the last good version" in at.warning[0].value and "facts.csv" in as_read(at.warning[0].value)


def make_unreadable(path: Path, monkeypatch) -> None:
    """chmod 000, as a hand slip or a wrong deployment leaves a file. Root reads such a file all the
    same, so when the tests run as root, reading it is refused as the kernel refuses everyone else."""
    path.chmod(0)
    if os.geteuid() == 0:
        real_read_bytes = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.exists() and self.stat().st_mode & 0o444 == 0:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real_read_bytes(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_an_unreadable_data_file_is_a_broken_file(mini_data, tmp_path, monkeypatch):
    at = AppTest.from_string(GUARDED_APP.format(data_dir=str(mini_data), cache=str(tmp_path / "c")), default_timeout=30)
    at.run()
    assert not at.warning
    make_unreadable(mini_data / "facts.csv", monkeypatch)
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Overview"]  # the last good data, with a banner
    assert "the last good version" in at.warning[0].value
    assert "facts.csv:0: cannot be read: Permission denied" in as_read(at.warning[0].value)
    plan = ingest.preview(mini_data, "new.csv", b"region,year,value\nKZ,2024,5\n", MINISTRY)
    assert "facts.csv:0: cannot be read: Permission denied" in t(plan.file_problems[0].located)
    (mini_data / "facts.csv").chmod(0o644)
    at.run()
    assert not at.warning

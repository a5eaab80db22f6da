"""Tests for queries/validate.py: each rule gets a copy of the mini dataset with one thing broken."""

import codecs
import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from i18n import message, t, using
from queries import schema
from queries.problem import Problem
from queries.validate import check, main

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Latest year in the mini dataset is 2025 (period 2023-2025); pinning keeps year tests stable.
TODAY = date(2025, 6, 1)


# --- helpers -------------------------------------------------------------------------------------


def read_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as file:
        return file.read().split("\n")


def write_lines(path: Path, lines: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write("\n".join(lines))


def csv_line(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)  # the writer quotes fields holding its terminator
    return out.getvalue()[:-1]


def set_fields(data_dir: Path, file: str, line: int, **values: str) -> None:
    """Change columns of the row on `line` (the header is line 1)."""
    lines = read_lines(data_dir / file)
    header = next(csv.reader([lines[0]]))
    fields = next(csv.reader([lines[line - 1]]))
    for column, value in values.items():
        fields[header.index(column)] = value
    lines[line - 1] = csv_line(fields)
    write_lines(data_dir / file, lines)


def replace_line(data_dir: Path, file: str, line: int, text: str) -> None:
    lines = read_lines(data_dir / file)
    lines[line - 1] = text
    write_lines(data_dir / file, lines)


def append_line(data_dir: Path, file: str, text: str) -> None:
    """Add a row after the last one; it gets line number (rows in the fixture + 2)."""
    lines = read_lines(data_dir / file)
    if lines[-1] == "":  # keep the final newline at the end
        lines.insert(len(lines) - 1, text)
    else:
        lines.append(text)
    write_lines(data_dir / file, lines)


def line_text(data_dir: Path, file: str, line: int) -> str:
    return read_lines(data_dir / file)[line - 1]


def problems(data_dir: Path) -> list[str]:
    return [t(problem.located) for problem in check(data_dir, today=TODAY)]


def assert_problem(data_dir: Path, where: str, fragment: str, *, alone: bool = True) -> None:
    """A problem at `where` (file:line) mentions `fragment`; with `alone`, it is the only problem."""
    found = problems(data_dir)
    assert any(p.startswith(f"{where}: ") and fragment in p for p in found), found
    if alone:
        assert len(found) == 1, found


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "queries.validate", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)


# --- the valid fixture ---------------------------------------------------------------------------


def test_fixture_has_no_problems(mini_data):
    assert check(mini_data, today=TODAY) == []
    assert check(mini_data) == []


def test_a_problem_reads_as_file_line_message_in_the_readers_language():
    problem = Problem(message("validate.not_listed", column="region", text="'KZ-99'", file="regions.csv"), "facts.csv", 17)
    assert t(problem.located) == "facts.csv:17: region 'KZ-99' is not listed in regions.csv"
    with using("ru"):
        assert t(problem.located) == "facts.csv:17: region 'KZ-99' отсутствует в regions.csv"
    assert t(Problem(message("validate.file_missing"), "facts.csv").located) == "facts.csv:0: file is missing"


def test_windows_line_endings_are_fine(mini_data):
    for table in schema.TABLES:
        path = mini_data / table.file
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert problems(mini_data) == []


def test_line_numbers_count_physical_lines_of_multiline_fields(mini_data):
    set_fields(mini_data, "facts.csv", 2, note="first line\nsecond line")  # row 2 now spans lines 2-3
    set_fields(mini_data, "facts.csv", 4, region="KZ-99")  # the fixture's line 3
    assert_problem(mini_data, "facts.csv:4", "region 'KZ-99' is not listed in regions.csv")


# --- rule 1: files -------------------------------------------------------------------------------


@pytest.mark.parametrize("file", [table.file for table in schema.TABLES])
def test_missing_file_is_the_only_problem(mini_data, file):
    (mini_data / file).unlink()
    assert problems(mini_data) == [f"{file}:0: file is missing"]


def test_missing_data_folder(tmp_path):
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0: data folder does not exist"]


@pytest.mark.parametrize("file, header, problem", [
    ("facts.csv", "indicator_id,region,period,value,value_high,unit,qualifier,source_id,event_id,ref", "missing column(s) note"),
    ("statements.csv", "indicator_id,region,period,statement,source_id,note,ref,comment", "unexpected column(s) comment"),
    ("facts.csv", "region,indicator_id,period,value,value_high,unit,qualifier,source_id,event_id,note,ref",
     "columns are in the wrong order"),
])
def test_a_header_unlike_the_files_columns_is_named(mini_data, file, header, problem):
    replace_line(mini_data, file, 1, header)
    assert_problem(mini_data, f"{file}:1", problem)


def test_broken_reference_file_skips_checks_that_need_it(mini_data):
    replace_line(mini_data, "regions.csv", 1, "iso,name_en,name_ru,name_kk,type,created_year,split_from")
    assert_problem(mini_data, "regions.csv:1", "missing column(s) iso_code; unexpected column(s) iso")


@pytest.mark.parametrize(
    "row, count",
    [
        ("ngos_registered,KZ,2023,23335,,organizations,exact,gov_page,,,test:2,extra", 12),
        ("ngos_registered,KZ,2023,23335,,organizations,exact,gov_page,,test:2", 10),
    ],
)
def test_wrong_number_of_fields(mini_data, row, count):
    replace_line(mini_data, "facts.csv", 3, row)
    assert_problem(mini_data, "facts.csv:3", f"has {count} fields, expected 11")


def test_empty_line(mini_data):
    lines = read_lines(mini_data / "facts.csv")
    write_lines(mini_data / "facts.csv", lines[:2] + [""] + lines[2:])
    assert_problem(mini_data, "facts.csv:3", "empty line")


def test_empty_file(mini_data):
    (mini_data / "statements.csv").write_bytes(b"")
    assert_problem(mini_data, "statements.csv:0", "file is empty")


@pytest.mark.parametrize("bad_row_end", ['"test:2"x', '"unclosed'])
def test_broken_quoting(mini_data, bad_row_end):
    text = line_text(mini_data, "facts.csv", 3)
    replace_line(mini_data, "facts.csv", 3, text.rsplit(",", 1)[0] + "," + bad_row_end)
    assert_problem(mini_data, "facts.csv:3", "broken quoting")


def test_not_utf8_reports_the_line(mini_data):
    path = mini_data / "regions.csv"
    # Saved as Windows Cyrillic, as Excel might; the first Cyrillic letter is on line 2.
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    assert_problem(mini_data, "regions.csv:2", "is not valid UTF-8")


def test_byte_order_mark(mini_data):
    path = mini_data / "sources.csv"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    assert_problem(mini_data, "sources.csv:1", "byte order mark")


@pytest.mark.parametrize(
    "garbage, where, message",
    [
        (bytes(range(256)) * 4, "facts.csv:1", "contains NUL bytes: this is a binary file"),
        (b"\x89PNG\r\n\x1a\n\xff\xd8\xff", "facts.csv:1", "is not valid UTF-8"),
    ],
)
def test_binary_file(mini_data, garbage, where, message):
    (mini_data / "facts.csv").write_bytes(garbage)
    assert_problem(mini_data, where, message)


# --- rule 2: value formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, line, column, value, message",
    [
        ("facts.csv", 2, "source_id", "", "source_id is blank but required"),
        ("facts.csv", 2, "value", " ", "value is blank but required"),
        ("tiers.csv", 2, "rank", "first", "rank 'first' is not a whole number"),
        ("events.csv", 2, "number", "9.0", "number '9.0' is not a whole number"),
        ("regions.csv", 4, "created_year", "2022a", "created_year '2022a' is not a whole number"),
        ("facts.csv", 2, "value", "21,000", "value '21,000' is not a plain number: use '.' as decimal point"),
        ("facts.csv", 2, "value", "21 000", "no thousands separators"),
        ("facts.csv", 2, "value", "21000.", "value '21000.' is not a plain number"),
        ("facts.csv", 2, "value", ">21000", "put words like 'more than' in the qualifier column"),
        ("facts.csv", 2, "value", "~21000", "put words like 'more than' in the qualifier column"),
        ("facts.csv", 2, "value", "nan", "value 'nan' is not a plain number"),
        ("facts.csv", 2, "value", "inf", "value 'inf' is not a plain number"),
        ("facts.csv", 2, "value", "2.1e4", "value '2.1e4' is not a plain number"),
        ("facts.csv", 2, "value", "-5", "value '-5' is negative"),
        ("facts.csv", 12, "value_high", "4,000", "value_high '4,000' is not a plain number"),
        ("events.csv", 2, "start_date", "2020-11-31", "start_date '2020-11-31' is not a real date written YYYY-MM-DD"),
        ("events.csv", 2, "end_date", "27.11.2020", "end_date '27.11.2020' is not a real date"),
        ("sources.csv", 2, "published", "2023-13", "published '2023-13' must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ("sources.csv", 2, "published", "2023-02-30", "published '2023-02-30' must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ("sources.csv", 2, "published", "April 2023", "published 'April 2023' must be"),
        ("facts.csv", 2, "period", "2022-2022", "period '2022-2022' must run from an earlier to a later year"),
        ("facts.csv", 13, "period", "2025-2023", "must run from an earlier to a later year"),
        ("facts.csv", 2, "period", "2022-23", "period '2022-23' must be YYYY or YYYY-YYYY"),
        ("statements.csv", 2, "period", "FY2022", "period 'FY2022' must be YYYY or YYYY-YYYY"),
        # a cited page may be in German or Czech, but only in a language on the list
        ("sources.csv", 2, "language", "fr", "language 'fr' is not one of en, ru, kk, de, cs"),
        ("sources.csv", 2, "language", "german", "language 'german' is not one of en, ru, kk, de, cs"),
        ("indicators.csv", 2, "category", "civil_society", "category 'civil_society' is not one of ngos,"),
        ("regions.csv", 3, "type", "district", "type 'district' is not one of country, oblast, city"),
        ("events.csv", 2, "scope", "regional", "scope 'regional' is not one of national, city"),
        ("sources.csv", 2, "url", "example.org/gov", "url 'example.org/gov' must start with http:// or https://"),
        ("sources.csv", 2, "url", "ftp://example.org/gov", "must start with http:// or https://"),
        ("indicators.csv", 2, "name_ru", "", "name_ru is blank but required"),
        ("indicators.csv", 3, "name_kk", " ", "name_kk is blank but required"),
        ("indicators.csv", 4, "definition_ru", "", "definition_ru is blank but required"),
        ("indicators.csv", 5, "definition_kk", "", "definition_kk is blank but required"),
        # Latin i typed for the Kazakh і, Latin o for the Cyrillic о
        ("indicators.csv", 2, "name_kk", "Тiркелген ҮЕҰ", "name_kk 'Тiркелген ҮЕҰ' mixes Latin and Cyrillic letters in"
         " the word 'Тiркелген'"),
        ("indicators.csv", 2, "definition_ru", "Тестoвое определение", "definition_ru 'Тестoвое определение' mixes"
         " Latin and Cyrillic letters in the word 'Тестoвое'"),
        ("regions.csv", 4, "name_kk", "Жетiсу облысы", "mixes Latin and Cyrillic letters in the word 'Жетiсу'"),
    ],
)
def test_bad_value(mini_data, file, line, column, value, message):
    set_fields(mini_data, file, line, **{column: value})
    assert_problem(mini_data, f"{file}:{line}", message)


@pytest.mark.parametrize("column, value", [("published", "2023"), ("published", "2023-02"), ("published", ""),
                                           ("url", ""), ("url", "http://example.org"),
                                           ("language", "de"), ("language", "cs")])
def test_allowed_source_values(mini_data, column, value):
    set_fields(mini_data, "sources.csv", 2, **{column: value})
    assert problems(mini_data) == []


@pytest.mark.parametrize("value", ["Список наблюдения CIVICUS Monitor (Watch List)", "USAID бағдарламалары",
                                   "ҮЕҰ-ға арналған сыйлық, 2017 жылдан бері", "«Рухани жаңғыру»"])
def test_translations_may_hold_latin_names_as_separate_words(mini_data, value):
    set_fields(mini_data, "indicators.csv", 2, name_ru=value, name_kk=value, definition_kk=value)
    assert problems(mini_data) == []


@pytest.mark.parametrize(
    "file, row, message",
    [
        ("sources.csv", "Gov-Page,Pub,Title,,,,en,government", "source_id 'Gov-Page' may only contain a-z, 0-9 and _"),
        ("indicators.csv", "NGOs,ngos,organizations,Name,Definition,Имя,Атауы,Определение,Анықтама",
         "indicator_id 'NGOs' may only contain"),
        ("events.csv", "cf-12,national,KZ,12,XII,,,,,,,,,,gov_page,,test:3", "event_id 'cf-12' may only contain"),
        ("tiers.csv", "Blog,9,Blog,Blogs and reposts", "tier 'Blog' may only contain a-z, 0-9 and _"),
    ],
)
def test_bad_id(mini_data, file, row, message):
    append_line(mini_data, file, row)
    assert_problem(mini_data, f"{file}:{len(read_lines(mini_data / file)) - 1}", message)


def test_bad_source_id_list(mini_data):
    set_fields(mini_data, "events.csv", 2, source_ids="gov_page, news_a")
    assert_problem(mini_data, "events.csv:2", "source_ids 'gov_page, news_a' must be ids", alone=False)


# --- rules 3-6: references and units -------------------------------------------------------------


@pytest.mark.parametrize(
    "file, line, changes, message",
    [
        ("facts.csv", 2, {"region": "KZ-99"}, "region 'KZ-99' is not listed in regions.csv"),
        ("statements.csv", 2, {"region": "KZ-99"}, "region 'KZ-99' is not listed in regions.csv"),
        ("events.csv", 3, {"scope": "city", "region": "KZ-99"}, "region 'KZ-99' is not listed in regions.csv"),
        ("region_aliases.csv", 3, {"iso_code": "KZ-99"}, "iso_code 'KZ-99' is not listed in regions.csv"),
        ("regions.csv", 4, {"split_from": "KZ-99"}, "split_from 'KZ-99' is not listed in regions.csv"),
        ("facts.csv", 2, {"indicator_id": "ngos_total"}, "indicator_id 'ngos_total' is not listed in indicators.csv"),
        ("statements.csv", 2, {"indicator_id": "rating"}, "indicator_id 'rating' is not listed in indicators.csv"),
        ("facts.csv", 2, {"source_id": "gov_site"}, "source_id 'gov_site' is not listed in sources.csv"),
        ("statements.csv", 2, {"source_id": "gov_site"}, "source_id 'gov_site' is not listed in sources.csv"),
        ("events.csv", 2, {"source_ids": "gov_page;gov_site"}, "source_ids 'gov_site' is not listed in sources.csv"),
        ("facts.csv", 2, {"unit": "NGOs"}, "unit 'NGOs' differs from the unit 'organizations' of indicator"),
        ("facts.csv", 2, {"indicator_id": "civic_rating", "unit": "text"},
         "indicator_id 'civic_rating' has unit 'text' and may only be used in statements.csv"),
        ("statements.csv", 2, {"indicator_id": "ngos_registered"},
         "statements may only use indicators with unit 'text'"),
    ],
)
def test_broken_reference(mini_data, file, line, changes, message):
    set_fields(mini_data, file, line, **changes)
    assert_problem(mini_data, f"{file}:{line}", message)


# --- rule 6b: plausible values for their unit (units.csv) ----------------------------------------

# Mini data units: organizations (whole, 0-1,000,000), persons (whole, 0-100,000,000), EUR (1,000-10^12).
@pytest.mark.parametrize(
    "line, changes, message",
    [
        (3, {"value": "23.335"}, "value '23.335' is not a whole number, but 'organizations' are counted in whole numbers"),
        (14, {"value": "500.5"}, "value '500.5' is not a whole number, but 'persons' are counted"),
        (3, {"value": "1000001"}, "value '1000001' is above the largest plausible figure in 'organizations', 1,000,000"),
        (13, {"value": "5"}, "value '5' is below the smallest plausible figure in 'EUR', 1,000 (units.csv); check the scale"),
        (12, {"value_high": "2000000"}, "value_high '2000000' is above the largest plausible figure in 'organizations'"),
    ],
)
def test_implausible_value_for_its_unit(mini_data, line, changes, message):
    set_fields(mini_data, "facts.csv", line, **changes)
    assert_problem(mini_data, f"facts.csv:{line}", message)


def test_a_value_too_large_for_a_double_is_refused(mini_data):
    set_fields(mini_data, "facts.csv", 3, value="1" + "0" * 400)  # DuckDB would read it as infinity
    found = problems(mini_data)
    assert [p.split(": ", 1)[0] for p in found] == ["facts.csv:3", "facts.csv:3"]
    assert found[0].endswith("...' is too large to be a number")
    assert "is above the largest plausible figure in 'organizations'" in found[1]


def test_the_bounds_are_whole_within_range(mini_data):
    set_fields(mini_data, "facts.csv", 3, value="1000000")
    set_fields(mini_data, "facts.csv", 13, value="1000")
    assert problems(mini_data) == []


@pytest.mark.parametrize(
    "line, changes, message",
    [
        (2, {"maximum": ""}, "minimum and maximum are required: they say which figures in 'organizations' are plausible"),
        (2, {"minimum": "10", "maximum": "10"}, "maximum '10' must be greater than minimum '10'"),
        (2, {"whole_number": "sometimes"}, "whole_number 'sometimes' is not one of yes, no"),
        (2, {"maximum": "lots"}, "maximum 'lots' is not a plain number"),
    ],
)
def test_unit_rules(mini_data, line, changes, message):
    set_fields(mini_data, "units.csv", line, **changes)
    assert_problem(mini_data, f"units.csv:{line}", message, alone=False)


def test_an_indicator_needs_a_declared_unit(mini_data):
    set_fields(mini_data, "indicators.csv", 2, unit="NGOs")
    set_fields(mini_data, "facts.csv", 2, unit="NGOs")
    assert "indicators.csv:2: unit 'NGOs' is not listed in units.csv" in problems(mini_data)


def test_shipped_data_is_plausible():
    assert check(PROJECT_ROOT / "data") == []


# --- rule 7: duplicates --------------------------------------------------------------------------


@pytest.mark.parametrize("file", ["facts.csv", "sources.csv", "region_aliases.csv"])
def test_exact_duplicate_row(mini_data, file):
    append_line(mini_data, file, line_text(mini_data, file, 2))
    assert_problem(mini_data, f"{file}:{len(read_lines(mini_data / file)) - 1}", "exact duplicate of line 2")


@pytest.mark.parametrize(
    "file, row, message",
    [
        ("sources.csv", "gov_page,Other,Other,,,,en,government", "source_id 'gov_page' is already used on line 2"),
        ("indicators.csv", "eu_funding,funding,EUR,Other,Other,Другое,Басқа,Другое,Басқа",
         "indicator_id 'eu_funding' is already used on line 3"),
        ("regions.csv", "KZ-75,Almaty 2,Алматы,Алматы,city,,", "iso_code 'KZ-75' is already used on line 5"),
        ("region_aliases.csv", "jetisu  REGION ,KZ-33,", "alias 'jetisu  REGION ' is already used on line 3"),
        ("events.csv", "cf_09,national,KZ,10,X,,,,,,,,,,gov_page,,test:3", "event_id 'cf_09' is already used on line 2"),
        ("tiers.csv", "government,9,Other,Other", "tier 'government' is already used on line 3"),
        ("tiers.csv", "blog,8,Blog,Blogs", "rank '8' is already used on line 9"),
        ("qualifiers.csv", "about,roughly,Other", "qualifier 'about' is already used on line 3"),
    ],
)
def test_duplicate_key(mini_data, file, row, message):
    append_line(mini_data, file, row)
    assert_problem(mini_data, f"{file}:{len(read_lines(mini_data / file)) - 1}", message)


# --- rule 8: years -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, line, column, value",
    [
        ("facts.csv", 2, "period", "1989"),
        ("facts.csv", 2, "period", "2026"),
        ("facts.csv", 13, "period", "1989-1995"),
        ("statements.csv", 2, "period", "2026"),
        ("events.csv", 3, "year", "2026"),
        ("events.csv", 3, "start_date", "2026-01-10"),
        ("events.csv", 3, "end_date", "1989-12-31"),
        ("regions.csv", 4, "created_year", "1989"),
        ("sources.csv", 2, "published", "2026-01"),
        ("sources.csv", 3, "published", "1989"),
    ],
)
def test_year_out_of_range(mini_data, file, line, column, value):
    set_fields(mini_data, file, line, **{column: value})
    assert_problem(mini_data, f"{file}:{line}", f"{column} '{value}' is outside the years 1990–2025")


def test_current_year_is_the_default_last_year(mini_data):
    this_year = date.today().year
    set_fields(mini_data, "facts.csv", 2, period=str(this_year))
    set_fields(mini_data, "facts.csv", 3, period=str(this_year + 1))
    assert [t(p.located) for p in check(mini_data)] == [
        f"facts.csv:3: period '{this_year + 1}' is outside the years 1990–{this_year}"
    ]


# --- rule 9: qualifiers and ranges ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line, changes, message",
    [
        (2, {"qualifier": "roughly"}, "qualifier 'roughly' is not listed in qualifiers.csv"),
        (12, {"value_high": ""}, "value_high is required with qualifier 'between'"),
        (12, {"value_high": "3500"}, "value_high '3500' must be greater than value '3500'"),
        (12, {"value_high": "999"}, "value_high '999' must be greater than value '3500'"),  # numbers, not text, compared
        (2, {"value_high": "22000"}, "value_high '22000' must be blank unless qualifier is 'between'"),
    ],
)
def test_qualifier_rules(mini_data, line, changes, message):
    set_fields(mini_data, "facts.csv", line, **changes)
    assert_problem(mini_data, f"facts.csv:{line}", message)


# --- rule 9b: values and notes written once and exactly ------------------------------------------


# Line 13 is an amount in EUR: its unit's floor and ceiling (units.csv) leave room for these values.
@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"value": "16899999999.999998"}, "value '16899999999.999998' has 17 significant digits"),
        ({"value": "1000.3000000000001"}, "has 17 significant digits, a binary floating-point artefact"),
        ({"value_high": "5000000.000000001", "qualifier": "between"}, "value_high '5000000.000000001' has 16 significant digits"),
    ],
)
def test_a_binary_float_artefact_is_not_a_value(mini_data, changes, fragment):
    set_fields(mini_data, "facts.csv", 13, **changes)
    assert_problem(mini_data, "facts.csv:13", fragment)


@pytest.mark.parametrize("value", ["16900000000", "107000000000", "1250.25", "37000.3", "20286084"])
def test_exactly_written_values_pass(mini_data, value):
    set_fields(mini_data, "facts.csv", 13, value=value)
    assert problems(mini_data) == []


@pytest.mark.parametrize(
    "file, line, note, repeated",
    [
        # the merge of two research rows wrote facts.csv:136 this way
        ("facts.csv", 7, '2024 ("last year"); the source cites the bureau; 2024 ("last year"); the source cites the bureau',
         "'2024 (\"last year\")' twice"),
        # facts.csv:605: one clause repeated at the start of a longer one
        ("facts.csv", 7, "virtual meetings; virtual meetings between heads of ministries and NGOs",
         "'virtual meetings' twice"),
        ("facts.csv", 7, "As of April 2023;  as of  april 2023", "'As of April 2023' twice"),
        ("statements.csv", 2, "said in 2022; said in 2022", "'said in 2022' twice"),
        ("events.csv", 3, "year not stated; year not stated", "'year not stated' twice"),
    ],
)
def test_a_note_says_each_clause_once(mini_data, file, line, note, repeated):
    set_fields(mini_data, file, line, note=note)
    assert_problem(mini_data, f"{file}:{line}", f"says {repeated}; write each clause once")


@pytest.mark.parametrize("note", ["as of April 2023; citing the ministry", "virtual meetings; virtually all ministries",
                                  "city and district level; district level only", "plan; planned later"])
def test_notes_with_distinct_clauses_pass(mini_data, note):
    set_fields(mini_data, "facts.csv", 7, note=note)
    assert problems(mini_data) == []


@pytest.mark.parametrize("url", ["https://mirror.example.org/gov", "http://www.example.org/gov/", "https://example.org./gov"])
def test_one_page_at_two_addresses_is_one_source(mini_data, url):
    # sources.csv:116-117 once held the same UNESCO page at en.unesco.kz and agroweb.unesco.kz
    append_line(mini_data, "sources.csv", f"gov_page_mirror,Test Ministry (mirror),Test ministry page on NGOs,2023-04,,{url},en,government")
    assert_problem(mini_data, "sources.csv:6", "is the page of source 'gov_page' (line 2) at another address")


@pytest.mark.parametrize("url", ["https://example.org/gov/2", "https://example.com/gov", "https://example.org/gov?page=2"])
def test_other_pages_of_one_site_are_other_sources(mini_data, url):
    append_line(mini_data, "sources.csv", f"gov_page_2,Test Ministry,Another page,2023-04,,{url},en,government")
    assert problems(mini_data) == []


def test_a_large_figure_returning_to_an_earlier_years_value_needs_a_note(mini_data):
    # the compilation's NGO staff: 42,328 for 2020, then other values, then 42,328 again for 2024 (facts.csv:52)
    append_line(mini_data, "facts.csv", "ngos_registered,KZ-75,2025,5017,,organizations,exact,compilation,,,test:16")
    assert_problem(mini_data, "facts.csv:16", "value '5017' for 2025 repeats this source's 2023 figure after different"
                   " ones in between")
    set_fields(mini_data, "facts.csv", 16, note="repeats 2023 exactly; possibly a copying error in the compilation")
    assert problems(mini_data) == []


@pytest.mark.parametrize(
    "row",
    [
        "ngos_registered,KZ-75,2025,5100,,organizations,exact,compilation,,,test:16",  # the same as the year before
        "ngos_registered,KZ-75,2025,5017,,organizations,exact,news_a,,,test:16",  # another source
        "ngos_registered,KZ-33,2023,800,,organizations,exact,compilation,,,test:16",  # no year between
    ],
)
def test_repeated_values_without_a_return_pass(mini_data, row):
    append_line(mini_data, "facts.csv", row)
    assert problems(mini_data) == []


def test_small_counts_may_return_to_an_earlier_value(mini_data):
    for period, value in (("2022", "12"), ("2024", "12")):
        append_line(mini_data, "facts.csv", f"ngos_registered,KZ-33,{period},{value},,organizations,exact,compilation,,,test:16")
    set_fields(mini_data, "facts.csv", 11, value="14")
    assert problems(mini_data) == []


# --- rule 10: tiers ------------------------------------------------------------------------------


def test_source_tier_must_exist(mini_data):
    set_fields(mini_data, "sources.csv", 2, tier="gov")
    assert_problem(mini_data, "sources.csv:2", "tier 'gov' is not listed in tiers.csv")


# --- rule 11: events -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, line, changes, message",
    [
        ("facts.csv", 14, {"event_id": "cf_10"}, "event_id 'cf_10' is not listed in events.csv"),
        ("events.csv", 2, {"end_date": "2020-11-20"}, "end_date '2020-11-20' is before start_date '2020-11-23'"),
        ("events.csv", 2, {"year": "2021"}, "year '2021' differs from the year of start_date '2020-11-23'"),
        ("events.csv", 2, {"region": "KZ-75"}, "region 'KZ-75' must be 'KZ' for a national event"),
    ],
)
def test_event_rules(mini_data, file, line, changes, message):
    set_fields(mini_data, file, line, **changes)
    assert_problem(mini_data, f"{file}:{line}", message)


# --- rule 12: the map file -----------------------------------------------------------------------

GEOJSON_FEATURE = '{"type": "Feature", "properties": %s, "geometry": null}'


def write_geojson(data_dir: Path, text: str) -> None:
    (data_dir / schema.GEOJSON_FILE).write_text(text, encoding="utf-8")


def features_json(*properties: str) -> str:
    return '{"type": "FeatureCollection", "features": [%s]}' % ", ".join(GEOJSON_FEATURE % p for p in properties)


def test_geojson_missing(mini_data):
    (mini_data / schema.GEOJSON_FILE).unlink()
    assert_problem(mini_data, "geo/kz_adm1.geojson:0", "file is missing")


def test_geojson_not_json(mini_data):
    write_geojson(mini_data, '{"type": "FeatureCollection",\n "features": [\n}')
    assert_problem(mini_data, "geo/kz_adm1.geojson:3", "is not valid JSON")


@pytest.mark.parametrize("text", ['{"type": "Feature", "features": []}', "[]", '{"type": "FeatureCollection"}'])
def test_geojson_not_a_feature_collection(mini_data, text):
    write_geojson(mini_data, text)
    assert_problem(mini_data, "geo/kz_adm1.geojson:0", "is not a GeoJSON FeatureCollection")


@pytest.mark.parametrize(
    "properties, message",
    [
        ('{"iso_code": "KZ-99"}', "feature 2: iso_code 'KZ-99' is not listed in regions.csv"),
        ('{"name_en": "Almaty"}', "feature 2 has no properties.iso_code"),
        ("null", "feature 2 has no properties.iso_code"),
        ('{"iso_code": "KZ-19"}', "feature 2: iso_code 'KZ-19' is already used by feature 1"),
    ],
)
def test_geojson_second_feature_code(mini_data, properties, message):
    write_geojson(mini_data, features_json('{"iso_code": "KZ-19"}', properties))
    assert_problem(mini_data, "geo/kz_adm1.geojson:0", message)


def test_geojson_binary(mini_data):
    (mini_data / schema.GEOJSON_FILE).write_bytes(bytes(range(256)))
    assert_problem(mini_data, "geo/kz_adm1.geojson:1", "binary file")


# --- command line --------------------------------------------------------------------------------


def test_cli_fixture_passes(mini_data):
    result = run_cli(str(mini_data))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("data OK: 4 sources, 14 facts, 1 statements,")
    assert len(result.stdout.splitlines()) == 1


def test_cli_broken_data_fails(mini_data):
    set_fields(mini_data, "facts.csv", 5, region="KZ-99")
    set_fields(mini_data, "sources.csv", 2, language="fr")
    result = run_cli(str(mini_data))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "sources.csv:2: language 'fr' is not one of en, ru, kk, de, cs",
        "facts.csv:5: region 'KZ-99' is not listed in regions.csv",
        f"2 problem(s) found in {mini_data}",
    ]


def test_cli_binary_facts_gives_no_traceback(mini_data):
    (mini_data / "facts.csv").write_bytes(bytes(range(256)) * 16)
    result = run_cli(str(mini_data))
    assert result.returncode == 1
    assert "facts.csv:1: contains NUL bytes" in result.stdout
    assert "Traceback" not in result.stderr


def test_main_reads_data_dir_from_environment(mini_data, monkeypatch, capsys):
    monkeypatch.setenv("KZNGO_DATA_DIR", str(mini_data))
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("data OK:")

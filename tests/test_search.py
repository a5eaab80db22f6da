"""Finding a figure: how a search is read, the search query, the search page and the Indicator page."""

import csv
import json
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard import finder
from dashboard.formatting import markdown_text
from i18n import using
from queries import EvidenceBase

PROJECT = Path(__file__).resolve().parent.parent
APP = str(PROJECT / "dashboard" / "app.py")
DATA = PROJECT / "data"
HOSTILE = ["'; drop table facts; --", "%_", "%", "_", "\\", "' OR '1'='1", "$words", "lambda word: true"]


def data_rows(file: str) -> list[dict]:
    with open(DATA / file, encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


def found(text: str, language: str = "en") -> list[tuple]:
    """(indicator, region, period, value, source) of every figure a search finds, on the real data."""
    with using(language):
        rows = finder.find(finder.parse_search(text), limit=None)
    return [(i, r, p, v, s) for i, r, p, v, s
            in zip(rows["indicator_id"], rows["region"], rows["period"], rows["value"], rows["source_id"])]


TRIPARTITE_2017 = ("tripartite_alliance_funding", "KZ", "2017", 100_000_000.0, "unesco_2018_almaty_forum")
EU_13_ORGANISATIONS = ("eu_funded_orgs", "KZ", "2025", 13.0, "silkwaytv_2025_xii_forum")


# --- reading what was typed ----------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "words", "numbers"), [
    ("tripartite 100 million", ("tripartite",), ((100_000_000.0,),)),
    ("100 000 000", (), ((100_000_000.0, 1e14, 1e17),)),
    ("100\u00a0000\u00a0000 tenge", ("tenge",), ((100_000_000.0, 1e14, 1e17),)),
    ("23,335", (), ((23_335.0, 23_335e6, 23_335e9),)),
    ("5,5 млн €", (), ((5_500_000.0,),)),
    ("9.6 billion", (), ((9_600_000_000.0,),)),
    ("2bn", (), ((2_000_000_000.0,),)),
    ("18 000-нан астам", ("астам",), ((18_000.0, 18_000e6, 18_000e9),)),
    ("100 миллионнан", (), ((100_000_000.0,),)),
    ("13 2025", (), ((13.0, 13e6, 13e9), (2025.0, 2025e6, 2025e9))),
    ("2024 bns", ("bns",), ((2024.0, 2024e6, 2024e9),)),
    ("EU-funded ЕО", ("eu", "funded", "ео"), ()),
])
def test_a_search_is_read_as_words_and_numbers_written_as_people_write_them(typed, words, numbers):
    search = finder.parse_search(typed)
    assert (search.words, search.numbers) == (words, numbers)


@pytest.mark.parametrize("typed", ["%_", "", "  ", "'; --", "%", "€ $ ₸"])
def test_punctuation_and_symbols_alone_search_for_nothing(typed):
    search = finder.parse_search(typed)
    assert not search.words and not search.numbers
    assert finder.find(search).empty


def test_the_search_is_shown_back_as_it_is_read():
    with using("en"):
        assert finder.parse_search("Tripartite 100 million 2017").describe() == "tripartite · 100 million = 100,000,000 · 2017"
    with using("ru"):
        assert finder.parse_search("5,5 млн").describe() == "5,5 млн = 5\u00a0500\u00a0000"


def test_long_words_are_looked_for_without_their_ending():
    assert finder.parse_search("организаций альянс ЕС").stems() == ["организац", "алья", "ес"]


# --- the search query on the fixture data ---------------------------------------------------------


@pytest.fixture
def base(mini_data: Path, tmp_path: Path) -> EvidenceBase:
    return EvidenceBase(mini_data, cache_dir=tmp_path / "cache")


def search(base: EvidenceBase, words=(), numbers=(), codes=None) -> list[tuple]:
    codes = codes or {}
    rows = base.run("search_facts", words=list(words), numbers=[list(n) for n in numbers],
                    code_keys=list(codes), code_words=list(codes.values()), limit=None)
    return [tuple(None if pd.isna(v) else v for v in row)
            for row in zip(rows["indicator_id"], rows["region"], rows["period"], rows["value"], rows["statement"])]


def test_every_word_must_begin_a_word_of_the_figure(base):
    assert {row[0] for row in search(base, ["forum"])} == {"forum_participants"}
    assert search(base, ["forum", "registered"]) == []  # every word, not any
    assert search(base, ["orum"]) == []  # not inside a word
    # Names and definitions in Russian and Kazakh, region names, notes, publishers and titles are searched.
    assert {row[0] for row in search(base, ["участники"])} == {"forum_participants"}
    assert {row[0] for row in search(base, ["қатысушылар"])} == {"forum_participants"}
    assert [row[:4] for row in search(base, ["unstated"])] == [("ngos_registered", "KZ", None, 5000.0)]
    assert {row[1] for row in search(base, ["жетісу"])} == {"KZ-33"}
    assert {row[0] for row in search(base, ["bureau"])} == {"ngos_registered"}


def test_a_number_is_a_value_an_upper_value_or_a_number_written_with_the_figure(base):
    assert [row[:4] for row in search(base, numbers=[(23335.0,)])] == [("ngos_registered", "KZ", "2023", 23335.0)]
    assert [row[:4] for row in search(base, numbers=[(4000.0,)])] == [("ngos_registered", "KZ", "2004", 3500.0)]
    assert {row[2] for row in search(base, ["ngos"], numbers=[(2024.0,)])} == {"2024"}  # the year
    assert [row[0] for row in search(base, numbers=[(2025.0,)])] == ["eu_funding"]  # within a range "2023-2025"
    assert search(base, numbers=[(23335.0,), (2022.0,)]) == []  # every number


def test_the_words_for_codes_are_searched_and_statements_are_found(base):
    codes = {"qualifier:about": "about около шамамен", "statement:repressed": "repressed подавленное"}
    assert [row[:4] for row in search(base, ["около"], codes=codes)] == [("eu_funding", "KZ", "2023-2025", 5_000_000.0)]
    assert search(base, ["подавленное"], codes=codes) == [("civic_rating", "KZ", "2022", None, "repressed")]


def test_a_search_returns_its_first_rows_and_how_many_match(base):
    rows = base.run("search_facts", words=["registered"], numbers=[], code_keys=[], code_words=[], limit=3)
    assert len(rows) == 3 and set(rows["n_matches"]) == {11}
    assert rows["region"].tolist() == ["KZ", "KZ", "KZ"]  # the country before its regions


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_bound_as_a_value_and_finds_nothing(base, hostile):
    facts_before = len(base.run("all_facts"))
    assert search(base, [hostile]) == []
    assert len(base.run("all_facts")) == facts_before


# --- the search on the real data ------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["tripartite", "tripartite 100 million", "tripartite 2017", "100 000 000",
                                   "100,000,000 tenge", "tripartite 100", "UNESCO 100 million"])
def test_the_tripartite_alliances_100_million_tenge_in_2017_is_found(typed):
    assert TRIPARTITE_2017 in found(typed)


def test_a_search_with_its_value_finds_that_figure_only():
    assert found("tripartite 100 million") == [TRIPARTITE_2017]


@pytest.mark.parametrize("typed", ["13 organisations EU", "EU 13", "13 organisations"])
def test_the_13_organisations_with_eu_money_are_found(typed):
    assert EU_13_ORGANISATIONS in found(typed)


def test_the_5_million_for_13_organisations_is_found_by_its_note():
    assert ("eu_funding_amount", "KZ", "2025", 5_000_000.0, "silkwaytv_2025_xii_forum") in found("13 organisations EU")


@pytest.mark.parametrize(("typed", "language", "expected"), [
    ("трехстороннего альянса", "ru", TRIPARTITE_2017),
    ("трехсторонний альянс 100 млн", "ru", TRIPARTITE_2017),
    ("13 организаций ЕС", "ru", EU_13_ORGANISATIONS),
    ("үшжақты альянс", "kk", TRIPARTITE_2017),
    ("үшжақты альянс 100 млн теңге", "kk", TRIPARTITE_2017),
    ("ЕО 13 ұйым", "kk", EU_13_ORGANISATIONS),
    ("около 5 млн", "ru", ("eu_funding_amount", "KZ", "2025", 5_000_000.0, "silkwaytv_2025_xii_forum")),
    ("шамамен 5 млн еуро", "kk", ("eu_funding_amount", "KZ", "2025", 5_000_000.0, "silkwaytv_2025_xii_forum")),
])
def test_russian_and_kazakh_words_find_the_figures_by_their_names_in_those_languages(typed, language, expected):
    assert expected in found(typed, language)


def test_a_rating_in_words_is_found_in_every_language():
    for typed, language in (("CIVICUS repressed", "en"), ("подавленное", "ru"), ("басып жаншылған", "kk")):
        assert ("civicus_monitor_rating", "KZ", "2022") in {row[:3] for row in found(typed, language)}, typed


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_searches_on_the_real_data_are_harmless(hostile):
    facts = len(queries.run("all_facts"))
    found(hostile)
    assert len(queries.run("all_facts")) == facts == len(data_rows("facts.csv"))


# --- every indicator is shown by a page -----------------------------------------------------------


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def link_params(link: str) -> dict[str, str]:
    parts = urlsplit(link)
    assert parts.path == finder.INDICATOR_PAGE and not parts.netloc, link  # relative: works under any base path
    return dict(parse_qsl(parts.query))


def chart_points(at: AppTest) -> set[tuple]:
    return {(trace.get("name"), x, y) for element in at.get("plotly_chart")
            for trace in json.loads(element.proto.spec)["data"] for x, y in zip(trace.get("x", []), trace.get("y", []))}


def test_every_indicator_in_the_data_is_shown_with_all_its_figures_by_the_indicator_page():
    indicators = [row["indicator_id"] for row in data_rows("indicators.csv")]
    facts = Counter(row["indicator_id"] for row in data_rows("facts.csv"))
    statements = Counter(row["indicator_id"] for row in data_rows("statements.csv"))
    dated = {row["indicator_id"] for row in data_rows("facts.csv") if row["period"].isdigit()}
    at = open_page("indicator")
    assert set(at.selectbox(key=finder.INDICATOR_KEY).options) == {finder.indicator_choices()[i] for i in indicators}
    for indicator in indicators:
        at.selectbox(key=finder.INDICATOR_KEY).set_value(indicator).run()
        assert not at.exception, (indicator, [e.message for e in at.exception])
        tables = [frame.value for frame in at.dataframe]
        listed = sum(len(table) for table in tables if "Value" in table.columns)
        stated = sum(len(table) for table in tables if "Statement" in table.columns)
        assert (listed, stated) == (facts[indicator], statements[indicator]), indicator
        assert listed + stated > 0, indicator
        assert bool(at.get("plotly_chart")) == (indicator in dated), indicator


def test_the_search_result_links_open_the_view_that_draws_the_figure():
    with using("en"):
        rows = finder.find(finder.parse_search("tripartite"))
    links = {(i, r, p): finder.view_link(i, r) for i, r, p in zip(rows["indicator_id"], rows["region"], rows["period"])}
    alliance = open_page(finder.INDICATOR_PAGE, **link_params(links[("tripartite_alliance_funding", "KZ", "2017")]))
    assert ("Kazakhstan", 2017, 100_000_000) in chart_points(alliance)
    # A regional figure's link draws its region.
    applications = open_page(finder.INDICATOR_PAGE, **link_params(links[("tripartite_applications", "KZ-39", "2018")]))
    assert applications.multiselect(key="region").value == ["KZ-39"]
    assert ("Kostanay Region", 2018, 27) in chart_points(applications)


def test_an_indicator_without_national_figures_is_drawn_for_the_regions_it_has():
    at = open_page(finder.INDICATOR_PAGE, id="eu_regional_cso_funding")
    assert ("Central Asia", 2025, 4_500_000) in chart_points(at)


def test_the_link_keeps_the_readers_language():
    with using("kk"):
        assert link_params(finder.view_link("eu_funded_orgs", "KZ")) == {"id": "eu_funded_orgs", "lang": "kk"}


# --- the search page ------------------------------------------------------------------------------


def test_the_search_page_lists_the_figure_with_its_source_and_a_link_to_it():
    at = open_page("search", q="tripartite 100 million")
    assert at.text_input(key="q").value == "tripartite 100 million"
    table = at.dataframe[0].value
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["Value"], row["Period"], row["Region"], row["Indicator"]) == (
        "100 million KZT", "2017", "Kazakhstan", "Funding of the tripartite alliance")
    assert (row["Publisher"], row["Published"], row["Source tier"]) == ("UNESCO Almaty Office", "2018-11-14", "International body")
    assert link_params(row["In full"]) == {"id": "tripartite_alliance_funding", "lang": "en"}
    assert any(markdown_text("100,000,000") in caption.value for caption in at.caption)  # how "100 million" was read


def test_typing_a_search_lists_the_figures():
    at = open_page("search")
    assert not at.dataframe
    at.text_input(key="q").input("13 organisations EU").run()
    assert "Organisations receiving EU funding" in at.dataframe[0].value["Indicator"].tolist()


def test_the_search_page_says_when_nothing_matches_and_shows_data_as_text():
    at = open_page("search", q="tripartite 2003")
    assert not at.dataframe and at.info
    at = open_page("search", q="'; drop table facts; --", lang="ru")
    assert not at.exception and not at.dataframe


def test_the_search_page_in_russian_and_kazakh():
    at = open_page("search", q="трехсторонний альянс", lang="ru")
    assert at.dataframe[0].value["Показатель"].tolist() == ["Финансирование трехстороннего альянса"]
    assert at.dataframe[0].value["Значение"].tolist() == ["100\u00a0млн\u00a0KZT"]
    at = open_page("search", q="үшжақты альянс", lang="kk")
    assert at.dataframe[0].value["Көрсеткіш"].tolist() == ["Үшжақты альянсты қаржыландыру"]

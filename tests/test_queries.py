"""Tests of queries/db.py and the SQL files in queries/sql/, run on the fixture dataset."""

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries

import queries.db
import queries.validate
from queries import DataError, EvidenceBase, QueryError

STATS_RELEASE_2024 = "ngos_registered,KZ,2024,22227,,organizations,exact,stats_b,,,test:5"


@pytest.fixture
def base(mini_data: Path, tmp_path: Path) -> EvidenceBase:
    return EvidenceBase(mini_data, cache_dir=tmp_path / "cache")


def replace_line(path: Path, old: str, new: str) -> None:
    """Rewrite a data file in place (same inode), as an editor saving over it would."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def rows(df: pd.DataFrame, *columns: str) -> list[tuple]:
    """The given columns as plain tuples, with missing values as None, for readable asserts."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in df[list(columns)].itertuples(index=False)]


# --- the queries -------------------------------------------------------------------------------


def test_indicator_series_marks_the_preferred_value_of_each_point(base):
    series = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"])

    assert rows(series, "year", "value", "source_id", "is_preferred", "n_values", "n_distinct_values") == [
        (2004, 3500.0, "news_a", True, 1, 1),
        (2022, 21000.0, "gov_page", True, 1, 1),
        (2023, 23335.0, "gov_page", True, 2, 2),  # government beats the unverified compilation
        (2023, 23698.0, "compilation", False, 2, 2),
        (2024, 22227.0, "stats_b", True, 2, 2),  # official statistics beat independent media
        (2024, 22000.0, "news_a", False, 2, 2),
    ]
    first = series.iloc[0]
    assert (first["value_high"], first["qualifier"], first["unit"]) == (4000.0, "between", "organizations")
    assert first["tier_label"] == "Independent media" and first["name_en"] == "Kazakhstan"


def test_indicator_series_leaves_out_blank_periods_and_ranges(base):
    assert 5000.0 not in base.run("indicator_series", indicators=["ngos_registered"])["value"].tolist()
    assert base.run("indicator_series", indicators=["eu_funding"]).empty  # only a 2023-2025 range


def test_indicator_series_gives_several_indicators_in_the_order_asked(base):
    both = base.run("indicator_series", indicators=["forum_participants", "ngos_registered"], regions=["KZ"])
    assert rows(both, "indicator_id", "year")[:2] == [("forum_participants", 2020), ("ngos_registered", 2004)]
    assert len(both) == 1 + len(base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"]))
    reversed_order = base.run("indicator_series", indicators=["ngos_registered", "forum_participants"], regions=["KZ"])
    assert rows(reversed_order, "indicator_id")[-1] == ("forum_participants",)


def test_indicator_series_filters(base):
    all_regions = base.run("indicator_series", indicators=["ngos_registered"])
    assert set(all_regions["region"]) == {"KZ", "KZ-19", "KZ-33", "KZ-75"}

    cities = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ-75", "KZ-19"])
    assert rows(cities, "region", "year", "value") == [
        ("KZ-19", 2024, 1200.0),
        ("KZ-75", 2023, 5017.0),
        ("KZ-75", 2024, 5100.0),
    ]

    recent = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"], year_from=2023, year_to=2023)
    assert rows(recent, "year", "value") == [(2023, 23335.0), (2023, 23698.0)]

    # Preference is decided among the rows left after the tier filter.
    no_statistics = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"], tiers=["independent_media"])
    assert rows(no_statistics, "year", "value", "is_preferred", "n_values") == [
        (2004, 3500.0, True, 1),
        (2024, 22000.0, True, 1),
    ]


def test_latest_by_region_takes_each_regions_latest_year_and_leaves_out_the_country(base):
    latest = base.run("latest_by_region", indicator="ngos_registered")
    assert rows(latest, "region", "year", "value", "source_id", "n_values") == [
        ("KZ-19", 2024, 1200.0, "compilation", 1),
        ("KZ-33", 2024, 800.0, "compilation", 1),
        ("KZ-75", 2024, 5100.0, "compilation", 1),
    ]

    until_2023 = base.run("latest_by_region", indicator="ngos_registered", year_to=2023)
    assert rows(until_2023, "region", "year", "value") == [("KZ-75", 2023, 5017.0)]

    assert base.run("latest_by_region", indicator="ngos_registered", tiers=["official_statistics"]).empty


def test_point_values_lists_every_fact_of_a_point_preferred_first(base):
    point = base.run("point_values", indicator="ngos_registered", region="KZ", year=2024)
    assert rows(point, "value", "qualifier", "source_id", "tier", "is_preferred", "n_values") == [
        (22227.0, "exact", "stats_b", "official_statistics", True, 2),
        (22000.0, "more than", "news_a", "independent_media", False, 2),
    ]
    assert point["url"].tolist() == ["https://example.org/stats-b", "https://example.org/news-a"]


def test_sources_by_id(base):
    sources = base.run("sources_by_id", source_ids=["news_a", "compilation"])
    assert rows(sources, "source_id", "tier_rank", "tier_label", "n_facts") == [
        ("news_a", 6, "Independent media", 5),
        ("compilation", 8, "Unverified third-party compilation", 5),
    ]


def test_forum_editions(base):
    editions = base.run("forum_editions").set_index("event_id")

    assert editions.index.tolist() == ["cf_09", "cf_11"]
    cf_09 = editions.loc["cf_09"]
    assert (cf_09["year"], cf_09["participants"], cf_09["participants_qualifier"]) == (2020, 500.0, "nearly")
    assert (cf_09["participants_source_id"], cf_09["participants_n_values"]) == ("gov_page", 1)
    assert pd.isna(cf_09["platforms"]) and cf_09["platforms_n_values"] == 0
    cf_11 = editions.loc["cf_11"]
    assert pd.isna(cf_11["year"])
    assert (cf_11["participants"], cf_11["participants_qualifier"]) == (600.0, "more than")


def test_an_edition_shows_its_preferred_figure_whichever_row_comes_first(base, mini_data):
    """A less authoritative figure for the same edition, listed first, is counted but not shown."""
    facts = mini_data / "facts.csv"
    header, *rows = facts.read_text(encoding="utf-8").splitlines()
    rows.insert(0, "forum_participants,KZ,2020,900,,persons,about,news_a,cf_09,,test:first")
    facts.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    cf_09 = base.run("forum_editions").set_index("event_id").loc["cf_09"]
    assert (cf_09["participants"], cf_09["participants_qualifier"], cf_09["participants_source_id"]) == (500.0, "nearly", "gov_page")
    assert cf_09["participants_n_values"] == 2


def test_a_regions_facts_include_ranges_and_undated_facts(base):
    profile = base.run("all_facts", regions=["KZ"])
    assert len(profile) == 10
    undated = profile[profile["period"].isna()]
    assert sorted(undated["value"]) == [600.0, 5000.0]
    assert undated["year"].isna().all()
    assert "2023-2025" in profile["period"].tolist()

    official_only = base.run("all_facts", regions=["KZ"], tiers=["official_statistics"])
    assert rows(official_only, "indicator_id", "value") == [("ngos_registered", 22227.0)]


@pytest.mark.parametrize("name, params", [("all_facts", {"regions": ["KZ"]}), ("all_facts", {}), ("conflicts", {})])
def test_a_limit_keeps_the_first_rows_and_their_point_statistics(base, name, params):
    everything = base.run(name, **params)
    first = base.run(name, **params, limit=2)
    assert len(everything) > 2
    # Statistics over each point (preferred value, number of values) come from all rows, not the kept ones.
    columns = ["indicator_id", "region", "period", "source_id", "value", "is_preferred", "n_values", "n_distinct_values"]
    assert first[columns].to_dict("records") == everything[columns].iloc[:2].to_dict("records")


def test_kpi_latest_compares_the_latest_year_with_the_previous_one(base):
    kpi = base.run("kpi_latest", indicators=["ngos_registered", "eu_funding", "forum_participants"])

    # eu_funding has only a multi-year range, so no latest year; rows follow the requested order.
    assert kpi["indicator_id"].tolist() == ["ngos_registered", "forum_participants"]
    ngos = kpi.iloc[0]
    assert (ngos["year"], ngos["value"], ngos["source_id"], ngos["n_values"]) == (2024, 22227.0, "stats_b", 2)
    assert (ngos["previous_year"], ngos["previous_value"], ngos["previous_qualifier"]) == (2023, 23335.0, "exact")
    # Both exact, but from different tiers of source (statistics, a government page): no change is given.
    assert pd.isna(ngos["change"])
    assert pd.isna(kpi.iloc[1]["previous_year"]) and pd.isna(kpi.iloc[1]["change"])


def test_a_change_is_given_only_between_comparable_figures():
    """The overview's cases: a rounded bound against an exact count, or figures from different tiers, give no change."""
    kpi = queries.run("kpi_latest", indicators=["ngos_registered", "ngos_operating", "eu_funding_amount",
                                                "state_social_order_amount"]).set_index("indicator_id")
    # "more than 23,000" (state media) against 22,227 (the compilation) once showed "+773 since 2024".
    assert kpi.loc["ngos_registered", "qualifier"] == "more than" and pd.isna(kpi.loc["ngos_registered", "change"])
    assert pd.isna(kpi.loc["ngos_operating", "change"])
    # "about 5 million EUR" against a 2023 project's exact amount once showed "-400,000 EUR since 2023".
    assert pd.isna(kpi.loc["eu_funding_amount", "change"])
    # Two exact amounts of one tier are compared.
    social_order = kpi.loc["state_social_order_amount"]
    assert (social_order["qualifier"], social_order["previous_qualifier"]) == ("exact", "exact")
    assert social_order["tier"] == social_order["previous_tier"]
    assert social_order["change"] == social_order["value"] - social_order["previous_value"]


def test_kpi_latest_defaults_to_the_country_and_honours_region_and_tiers(base):
    assert base.run("kpi_latest").set_index("indicator_id").loc["ngos_registered", "value"] == 22227.0

    almaty = base.run("kpi_latest", indicators=["ngos_registered"], region="KZ-75").iloc[0]
    assert (almaty["value"], almaty["previous_value"], almaty["change"]) == (5100.0, 5017.0, 83.0)

    media = base.run("kpi_latest", indicators=["ngos_registered"], tiers=["independent_media"]).iloc[0]
    assert (media["year"], media["value"], media["previous_year"]) == (2024, 22000.0, 2004)


def test_indicator_catalogue(base):
    catalogue = base.run("indicator_catalogue").set_index("indicator_id")
    ngos = catalogue.loc["ngos_registered"]
    assert (ngos["n_facts"], ngos["first_year"], ngos["last_year"]) == (11, 2004, 2024)
    assert (ngos["n_regions"], ngos["n_sources"]) == (4, 4)
    # the newest publication date among its sources (news_a, 2024-02-01, and stats_b, 2024-03-01, among them)
    assert ngos["last_published"] == "2024-03-01"
    rating = catalogue.loc["civic_rating"]
    assert (rating["n_facts"], rating["n_statements"], rating["unit"]) == (0, 1, "text")
    assert pd.isna(catalogue.loc["eu_funding", "first_year"])
    assert catalogue.loc["eu_funding", "last_published"] == "2024-02-01"
    assert pd.isna(rating["last_published"])  # no facts, so no figure published


def test_indicator_catalogue_has_names_and_definitions_in_three_languages(base):
    catalogue = base.run("indicator_catalogue")
    assert list(catalogue.columns) == [
        "indicator_id", "category", "unit", "name", "definition", "name_ru", "name_kk", "definition_ru",
        "definition_kk", "n_facts", "n_statements", "first_year", "last_year", "n_regions", "n_sources", "last_published",
    ]
    ngos = catalogue.set_index("indicator_id").loc["ngos_registered"]
    assert (ngos["name"], ngos["name_ru"], ngos["name_kk"]) == ("Registered NGOs", "Зарегистрированные НПО",
                                                                "Тіркелген ҮЕҰ")
    assert (ngos["definition_ru"], ngos["definition_kk"]) == ("Тестовое определение зарегистрированных НПО",
                                                              "Тіркелген ҮЕҰ-ның тестілік анықтамасы")


@pytest.mark.parametrize(
    "query, params",
    [
        ("all_facts", {}),
        ("conflicts", {}),
        ("indicator_series", {"indicators": ["ngos_registered"]}),
        ("latest_by_region", {"indicator": "ngos_registered"}),
        ("point_values", {"indicator": "ngos_registered", "region": "KZ", "year": 2023}),
    ],
)
def test_fact_queries_carry_the_indicator_name_in_three_languages(base, query, params):
    facts = base.run(query, **params)
    assert not facts.empty
    columns = list(facts.columns)
    at = columns.index("indicator_name")
    assert columns[at:at + 3] == ["indicator_name", "indicator_name_ru", "indicator_name_kk"]
    # the region's own names keep their columns
    assert {"name_en", "name_ru", "name_kk"} <= set(columns)
    registered = facts[facts["indicator_id"] == "ngos_registered"].iloc[0]
    assert (registered["indicator_name_ru"], registered["indicator_name_kk"]) == ("Зарегистрированные НПО",
                                                                                  "Тіркелген ҮЕҰ")


def test_all_facts(base):
    everything = base.run("all_facts")
    assert len(everything) == 14
    expected_columns = {"indicator_name", "indicator_name_ru", "indicator_name_kk", "name_ru", "name_kk", "publisher",
                        "tier_label", "is_preferred"}
    assert expected_columns <= set(everything.columns)
    assert len(base.run("all_facts", indicator="forum_participants")) == 2


def test_conflicts_lists_each_fact_of_points_with_different_values(base):
    conflicts = base.run("conflicts")
    assert rows(conflicts, "period", "value", "tier", "is_preferred") == [
        ("2023", 23335.0, "government", True),
        ("2023", 23698.0, "unverified_compilation", False),
        ("2024", 22227.0, "official_statistics", True),
        ("2024", 22000.0, "independent_media", False),
    ]


def test_reference_tables(base):
    regions = base.run("regions")
    assert regions["iso_code"].tolist() == ["KZ", "KZ-19", "KZ-33", "KZ-75"]
    assert regions.set_index("iso_code").loc["KZ-75", "n_facts"] == 2

    aliases = base.run("region_aliases").set_index("alias")
    assert aliases.loc["Г.АЛМАТЫ", "name_en"] == "Almaty"

    statements = base.run("statements", regions=["KZ"])
    assert rows(statements, "statement", "source_id", "tier_label") == [("repressed", "news_a", "Independent media")]
    assert base.run("statements", regions=["KZ-75"]).empty

    sources = base.run("sources").set_index("source_id")
    assert sources.index.tolist() == ["stats_b", "gov_page", "news_a", "compilation"]
    assert (sources.loc["news_a", "n_facts"], sources.loc["news_a", "n_statements"]) == (5, 1)
    assert pd.isna(sources.loc["compilation", "published"])


# --- the shared views (queries/sql/views/) -----------------------------------------------------


def append_lines(path: Path, *lines: str) -> None:
    """Add rows at the end of a data file (same inode), as an editor saving over it would."""
    with path.open("a", encoding="utf-8") as file:
        file.writelines(line + "\n" for line in lines)


def test_within_a_tier_the_latest_published_source_wins_and_undated_ones_come_last(base, mini_data):
    # Four independent media sources for one point: only their dates and ids tell them apart.
    append_lines(
        mini_data / "sources.csv",
        "undated_b,Test Paper B,Undated article,,,https://example.org/undated-b,ru,independent_media",
        "older_news,Test Paper,Older article,2023-01-15,,https://example.org/older,ru,independent_media",
        "undated_a,Test Paper A,Undated article,,,https://example.org/undated-a,ru,independent_media",
    )
    append_lines(
        mini_data / "facts.csv",
        "ngos_registered,KZ-33,2023,810,,organizations,exact,undated_b,,,test:15",
        "ngos_registered,KZ-33,2023,790,,organizations,exact,older_news,,,test:16",
        "ngos_registered,KZ-33,2023,805,,organizations,exact,undated_a,,,test:17",
        "ngos_registered,KZ-33,2023,780,,organizations,exact,news_a,,,test:18",  # published 2024-02-01
    )

    point = base.run("point_values", indicator="ngos_registered", region="KZ-33", year=2023)
    assert rows(point, "source_id", "is_preferred") == [
        ("news_a", True),
        ("older_news", False),
        ("undated_a", False),  # equally undated: source_id decides
        ("undated_b", False),
    ]
    # The queries that keep only the preferred fact follow the same rule.
    latest = base.run("latest_by_region", indicator="ngos_registered", year_to=2023).set_index("region")
    assert (latest.loc["KZ-33", "source_id"], latest.loc["KZ-33", "n_values"]) == ("news_a", 4)
    kpi = base.run("kpi_latest", indicators=["ngos_registered"], region="KZ-33").iloc[0]
    assert (kpi["previous_year"], kpi["previous_source_id"]) == (2023, "news_a")


def test_the_shared_views_are_not_queries(base):
    assert "fact_details" not in queries.db._list_queries()
    with pytest.raises(QueryError, match="unknown query 'fact_details'"):
        base.run("fact_details")


def test_a_changed_view_never_reuses_a_database_built_with_the_old_one(base, mini_data, tmp_path, monkeypatch):
    assert base.run("all_facts", indicator="eu_funding")["tier_label"].tolist() == ["Independent media"]

    changed = tuple(
        (path, sql.replace("t.label AS tier_label", "upper(t.label) AS tier_label"))
        for path, sql in queries.db.VIEW_STATEMENTS
    )
    assert changed != queries.db.VIEW_STATEMENTS
    monkeypatch.setattr(queries.db, "VIEW_STATEMENTS", changed)
    rebuilt = EvidenceBase(mini_data, cache_dir=tmp_path / "cache")

    assert rebuilt.run("all_facts", indicator="eu_funding")["tier_label"].tolist() == ["INDEPENDENT MEDIA"]
    assert len(list((tmp_path / "cache").glob("*.duckdb"))) == 2


def test_a_broken_view_names_its_file_and_is_not_blamed_on_the_data(mini_data, tmp_path, monkeypatch):
    broken = (Path("views/broken.sql"), "CREATE VIEW broken AS SELECT no_such_column FROM facts")
    monkeypatch.setattr(queries.db, "VIEW_STATEMENTS", (broken,))
    base = EvidenceBase(mini_data, cache_dir=tmp_path / "cache")

    with pytest.raises(duckdb.Error) as raised:
        base.run("sources")
    assert not isinstance(raised.value, DataError)
    assert any("views/broken.sql" in note for note in raised.value.__notes__)
    assert not list((tmp_path / "cache").iterdir())  # nothing half-built is left behind


# --- reloading and caching ---------------------------------------------------------------------


def latest_kz_value(base: EvidenceBase) -> float:
    return base.run("point_values", indicator="ngos_registered", region="KZ", year=2024).iloc[0]["value"]


def test_editing_a_file_in_place_changes_the_next_result(base, mini_data):
    assert latest_kz_value(base) == 22227.0
    # A different length, so the change is seen even if the clock has not ticked since the copy.
    replace_line(mini_data / "facts.csv", STATS_RELEASE_2024, STATS_RELEASE_2024.replace("22227", "122227"))
    assert latest_kz_value(base) == 122227.0


def test_replacing_a_file_by_rename_is_seen_even_with_same_size_and_time(base, mini_data):
    assert latest_kz_value(base) == 22227.0
    facts = mini_data / "facts.csv"
    original = facts.stat()
    replacement = mini_data / "facts.csv.new"
    replacement.write_text(facts.read_text(encoding="utf-8").replace("22227", "22300"), encoding="utf-8")
    os.utime(replacement, ns=(original.st_atime_ns, original.st_mtime_ns))
    os.replace(replacement, facts)
    assert latest_kz_value(base) == 22300.0


def test_one_version_keeps_the_data_found_at_its_start_until_it_ends(base, mini_data):
    assert latest_kz_value(base) == 22227.0
    with base.one_version():
        pinned = base.fingerprint()
        replace_line(mini_data / "facts.csv", STATS_RELEASE_2024, STATS_RELEASE_2024.replace("22227", "122227"))
        # A page run that started before the save keeps reading one version...
        assert base.fingerprint() == pinned
        assert latest_kz_value(base) == 22227.0
    # ...and the next one sees the change.
    assert base.fingerprint() != pinned
    assert latest_kz_value(base) == 122227.0


def test_one_version_of_one_base_leaves_other_bases_and_threads_reading_the_files(base, mini_data, tmp_path):
    other = EvidenceBase(mini_data, cache_dir=tmp_path / "other-cache")
    with base.one_version():
        replace_line(mini_data / "facts.csv", STATS_RELEASE_2024, STATS_RELEASE_2024.replace("22227", "122227"))
        assert latest_kz_value(other) == 122227.0
        seen_by_another_thread = []
        thread = threading.Thread(target=lambda: seen_by_another_thread.append(latest_kz_value(base)))
        thread.start()
        thread.join()
        assert seen_by_another_thread == [122227.0]


def test_cached_results_are_not_recomputed_and_differ_by_parameters(base):
    first = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"])
    executed = base.cache_info().misses

    again = base.run("indicator_series", regions=("KZ",), indicators=("ngos_registered",))
    assert base.cache_info().misses == executed  # no SQL ran
    assert base.cache_info().hits == 1
    pd.testing.assert_frame_equal(first, again)

    other = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ-75"])
    assert base.cache_info().misses == executed + 1
    assert set(other["region"]) == {"KZ-75"}


def test_callers_cannot_change_cached_results(base):
    result = base.run("sources")
    result.loc[0, "publisher"] = "changed"
    result["extra"] = 1
    fresh = base.run("sources")
    assert "changed" not in fresh["publisher"].tolist() and "extra" not in fresh.columns


def test_a_reload_removes_the_previous_database_file(base, mini_data, tmp_path):
    latest_kz_value(base)
    replace_line(mini_data / "facts.csv", STATS_RELEASE_2024, STATS_RELEASE_2024.replace("22227", "122227"))
    latest_kz_value(base)
    (only_file,) = (tmp_path / "cache").iterdir()
    assert only_file.suffix == ".duckdb" and base.fingerprint() in only_file.name


def test_a_new_base_reuses_the_database_file_built_before(base, mini_data, tmp_path):
    latest_kz_value(base)
    (database_file,) = (tmp_path / "cache").glob("*.duckdb")
    built = database_file.stat().st_mtime_ns

    assert latest_kz_value(EvidenceBase(mini_data, cache_dir=tmp_path / "cache")) == 22227.0
    assert database_file.stat().st_mtime_ns == built


def test_the_database_is_opened_read_only(base):
    base.run("sources")
    connection = base._current_database().connection
    with pytest.raises(duckdb.Error, match="read-only"):
        connection.execute("CREATE TABLE scratch (i INTEGER)")


# --- invalid data ------------------------------------------------------------------------------


def break_facts(data_dir: Path) -> None:
    replace_line(data_dir / "facts.csv", STATS_RELEASE_2024, STATS_RELEASE_2024.replace("22227", "lots"))


def test_invalid_data_on_a_fresh_base_raises_data_error(base, mini_data):
    break_facts(mini_data)
    with pytest.raises(DataError, match=r"facts\.csv:6: "):
        base.run("sources")
    assert base.last_error is not None


def test_invalid_data_after_a_good_load_keeps_serving_the_old_data(base, mini_data, monkeypatch):
    assert latest_kz_value(base) == 22227.0
    break_facts(mini_data)

    validations = []
    real_check = queries.validate.check
    def counting_check(data_dir: Path) -> list:
        validations.append(data_dir)
        return real_check(data_dir)

    monkeypatch.setattr(queries.validate, "check", counting_check)
    assert latest_kz_value(base) == 22227.0
    assert "facts.csv:6: " in str(base.last_error)
    assert latest_kz_value(base) == 22227.0
    assert len(validations) == 1  # the same broken files are not validated again on every query

    replace_line(mini_data / "facts.csv", "lots", "122227")
    assert latest_kz_value(base) == 122227.0
    assert base.last_error is None


# --- misuse ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["no_such_query", "../x", "Sources", "sources.sql", ""])
def test_unknown_query_names_are_rejected_with_the_available_names(base, name):
    with pytest.raises(QueryError, match="available: .*indicator_series"):
        base.run(name)


def test_unknown_parameters_are_rejected_with_the_valid_ones(base):
    with pytest.raises(QueryError, match=r"no parameter region\b.*its parameters: indicators, regions, year_from"):
        base.run("indicator_series", indicators=["ngos_registered"], region="KZ")
    with pytest.raises(QueryError, match="its parameters: none"):
        base.run("sources", indicator="ngos_registered")


def test_parameter_values_are_bound_not_spliced_into_sql(base):
    assert base.run("all_facts", indicator="x' OR '1'='1").empty


def test_unhashable_parameter_values_are_rejected(base):
    with pytest.raises(QueryError, match="scalars or lists"):
        base.run("all_facts", indicator={"not": "bindable"})


# --- concurrency and the module-level API ------------------------------------------------------


def test_many_threads_can_query_one_base_while_the_data_changes(base, mini_data):
    assert latest_kz_value(base) == 22227.0
    failures = []
    start = threading.Barrier(9)

    def worker(worker_number: int) -> None:
        start.wait()
        for call in range(25):
            try:
                if call % 3 == 0:
                    base.run("indicator_series", indicators=["ngos_registered"], year_from=2000 + worker_number)
                elif call % 3 == 1:
                    base.run("kpi_latest", indicators=["ngos_registered"], region=["KZ", "KZ-75"][worker_number % 2])
                else:
                    base.run("all_facts", regions=["KZ"], tiers=["government", "official_statistics"][: call % 2 + 1])
            except Exception as error:  # noqa: BLE001 - every failure is reported by the assert below
                failures.append(error)

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    start.wait()
    # Replaced by rename, so a reader never sees a half-written file.
    facts = mini_data / "facts.csv"
    replacement = mini_data / "facts.csv.new"
    replacement.write_text(facts.read_text(encoding="utf-8").replace("22227", "122227"), encoding="utf-8")
    os.replace(replacement, facts)
    for thread in threads:
        thread.join()

    assert failures == []
    assert latest_kz_value(base) == 122227.0


def test_module_level_run_uses_the_data_directory_from_the_environment(mini_data, tmp_path, monkeypatch):
    monkeypatch.setenv("KZNGO_DATA_DIR", str(mini_data))
    monkeypatch.setenv("KZNGO_CACHE_DIR", str(tmp_path / "env_cache"))
    monkeypatch.setattr(queries.db, "_default_base", None)

    assert queries.default_base() is queries.default_base()
    assert queries.fingerprint() == EvidenceBase(mini_data).fingerprint()
    assert queries.run("kpi_latest", indicators=["ngos_registered"]).iloc[0]["value"] == 22227.0
    assert list((tmp_path / "env_cache").glob("evidence-*.duckdb"))

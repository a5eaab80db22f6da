"""queries/sql/per_resident.sql: counts and amounts per resident, only where the years match.

The fixture data (tests/fixtures/mini_data) has no population; each test adds the few population
facts it needs to a copy, so the other tests of the fixture keep their counts.
"""

from pathlib import Path

import pytest

from queries import EvidenceBase

POPULATION_INDICATOR = (
    "population,context,persons,Population,Test definition of the population,Численность населения,Халық саны,"
    "Тестовое определение численности населения,Халық санының тестілік анықтамасы\n"
)
POPULATION_FACTS = (
    # Almaty city, 1 January 2023: pairs with the compilation's 5,017 registered NGOs of 2023.
    "population,KZ-75,2023,2000000,,persons,exact,stats_b,,,test:15\n"
    # Almaty city, 1 January 2025: no count of 2025, and the count of 2024 has no 2024 population.
    "population,KZ-75,2025,2100000,,persons,exact,stats_b,,,test:16\n"
    # The whole country, 1 January 2024, twice: the bureau's release and a news outlet's other figure.
    "population,KZ,2024,20000000,,persons,exact,stats_b,,,test:17\n"
    "population,KZ,2024,19990000,,persons,exact,news_a,,,test:18\n"
    # Almaty Region, 2024: only a bound, which a count is not divided by.
    "population,KZ-19,2024,1500000,,persons,more than,news_a,,,test:19\n"
    # A money figure of a single year, to be set against the country's 2024 population.
    "eu_funding,KZ,2024,5000000,,EUR,exact,news_a,,,test:20\n"
)


@pytest.fixture
def base(mini_data: Path, tmp_path: Path) -> EvidenceBase:
    with open(mini_data / "indicators.csv", "a", encoding="utf-8") as indicators:
        indicators.write(POPULATION_INDICATOR)
    with open(mini_data / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write(POPULATION_FACTS)
    return EvidenceBase(mini_data, cache_dir=tmp_path / "cache")


def test_a_count_and_a_population_of_the_same_year_give_the_count_per_10000_residents(base):
    row = base.run("per_resident", indicator="ngos_registered", regions=["KZ-75"]).iloc[0]

    assert (row["region"], row["year"], row["per_residents"]) == ("KZ-75", 2023, 10000)
    assert row["per_resident_value"] == pytest.approx(5017 * 10000 / 2_000_000)  # 25.085 per 10,000
    assert (row["value"], row["population_value"], row["qualifier"]) == (5017.0, 2_000_000.0, "exact")


def test_figures_of_different_years_give_no_row(base):
    # Almaty city has counts for 2023 and 2024 and populations for 2023 and 2025: only 2023 pairs.
    result = base.run("per_resident", indicator="ngos_registered", regions=["KZ-75"])
    assert result["year"].tolist() == [2023]
    # Zhetysu has a count for 2024 and no population at all.
    assert base.run("per_resident", indicator="ngos_registered", regions=["KZ-33"]).empty


def test_both_facts_sources_come_with_the_row(base):
    row = base.run("per_resident", indicator="ngos_registered", regions=["KZ-75"]).iloc[0]

    assert (row["count_source_id"], row["count_publisher"], row["count_tier"]) == (
        "compilation", "Test Compiler", "unverified_compilation")
    assert (row["population_source_id"], row["population_publisher"], row["population_published"]) == (
        "stats_b", "Test Bureau", "2024-03-01")
    assert (row["count_tier_label"], row["population_tier_label"]) == (
        "Unverified third-party compilation", "Official statistics")
    assert row["count_url"] == "https://example.org/compilation" and row["population_url"] == "https://example.org/stats-b"


def test_each_figure_is_the_preferred_one_of_its_point(base):
    row = base.run("per_resident", indicator="ngos_registered", regions=["KZ"]).set_index("year").loc[2024]

    # Official statistics beat independent media, for the count (22,227 over "more than 22,000") and
    # for the population (20,000,000 over 19,990,000); the row says the population point has two figures.
    assert (row["value"], row["count_source_id"], row["population_value"], row["population_source_id"]) == (
        22227.0, "stats_b", 20_000_000.0, "stats_b")
    assert row["n_population_values"] == 2 and row["n_values"] == 2
    assert row["per_resident_value"] == pytest.approx(22227 * 10000 / 20_000_000)


def test_a_bound_population_is_not_divided_by(base):
    # Almaty Region has 1,200 registered NGOs in 2024, but its 2024 population is "more than 1,500,000".
    assert base.run("per_resident", indicator="ngos_registered", regions=["KZ-19"]).empty


def test_a_bound_or_a_range_count_keeps_its_qualifier(base):
    facts = base.data_dir / "facts.csv"
    with open(facts, "a", encoding="utf-8") as extra:
        extra.write("ngos_registered,KZ-75,2025,3000,4000,organizations,between,news_a,,,test:21\n")
    row = base.run("per_resident", indicator="ngos_registered", regions=["KZ-75"]).set_index("year").loc[2025]

    assert row["qualifier"] == "between"
    assert (row["per_resident_value"], row["per_resident_value_high"]) == pytest.approx(
        (3000 * 10000 / 2_100_000, 4000 * 10000 / 2_100_000))


def test_money_is_per_resident(base):
    row = base.run("per_resident", indicator="eu_funding").iloc[0]

    assert (row["region"], row["year"], row["per_residents"], row["unit"]) == ("KZ", 2024, 1, "EUR")
    assert row["per_resident_value"] == pytest.approx(5_000_000 / 20_000_000)  # 0.25 EUR per resident


def test_the_tier_filter_applies_to_both_figures(base):
    # Without official statistics the country's 2024 population is the news outlet's figure.
    row = base.run("per_resident", indicator="ngos_registered", regions=["KZ"],
                   tiers=["independent_media"]).set_index("year").loc[2024]
    assert (row["value"], row["population_value"]) == (22000.0, 19_990_000.0)
    assert row["qualifier"] == "more than"
    # Without the compilation, Almaty city's 2023 count is gone and so is its row.
    assert base.run("per_resident", indicator="ngos_registered", regions=["KZ-75"],
                    tiers=["official_statistics", "independent_media"]).empty

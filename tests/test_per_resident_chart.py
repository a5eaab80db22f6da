"""The registry's <indicator>_per_resident charts: one year of regions ranked by a count per 10,000 residents.

Built from a copy of the fixture data (tests/fixtures/mini_data) with population facts added: Almaty
Region and Zhetysu have a count and a population of 2024, Almaty city a count of 2023 with a
population of 2023, and a count of 2024 with populations of 2023 and 2025 only.
"""

from pathlib import Path

import pytest

import queries
from dashboard import catalog
from dashboard.components.evidence import chart_evidence
from i18n import t, using
from tests.test_pages import figure_titled, open_page
from tests.test_per_resident import POPULATION_INDICATOR

POPULATION_FACTS = (
    "population,KZ-19,2024,1500000,,persons,exact,stats_b,,,test:15\n"
    "population,KZ-33,2024,700000,,persons,exact,stats_b,,,test:16\n"
    "population,KZ-75,2023,2000000,,persons,exact,stats_b,,,test:17\n"
    "population,KZ-75,2025,2100000,,persons,exact,stats_b,,,test:18\n"
)


@pytest.fixture
def with_populations(mini_data: Path, tmp_path: Path, monkeypatch) -> None:
    """The dashboard reads the fixture data with the population facts above."""
    with open(mini_data / "indicators.csv", "a", encoding="utf-8") as indicators:
        indicators.write(POPULATION_INDICATOR)
    with open(mini_data / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write(POPULATION_FACTS)
    monkeypatch.setenv("KZNGO_DATA_DIR", str(mini_data))
    monkeypatch.setenv("KZNGO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(queries.db, "_default_base", None)


def bars_of(built: catalog.BuiltChart) -> dict[str, tuple[float, str]]:
    """Region name -> (bar length, printed value), over the figure's traces."""
    return {label: (x, text) for trace in built.page_figure.data for label, x, text in zip(trace.y, trace.x, trace.text)}


def preferred(facts, indicator: str, region: str) -> float:
    (value,) = facts[(facts["indicator_id"] == indicator) & (facts["region"] == region) & facts["is_preferred"]]["value"]
    return value


@pytest.mark.usefixtures("with_populations")
def test_the_chart_draws_the_year_with_the_most_regions_and_the_ratio_of_each_regions_facts():
    with using("en"):
        built = catalog.build(catalog.ChartRequest("ngos_registered_per_resident"))

    # 2024 pairs two regions, 2023 one: the bars are of 2024 only, so Almaty city's 2023 figure is not drawn.
    assert built.title == "Registered NGOs per 10,000 residents, 2024"
    assert set(built.facts["year"]) == {2024}
    bars = bars_of(built)
    assert set(bars) == {"Almaty Region", "Zhetysu Region"}
    facts = built.facts
    for region, name in (("KZ-19", "Almaty Region"), ("KZ-33", "Zhetysu Region")):
        expected = preferred(facts, "ngos_registered", region) * 10_000 / preferred(facts, "population", region)
        assert bars[name][0] == pytest.approx(expected)
        assert bars[name][1] == f"{expected:.1f}"  # always one decimal, a whole one too ("8.0")
    assert built.page_figure.layout.xaxis.title.text == "Per 10,000 residents"


@pytest.mark.usefixtures("with_populations")
def test_a_region_whose_population_is_of_another_year_gets_no_bar():
    with using("en"):
        # Up to 2023 only Almaty city pairs; its count of 2024 has populations of 2023 and 2025 only, so in 2024 it has no bar.
        up_to_2023 = catalog.build(catalog.ChartRequest("ngos_registered_per_resident", year_to=2023))
        latest = catalog.build(catalog.ChartRequest("ngos_registered_per_resident"))

    assert list(bars_of(up_to_2023)) == ["Almaty"] and up_to_2023.title.endswith(", 2023")
    assert "Almaty" not in bars_of(latest)
    assert "KZ-75" not in set(latest.facts["region"])


@pytest.mark.usefixtures("with_populations")
def test_the_charts_facts_are_the_counts_and_the_populations_drawn_each_with_its_source():
    with using("en"):
        built = catalog.build(catalog.ChartRequest("ngos_registered_per_resident"))
        evidence = chart_evidence(built.request)

    facts = built.facts
    assert set(zip(facts["indicator_id"], facts["region"], facts["source_id"])) == {
        ("ngos_registered", "KZ-19", "compilation"), ("ngos_registered", "KZ-33", "compilation"),
        ("population", "KZ-19", "stats_b"), ("population", "KZ-33", "stats_b")}
    # Both sources are cited, and the notes say how the figure is computed.
    assert {record["source_id"] for record in evidence.source_records} == {"compilation", "stats_b"}
    assert "Test Compiler" in evidence.credits and "Test Bureau" in evidence.credits
    assert evidence.notes[0] == t("notes.per_resident_count")
    assert len(evidence.table) == 4


@pytest.mark.usefixtures("with_populations")
def test_only_indicators_with_a_count_and_a_population_of_the_same_year_get_the_chart():
    charts = catalog.registry()
    assert "ngos_registered_per_resident" in charts
    # The fixture has no operating NGOs or state social order by region.
    assert "ngos_operating_per_resident" not in charts and "state_social_order_amount_per_resident" not in charts


def test_the_regions_page_shows_figures_per_resident_for_registered_ngos_only():
    at = open_page("regions", indicator="ngos_registered")
    figure = figure_titled(at, "Registered NGOs per 10,000 residents, ")
    assert figure["data"] and all(text for trace in figure["data"] for text in trace["text"])
    assert any(caption.value.startswith(t("notes.per_resident_count")) for caption in at.caption)

    other = open_page("regions", indicator="public_councils_akimats_state_bodies")
    titles = [element.proto.spec for element in other.get("plotly_chart")]
    assert titles and not any("per 10,000 residents" in spec for spec in titles)

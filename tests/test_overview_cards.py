"""The Overview's headline cards: how old a figure is, where its figure links, and data shown as text."""

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dashboard.components.views import kpi_card
from dashboard.formatting import format_moment, markdown_link, markdown_text
from dashboard.headlines import FORUM_CHART, HEADLINE_CHARTS, ChartPlace, chart_link, years_old_if_stale
from i18n import using
import queries
from queries import EvidenceBase
from tests.test_presenter import run_app

PUBLISHER = "Test *News* [1](javascript:alert(1)) :red[x] $5$"


# --- how old a figure is ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "today", "age"),
    [
        (2017, date(2026, 12, 7), 9),
        (2023, date(2026, 12, 7), 3),
        (2024, date(2026, 12, 7), None),  # last year but one: the usual delay of an annual figure
        (2025, date(2026, 1, 1), None),
        (2017, date(2019, 12, 31), None),
        (2017, date(2020, 1, 1), 3),
    ],
)
def test_a_figure_is_old_when_its_year_is_more_than_two_years_before_today(year, today, age):
    assert years_old_if_stale(year, today) == age


# --- links and text from the data -------------------------------------------------------------------


def test_markdown_text_escapes_everything_markdown_or_streamlit_would_act_on():
    assert markdown_text("*Pravda* [x](y) :red[z] $1$ <b> #2 a_b `c`") == (
        r"\*Pravda\* \[x\]\(y\) \:red\[z\] \$1\$ \<b\> \#2 a\_b \`c\`")
    assert markdown_text("Қазақстан 2025") == "Қазақстан 2025"


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://kazpravda.kz/n/a/", r"[Pub \[1\]](https://kazpravda.kz/n/a/)"),
        ("HTTP://example.org/a b(c)?q=1&r=2#f", r"[Pub \[1\]](HTTP://example.org/a%20b%28c%29?q=1&r=2#f)"),
        ("javascript:alert(1)", r"Pub \[1\]"),
        ("data:text/html,<b>", r"Pub \[1\]"),
        ("kazpravda.kz/n/a", r"Pub \[1\]"),  # no scheme: not a link anyone could follow from here
        ("", r"Pub \[1\]"),
        (None, r"Pub \[1\]"),
    ],
)
def test_markdown_link_only_for_http_and_https(url, link):
    assert markdown_link("Pub [1]", url) == link


@pytest.mark.parametrize(
    ("language", "link"),
    [("kk", "funding?lang=kk#state_grants_amount"), (None, "funding#state_grants_amount")],
)
def test_chart_link_keeps_the_language_of_the_link(language, link):
    assert chart_link(ChartPlace("funding", "state_grants_amount"), language) == link


@pytest.fixture
def kpi_row(mini_data: Path, tmp_path: Path):
    """The fixture's registered-NGOs headline (2024, with a previous value from 2023)."""
    row = EvidenceBase(mini_data, cache_dir=tmp_path / "cache").run("kpi_latest", indicators=["ngos_registered"]).iloc[0].copy()
    assert (row["year"], row["previous_year"]) == (2024, 2023)
    return row


def test_a_card_links_its_source_and_shows_publishers_and_notes_as_text(kpi_row):
    kpi_row["publisher"], kpi_row["previous_publisher"] = PUBLISHER, PUBLISHER
    kpi_row["url"], kpi_row["note"] = "https://example.org/news-a", "see [here](https://x.y)"
    with using("en"):
        card = kpi_card(kpi_row, HEADLINE_CHARTS["ngos_registered"], date(2025, 6, 1))
    assert card.caption.startswith(f"Source: [{markdown_text(PUBLISHER)}](https://example.org/news-a), ")
    assert f"Note: {markdown_text('see [here](https://x.y)')}" in card.caption
    assert f"in 2023 ({markdown_text(PUBLISHER)}, " in card.caption  # the previous value's publisher
    assert "*News*" not in card.caption and "](javascript" not in card.caption


def test_a_card_without_a_web_address_names_its_source_without_a_link(kpi_row):
    kpi_row["publisher"], kpi_row["url"] = PUBLISHER, "ftp://example.org/file"
    with using("en"):
        card = kpi_card(kpi_row, HEADLINE_CHARTS["ngos_registered"], date(2025, 6, 1))
    assert card.caption.startswith(f"Source: {markdown_text(PUBLISHER)}, ")


@pytest.mark.parametrize(
    ("language", "today", "note"),
    [
        ("en", date(2026, 12, 7), None),
        ("en", date(2027, 1, 1), "Latest figure is from 2024: 3 years old"),
        ("ru", date(2033, 5, 1), "Последнее значение — за 2024\u00a0год: данные 9-летней давности"),
        ("kk", date(2030, 5, 1), "Соңғы мән 2024 жылғы: 6 жыл бұрынғы дерек"),
    ],
)
def test_a_card_says_how_old_its_figure_is_once_it_is_out_of_date(kpi_row, language, today, note):
    with using(language):
        card = kpi_card(kpi_row, HEADLINE_CHARTS["ngos_registered"], today)
    assert card.age_note == note
    assert card.year == 2024  # the metric's label is the year alone, so it is never cut


# --- the overview and the pages it links to --------------------------------------------------------


@pytest.mark.parametrize("place", sorted(set(HEADLINE_CHARTS.values()) | {FORUM_CHART}))
def test_each_card_links_to_a_chart_its_page_carries_as_an_anchor(place):
    at = run_app()
    # Page files are named after their URL path (main._pages): public-councils is public_councils.py.
    at.switch_page(f"app_pages/{place.page.replace('-', '_')}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    anchors = [heading.proto.anchor for heading in at.subheader]
    assert place.chart in anchors, anchors


@pytest.mark.parametrize(("params", "query"), [({}, ""), ({"lang": "kk"}, "?lang=kk")])
def test_overview_figures_link_to_their_charts_under_the_year(params, query):
    at = run_app(**params)
    metrics = list(at.metric)
    expected = [*HEADLINE_CHARTS.values(), FORUM_CHART]
    assert len(metrics) == len(expected)
    for metric, place in zip(metrics, expected):
        assert metric.label.isdigit() and len(metric.label) == 4, metric.label
        assert metric.value.startswith("[") and metric.value.endswith(f"]({place.page}{query}#{place.chart})"), metric.value


def test_overview_says_how_current_the_figures_are_before_the_cards():
    at = run_app()
    status = at.caption[0].value
    newest = queries.run("sources")["published"].dropna().max().replace("-", r"\-")
    assert status.startswith(f"Data as of {newest} (newest source in the evidence base). The data files last changed on ")
    assert status.endswith("; this page checks them every few seconds and updates itself.")


def test_last_modified_is_the_newest_change_of_a_data_file(mini_data, tmp_path):
    changed = datetime(2026, 11, 23, 2, 15, tzinfo=UTC)
    for path in mini_data.rglob("*"):
        os.utime(path, (changed.timestamp() - 3600,) * 2)
    os.utime(mini_data / "facts.csv", (changed.timestamp(),) * 2)
    assert EvidenceBase(mini_data, cache_dir=tmp_path / "cache").last_modified() == changed


@pytest.mark.parametrize(
    ("language", "timezone", "text"),
    [
        ("en", "Asia/Almaty", "November 23, 2026, 7:15\u202fAM GMT+05:00"),
        ("ru", "Asia/Almaty", "23 ноября 2026\u202fг., 07:15 GMT+05:00"),
        ("en", None, "November 23, 2026, 2:15\u202fAM GMT+00:00"),
        ("en", "Not/AZone", "November 23, 2026, 2:15\u202fAM GMT+00:00"),
    ],
)
def test_a_moment_is_told_in_the_readers_time_zone(language, timezone, text):
    with using(language):
        assert format_moment(datetime(2026, 11, 23, 2, 15, tzinfo=UTC), timezone) == text


def test_a_card_without_a_comparable_earlier_figure_says_so_instead_of_a_change():
    kpis = queries.run("kpi_latest", indicators=["ngos_registered", "state_social_order_amount"]).set_index("indicator_id")
    with using("en"):
        registered = kpi_card(kpis.loc["ngos_registered"], HEADLINE_CHARTS["ngos_registered"], date(2026, 12, 7))
        social_order = kpi_card(kpis.loc["state_social_order_amount"], HEADLINE_CHARTS["state_social_order_amount"],
                                date(2026, 12, 7))
    assert registered.delta is None
    assert "No comparable earlier figure: this and the 2024 figure differ in precision or source tier" in registered.caption
    assert social_order.delta.startswith("\\+") and "No comparable" not in social_order.caption

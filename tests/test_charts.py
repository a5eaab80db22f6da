"""Tests of dashboard/formatting.py and the figure builders in dashboard/charts/ (no Streamlit)."""

import copy
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import queries
from dashboard.charts import (
    NO_DATA_GREY,
    choropleth_figure,
    forum_timeline_figure,
    ranked_bar_figure,
    series_figure,
    share_bar_figure,
)
from dashboard.charts.series import series_style
from dashboard.charts.choropleth import geometry_centre, unit_centres
from dashboard.formatting import neutralise_csv_cell, to_safe_csv

GEOJSON_PATH = Path(__file__).resolve().parent.parent / "data" / "geo" / "kz_adm1.geojson"


def fact(**overrides) -> dict:
    """One indicator_series row with a series label; overrides replace the defaults."""
    row = {
        "series": "Kazakhstan",
        "year": 2020,
        "value": 100.0,
        "value_high": None,
        "qualifier": "exact",
        "unit": "organizations",
        "is_preferred": True,
        "n_distinct_values": 1,
        "tier": "government",
        "tier_label": "Government",
        "publisher": "Ministry",
        "published": "2021-01-01",
    }
    return {**row, **overrides}


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


# formatting


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1:A2)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise_csv_cell(text) == "'" + text


@pytest.mark.parametrize("cell", ["Astana", "a=b", -2, 3.5, None])
def test_other_cells_are_left_alone(cell):
    assert neutralise_csv_cell(cell) == cell


def test_safe_csv_neutralises_text_keeps_numbers_and_cyrillic():
    df = pd.DataFrame(
        {
            "name": ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1:A2)", "Астана"],
            "value": [-5.0, 1.0, 2.0, 3.0, 23335.0],
        }
    )
    data = to_safe_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["name"].tolist() == ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1:A2)", "Астана"]
    assert back["value"].tolist() == [-5.0, 1.0, 2.0, 3.0, 23335.0]
    assert df["name"][0] == "=cmd|' /C calc'!A0", "the caller's frame is not changed"


# series


def test_series_breaks_line_where_a_year_is_missing():
    facts = pd.DataFrame([fact(year=2018, value=10.0), fact(year=2019, value=12.0), fact(year=2022, value=15.0)])
    fig = series_figure(facts, title="NGOs", y_title="Organizations")
    line = trace(fig, "Kazakhstan")
    assert list(line.x) == [2018, 2019, 2020, 2022]
    assert list(line.y) == [10.0, 12.0, None, 15.0]
    assert line.mode == "lines+markers"
    assert line.connectgaps is False


def test_series_draws_one_trace_per_series_in_year_order():
    facts = pd.DataFrame(
        [fact(series="Almaty", year=2023, value=5.0), fact(series="Almaty", year=2022, value=4.0), fact(series="Astana", year=2022, value=3.0)]
    )
    fig = series_figure(facts, title="NGOs", y_title="Organizations")
    assert [t.name for t in fig.data] == ["Almaty", "Astana"]
    assert list(fig.data[0].x) == [2022, 2023]
    assert fig.data[0].line.color != fig.data[1].line.color


def test_unverified_points_are_hollow_and_explained_in_the_legend():
    facts = pd.DataFrame(
        [fact(year=2021), fact(year=2022, tier="unverified_compilation", tier_label="Unverified third-party compilation")]
    )
    fig = series_figure(facts, title="NGOs", y_title="Organizations")
    assert list(trace(fig, "Kazakhstan").marker.symbol) == ["circle", "circle-open"]
    legend_only = trace(fig, "Unverified third-party compilation (hollow markers)")
    assert list(legend_only.x) == [None]


def test_no_unverified_legend_entry_without_unverified_points():
    fig = series_figure(pd.DataFrame([fact()]), title="NGOs", y_title="Organizations")
    assert [t.name for t in fig.data] == ["Kazakhstan"]


def test_other_reported_values_are_grey_crosses_without_line():
    facts = pd.DataFrame(
        [
            fact(year=2025, value=23000.0, qualifier="more than", n_distinct_values=2),
            fact(year=2025, value=23000.0, qualifier="more than", is_preferred=False, n_distinct_values=2, publisher="Repost"),
            fact(year=2025, value=23194.0, is_preferred=False, n_distinct_values=2, publisher="Compilation"),
        ]
    )
    fig = series_figure(facts, title="NGOs", y_title="Organizations")
    others = trace(fig, "Other reported values")
    assert others.mode == "markers"
    assert others.marker.symbol == "x"
    # Only the value that differs from the drawn one: a repeat would hide the drawn marker.
    assert list(others.x) == [2025]
    assert list(others.y) == [23194.0]
    assert "Compilation" in others.hovertext[0]
    assert "other values: 1" in trace(fig, "Kazakhstan").hovertext[0]


def test_series_hover_names_fact_source_and_tier():
    facts = pd.DataFrame([fact(year=2011, value=18000.0, qualifier="more than", publisher="kazworld.info", tier="other_web")])
    hover = series_figure(facts, title="NGOs", y_title="Organizations").data[0].hovertext[0]
    for part in ["Kazakhstan", "2011", "more than 18,000", "kazworld.info", "Other web source"]:
        assert part in hover
    assert "other values" not in hover


def test_range_gets_an_error_bar_up_to_its_high_end():
    facts = pd.DataFrame([fact(year=2020, value=3500.0, value_high=4000.0, qualifier="between"), fact(year=2021, value=3800.0)])
    error = series_figure(facts, title="NGOs", y_title="Organizations").data[0].error_y
    assert list(error.array) == [500.0, None]
    assert list(error.arrayminus) == [0, 0]
    assert error.symmetric is False


def test_series_axes():
    facts = pd.DataFrame([fact(year=2015), fact(year=2020)])
    fig = series_figure(facts, title="NGOs", y_title="Organizations")
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.xaxis.dtick == 1
    assert fig.layout.yaxis.title.text == "Organizations"
    assert fig.layout.yaxis.rangemode == "tozero"
    assert fig.layout.separators == ".,"
    long_span = series_figure(pd.DataFrame([fact(year=1997), fact(year=2025)]), title="NGOs", y_title="Organizations")
    assert long_span.layout.xaxis.dtick is None


def test_every_series_on_a_chart_looks_different_past_the_palettes_colours():
    # Three counts for Kazakhstan, Almaty and Astana, and more: the palette has eight colours.
    facts = pd.DataFrame([fact(series=f"Series {number}", year=2020 + number % 3, value=float(number)) for number in range(14)])
    lines = series_figure(facts, title="NGOs", y_title="Organizations").data
    looks = {(line.line.color, line.line.dash, line.marker.symbol[0]) for line in lines}
    assert len(lines) == len(looks) == 14
    assert len({line.line.color for line in lines[:8]}) == 8, "colours first"
    # A series of a single point has no line to dash: its marker alone must differ.
    assert len({(series_style(index).colour, series_style(index).symbol) for index in range(48)}) == 48


def test_later_series_keep_hollow_markers_for_unverified_points():
    facts = pd.DataFrame([fact(series=f"Series {number}", value=float(number)) for number in range(9)]
                         + [fact(series="Series 8", year=2021, tier="unverified_compilation")])
    ninth = trace(series_figure(facts, title="NGOs", y_title="Organizations"), "Series 8")
    assert list(ninth.marker.symbol) == ["square", "square-open"]


@pytest.mark.parametrize(("language", "top_tick"), [("en", "10B"), ("ru", "10\u00a0млрд"), ("kk", "10\u00a0млрд")])
def test_axis_ticks_of_money_are_short_in_each_language(language, top_tick):
    from i18n import using

    facts = pd.DataFrame([fact(year=2016, value=8.8e9, unit="KZT"), fact(year=2017, value=9.6e9, unit="KZT")])
    with using(language):
        axis = series_figure(facts, title="State social order", y_title="Amount (KZT)").layout.yaxis
    assert list(axis.tickvals) == [0, 2e9, 4e9, 6e9, 8e9, 10e9]
    assert axis.ticktext[0] == "0" and axis.ticktext[-1] == top_tick
    counts = series_figure(pd.DataFrame([fact(value=23_335.0)]), title="NGOs", y_title="Organizations").layout.yaxis
    assert counts.tickvals is None, "counts keep plotly.js's own ticks, printed in full"


def test_a_lone_year_stands_in_the_middle_of_its_axis():
    axis = series_figure(pd.DataFrame([fact(year=2022)]), title="USAID", y_title="Amount (USD)").layout.xaxis
    assert list(axis.range) == [2021.5, 2022.5]


def test_the_legend_hangs_from_the_figures_bottom_edge_under_the_x_axis():
    """plotly.js keeps a legend anchored to the container's bottom clear of the x axis's ticks and title."""
    facts = pd.DataFrame([fact(series=name) for name in ("Registered NGOs · Almaty", "Registered NGOs · Astana")])
    legend = series_figure(facts, title="NGOs", y_title="Organizations").layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")


def test_a_small_chart_is_the_same_chart_shorter_with_a_smaller_title_on_more_lines():
    from dashboard.charts.compact import compact_figure

    facts = pd.DataFrame([fact(year=2022, tier="unverified_compilation"), fact(year=2023),
                          fact(year=2023, value=90.0, is_preferred=False, n_distinct_values=2)])
    title = "State social order for special social services (one city or district), as the ministry reports it"
    original = series_figure(facts, title=title, y_title="Organizations")
    as_built = original.to_json()
    small = compact_figure(original, 440)
    assert original.to_json() == as_built, "the catalog's figure is shared: never changed"
    assert small.to_dict()["data"] == original.to_dict()["data"]
    lines = small.layout.title.text.split("<br>")
    assert len(lines) > len(original.layout.title.text.split("<br>")) and " ".join(lines) == title
    assert small.layout.title.font.size < 20
    assert small.layout.height < (original.layout.height or 450)  # plotly.js's default height


def test_empty_series_says_no_data():
    fig = series_figure(pd.DataFrame(columns=list(fact())), title="NGOs", y_title="Organizations")
    assert fig.data == ()
    assert fig.layout.title.text == "NGOs"
    assert fig.layout.annotations[0].text == "No data for this selection"


def test_series_from_the_real_data_shows_conflicts_and_unverified_points():
    facts = queries.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"]).assign(series="Kazakhstan")
    fig = series_figure(facts, title="Registered NGOs", y_title="Organizations")
    line = trace(fig, "Kazakhstan")
    points = dict(zip(line.x, line.y))
    assert points[2023] == 23335.0
    assert points[2012] is None, "no value between 2011 and 2017 is drawn"
    assert "circle-open" in line.marker.symbol
    assert 23194.0 in trace(fig, "Other reported values").y


# ranked bars


def bar_row(label, value, tier="government", **overrides) -> dict:
    row = {
        "label": label,
        "value": value,
        "value_high": None,
        "qualifier": "exact",
        "unit": "organizations",
        "tier": tier,
        "tier_label": "Unverified third-party compilation" if tier == "unverified_compilation" else "Government",
        "year": 2025,
        "publisher": "Publisher",
    }
    return {**row, **overrides}


def test_ranked_bars_largest_on_top_with_unverified_hatched():
    rows = pd.DataFrame(
        [
            bar_row("Pavlodar", 700.0, tier="independent_media"),
            bar_row("Almaty", 4259.0, tier="unverified_compilation"),
            bar_row("Ulytau", 279.0, tier="unverified_compilation"),
        ]
    )
    fig = ranked_bar_figure(rows, title="NGOs by region", x_title="Organizations")
    # Plotly draws the first category at the bottom.
    assert list(fig.layout.yaxis.categoryarray) == ["Ulytau", "Pavlodar", "Almaty"]
    assert fig.layout.yaxis.categoryorder == "array"
    cited, unverified = trace(fig, "Cited source"), trace(fig, "Unverified third-party compilation")
    assert list(cited.y) == ["Pavlodar"]
    assert list(unverified.y) == ["Ulytau", "Almaty"]
    assert unverified.marker.pattern.shape == "/"
    assert cited.marker.pattern.shape is None
    assert unverified.marker.color != cited.marker.color
    assert fig.layout.xaxis.title.text == "Organizations"
    assert "4,259" in unverified.hovertext[1]


def test_ranked_bars_say_their_value_with_its_qualifier_and_leave_room_for_it():
    rows = pd.DataFrame([bar_row("Pavlodar", 700.0, qualifier="more than"), bar_row("Almaty", 4259.0, tier="unverified_compilation")])
    fig = ranked_bar_figure(rows, title="NGOs by region", x_title="Organizations")
    assert list(trace(fig, "Cited source").text) == ["more than 700"]
    assert list(trace(fig, "Unverified third-party compilation").text) == ["4,259"]
    assert all(bar.textposition == "outside" for bar in fig.data)
    low, high = fig.layout.xaxis.range
    assert low == 0 and high > 4259, "the longest bar's label needs room right of it"


def test_share_bars_sorted_with_percent_labels():
    rows = pd.DataFrame(
        [{"label": "Culture", "value": 1.79, "qualifier": "exact"}, {"label": "Rights", "value": 20.05, "qualifier": "exact"}]
    )
    fig = share_bar_figure(rows, title="Fields")
    bars = fig.data[0]
    assert list(bars.y) == ["Culture", "Rights"], "largest last, so it is drawn on top"
    assert list(bars.text) == ["1.79%", "20.05%"]
    assert fig.layout.xaxis.title.text == "% of NGOs"


# choropleth


@pytest.fixture(scope="module")
def geojson() -> dict:
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return queries.run("regions")


def map_value(region, value, tier="unverified_compilation") -> dict:
    return {
        "region": region,
        "value": value,
        "value_high": None,
        "qualifier": "exact",
        "unit": "organizations",
        "year": 2025,
        "tier": tier,
        "tier_label": "Unverified third-party compilation" if tier == "unverified_compilation" else "Government",
        "publisher": "Publisher",
    }


def traces_of(fig, kind: str) -> list:
    return [trace for trace in fig.data if trace.type == kind]


@pytest.fixture(scope="module")
def centres(geojson) -> dict:
    return unit_centres(geojson)


CITY_NAMES = {"KZ-71": "Astana", "KZ-75": "Almaty", "KZ-79": "Shymkent"}


def test_regions_without_a_value_are_grey_never_zero(geojson, regions, centres):
    values = pd.DataFrame([map_value("KZ-75", 4259.0), map_value("KZ-55", 700.0, tier="independent_media"), map_value("KZ", 23000.0)])
    untouched = copy.deepcopy(geojson)
    fig = choropleth_figure(values, geojson, regions, centres, title="NGOs", colorbar_title="Organizations")
    shaded, grey = traces_of(fig, "choropleth")
    assert sorted(shaded.locations) == ["KZ-55", "KZ-75"]
    assert list(shaded.z) == [4259.0, 700.0] or list(shaded.z) == [700.0, 4259.0]
    assert shaded.colorbar.title.text == "Organizations"
    map_units = set(regions.loc[regions["type"].isin(["oblast", "city"]), "iso_code"])
    assert len(map_units) == 20
    assert set(grey.locations) == map_units - {"KZ-55", "KZ-75"}
    assert len(shaded.locations) + len(grey.locations) == 20
    assert 0 not in grey.z
    assert grey.showscale is False
    assert {color for _, color in grey.colorscale} == {NO_DATA_GREY}
    assert all(text.endswith(": no data") for text in grey.hovertext)
    assert shaded.featureidkey == grey.featureidkey == "properties.iso_code"
    assert "unverified third-party compilation" in shaded.hovertext[shaded.locations.index("KZ-75")].lower()
    assert fig.layout.geo.visible is False
    assert fig.layout.geo.projection.type == "natural earth"
    assert fig.layout.geo.fitbounds == "locations"  # zoomed to the regions, not the world
    assert geojson == untouched


def test_latest_values_from_the_real_data_fill_the_map(geojson, regions, centres):
    latest = queries.run("latest_by_region", indicator="ngos_registered")
    fig = choropleth_figure(latest, geojson, regions, centres, title="NGOs", colorbar_title="Organizations")
    shaded = traces_of(fig, "choropleth")
    assert len(shaded) == 1, "no grey trace when every region has a value"
    assert len(shaded[0].locations) == 20


def test_the_three_cities_are_labelled_dots_on_the_maps_colour_scale(geojson, regions, centres):
    latest = queries.run("latest_by_region", indicator="ngos_registered")
    fig = choropleth_figure(latest, geojson, regions, centres, title="NGOs", colorbar_title="Organizations")
    shaded = traces_of(fig, "choropleth")[0]
    dots = trace(fig, "Cities, as dots on the same scale")
    assert dots.type == "scattergeo" and "markers" in dots.mode and "text" in dots.mode
    values = dict(zip(latest["region"], latest["value"]))
    points = {(lon, lat): (text, colour) for lon, lat, text, colour in zip(dots.lon, dots.lat, dots.text, dots.marker.color)}
    assert len(points) == 3
    for code, name in CITY_NAMES.items():
        text, colour = points[centres[code]]
        assert text == f"{name} {values[code]:,.0f}" and colour == values[code]
    # One colour scale for the shapes and the dots: a dot is as dark as its city's shape would be.
    assert dots.marker.colorscale == shaded.colorscale
    assert (dots.marker.cmin, dots.marker.cmax) == (shaded.zmin, shaded.zmax) == (latest["value"].min(), latest["value"].max())
    assert dots.marker.showscale is False
    assert "4,259" in dots.hovertext[list(dots.text).index("Almaty 4,259")]


def test_a_city_without_a_value_is_a_grey_dot_under_no_data(geojson, regions, centres):
    fig = choropleth_figure(pd.DataFrame([map_value("KZ-75", 4259.0), map_value("KZ-55", 700.0)]), geojson, regions, centres,
                            title="NGOs", colorbar_title="Organizations")
    assert list(trace(fig, "Cities, as dots on the same scale").text) == ["Almaty 4,259"]
    grey_dots = [t for t in traces_of(fig, "scattergeo") if t.legendgroup == "no_data"]
    assert len(grey_dots) == 1 and grey_dots[0].marker.color == NO_DATA_GREY and grey_dots[0].showlegend is False
    assert dict(zip(grey_dots[0].text, zip(grey_dots[0].lon, grey_dots[0].lat))) == {"Astana": centres["KZ-71"],
                                                                                      "Shymkent": centres["KZ-79"]}
    assert trace(fig, "No data").legendgroup == "no_data"


def test_regions_with_unverified_figures_are_ringed_and_say_so_in_the_hover(geojson, regions, centres):
    values = pd.DataFrame([map_value("KZ-75", 4259.0), map_value("KZ-62", 279.0), map_value("KZ-55", 700.0, tier="independent_media")])
    fig = choropleth_figure(values, geojson, regions, centres, title="NGOs", colorbar_title="Organizations")
    rings = trace(fig, "Ringed: unverified third-party compilation")
    assert rings.marker.symbol == "circle-open" and rings.marker.opacity == 1
    assert set(zip(rings.lon, rings.lat)) == {centres["KZ-62"]}, "Pavlodar's figure is cited: no ring"
    # Almaty's ring is its dot's outline, in the rings' colour (a ring of its own would cover its label).
    values = pd.concat([values, pd.DataFrame([map_value("KZ-71", 3513.0, tier="independent_media")])], ignore_index=True)
    dots = trace(choropleth_figure(values, geojson, regions, centres, title="NGOs", colorbar_title="Organizations"),
                 "Cities, as dots on the same scale")
    outline = dict(zip((text.split()[0] for text in dots.text), dots.marker.line.color))
    assert outline["Almaty"] == rings.marker.color and outline["Astana"] != rings.marker.color
    shaded = traces_of(fig, "choropleth")[0]
    hover = dict(zip(shaded.locations, shaded.hovertext))
    assert "<b>Unverified third-party compilation</b>" in hover["KZ-62"]
    assert "Unverified" not in hover["KZ-55"]

    cited_only = choropleth_figure(values[values["tier"] != "unverified_compilation"], geojson, regions, centres,
                                   title="NGOs", colorbar_title="Organizations")
    assert "Ringed: unverified third-party compilation" not in [t.name for t in cited_only.data]


def test_the_map_notes_describe_its_rings_and_city_dots_not_hollow_markers():
    from dashboard import catalog
    from dashboard.components import evidence
    from i18n import t

    notes = " ".join(evidence.chart_evidence(catalog.ChartRequest("ngos_registered_map")).notes)
    assert t("notes.unverified_map") in notes and "orange ring" in notes and "dots" in notes
    assert "Hollow markers" not in notes and "hatched" not in notes and "grey crosses" not in notes
    ranking_notes = " ".join(evidence.chart_evidence(catalog.ChartRequest("ngos_registered_ranking")).notes)
    assert "hatched bars" in ranking_notes and "Hollow markers" not in ranking_notes and "grey crosses" not in ranking_notes


def test_marker_positions_are_the_centroids_of_the_boundaries(geojson, regions):
    # A 4x4 square with a 2x2 hole in its corner: the centroid moves away from the hole.
    square = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]}
    assert geometry_centre(square) == pytest.approx((7 / 3, 7 / 3))
    two_squares = {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
                                                           [[[10, 0], [11, 0], [11, 1], [10, 1], [10, 0]]]]}
    assert geometry_centre(two_squares) == pytest.approx((5.5, 0.5))

    features = {feature["properties"]["iso_code"]: feature["geometry"] for feature in geojson["features"]}
    centres = unit_centres(geojson)
    assert set(centres) == set(features)
    for code in CITY_NAMES:
        polygons = features[code]["coordinates"] if features[code]["type"] == "MultiPolygon" else [features[code]["coordinates"]]
        lons = [lon for polygon in polygons for lon, _ in polygon[0]]
        lats = [lat for polygon in polygons for _, lat in polygon[0]]
        lon, lat = centres[code]
        assert min(lons) < lon < max(lons) and min(lats) < lat < max(lats), code

    # Move Almaty's outline one degree east: its dot follows, so it comes from the boundaries, not from a table.
    moved = copy.deepcopy(geojson)
    almaty = next(feature for feature in moved["features"] if feature["properties"]["iso_code"] == "KZ-75")
    for polygon in almaty["geometry"]["coordinates"]:
        for ring in polygon:
            for point in ring:
                point[0] += 1
    values = pd.DataFrame([map_value("KZ-75", 4259.0)])
    before = trace(choropleth_figure(values, geojson, regions, centres, title="NGOs", colorbar_title="Organizations"),
                   "Cities, as dots on the same scale")
    after = trace(choropleth_figure(values, moved, regions, unit_centres(moved), title="NGOs", colorbar_title="Organizations"),
                  "Cities, as dots on the same scale")
    assert after.lon[0] == pytest.approx(before.lon[0] + 1) and after.lat[0] == pytest.approx(before.lat[0])


def test_the_catalog_map_places_its_dots_from_the_boundaries_file():
    from dashboard import catalog
    from dashboard.components import reference

    figure = catalog.build(catalog.ChartRequest("ngos_registered_map")).page_figure
    dots = trace(figure, "Cities, as dots on the same scale")
    assert set(zip(dots.lon, dots.lat)) == {unit_centres(reference.geojson())[code] for code in CITY_NAMES}


def test_a_chart_is_built_once_for_the_filters_it_does_not_read(monkeypatch):
    from dashboard import catalog

    made = []
    for name in ("choropleth_figure", "series_figure"):
        builder = getattr(catalog, name)
        monkeypatch.setattr(catalog, name, lambda *args, builder=builder, **kwargs: made.append(1) or builder(*args, **kwargs))

    # A map shows every region's latest value up to a year, whatever regions and first year are picked.
    tiers = ("official_statistics", "government", "international_body")  # a request no other test makes
    first = catalog.build(catalog.ChartRequest("ngos_registered_map", regions=("KZ-75",), year_from=2015, tiers=tiers))
    built = len(made)
    again = catalog.build(catalog.ChartRequest("ngos_registered_map", regions=("KZ-71", "KZ-19"), tiers=tiers))
    assert len(made) == built, "the same map is built once"
    assert first.request == again.request == catalog.ChartRequest("ngos_registered_map", tiers=tiers)
    assert catalog.build(catalog.ChartRequest("ngos_registered_map", year_to=2020, tiers=tiers)).request.year_to == 2020

    # eu_funding_amount: national figures only, dated 2009-2025. Oblasts and years beyond them change nothing.
    oblasts = catalog.build(catalog.ChartRequest("eu_funding_amount", regions=("KZ-75",), tiers=tiers))
    built = len(made)
    for regions, year_from, year_to in ((("KZ-71", "KZ-19"), None, None), (("KZ-75",), 2000, 2030)):
        catalog.build(catalog.ChartRequest("eu_funding_amount", regions=regions, year_from=year_from, year_to=year_to, tiers=tiers))
    assert len(made) == built, "the same national series is built once"
    assert oblasts.request == catalog.ChartRequest("eu_funding_amount", regions=(), tiers=tiers)

    # Regions with figures are read: each choice is its own chart.
    almaty = catalog.build(catalog.ChartRequest("ngo_counts", regions=("KZ-75",)))
    astana = catalog.build(catalog.ChartRequest("ngo_counts", regions=("KZ-71",)))
    assert (almaty.request.regions, astana.request.regions) == (("KZ-75",), ("KZ-71",))
    assert (almaty.regions_drawn, astana.regions_drawn) == ({"KZ-75"}, {"KZ-71"})
    assert catalog.build(catalog.ChartRequest("forum_cf_12", regions=("KZ-75",), year_from=2015)).request == \
        catalog.ChartRequest("forum_cf_12")


def test_regions_none_of_which_has_figures_get_the_national_series_under_a_title_that_says_so():
    from dashboard import catalog

    oblasts = catalog.build(catalog.ChartRequest("eu_funding_amount", regions=("KZ-75",)))
    assert oblasts.national_instead and set(oblasts.facts["region"]) == {"KZ"} == oblasts.regions_drawn
    assert oblasts.title == "EU funding for civil society in Kazakhstan (national figures)"
    national = catalog.build(catalog.ChartRequest("eu_funding_amount"))
    assert oblasts.page_figure.data[0].y == national.page_figure.data[0].y and not national.national_instead
    wide = catalog.build(catalog.ChartRequest("eu_funding_amount", regions=("KZ", "KZ-75"), year_from=2000, year_to=2030))
    assert wide.request == catalog.ChartRequest("eu_funding_amount")
    assert wide.page_figure.to_json() == national.page_figure.to_json()
    assert catalog.build(catalog.ChartRequest("eu_funding_amount", year_from=2010)).request.year_from == 2010


def test_what_one_caller_changes_never_reaches_what_another_is_given():
    """Kept results are shared by every session: each caller is handed what it may change on its own."""
    from dashboard import catalog
    from dashboard.charts.compact import compact_figure
    from dashboard.charts.presentation import present_figure, slide_figure
    from dashboard.components import evidence, reference

    request = catalog.ChartRequest("ngo_counts", regions=("KZ", "KZ-75"))
    first = catalog.build(request)
    facts, figure = first.facts.copy(), first.page_figure.to_json()
    # One caller changes the facts it was given, in place...
    given = first.facts
    given.loc[given.index[0], "value"] = -1.0
    given["note"] = "changed"
    del given["publisher"]
    # ...and restyles the chart for a slide, a small chart and an image.
    present_figure(first.page_figure)
    slide_figure(first)
    compact_figure(first.page_figure, 440)
    again = catalog.build(request)
    pd.testing.assert_frame_equal(again.facts, facts)
    assert again.page_figure.to_json() == figure

    shown = evidence.chart_evidence(again.request)
    kept = shown.facts.copy()
    given = shown.facts
    given.loc[given.index[0], "value"] = -1.0
    del given["source_id"]
    pd.testing.assert_frame_equal(evidence.chart_evidence(again.request).facts, kept)

    catalogue = reference.indicators()
    catalogue.loc["ngos_registered", "unit"] = "changed"
    names = reference.region_names()
    names["KZ-75"] = "changed"
    units = reference.country_and_map_units()
    units.clear()
    assert reference.indicators().loc["ngos_registered", "unit"] == "organizations"
    assert reference.region_names()["KZ-75"] == "Almaty"
    assert reference.country_and_map_units()[0] == "KZ"


def test_a_series_shows_the_regions_chosen_that_have_figures_and_the_country_only_when_none_has():
    from dashboard import catalog

    cities = ("KZ-75", "KZ-71")  # Almaty and Astana
    # Social sector spending has figures for Almaty, not Astana: Almaty alone, no national line.
    some = catalog.build(catalog.ChartRequest("social_sector_spending", regions=cities))
    assert some.regions_drawn == {"KZ-75"} and not some.national_instead
    assert not some.title.endswith("(national figures)")
    # Kazakhstan chosen with the cities: its line is one of those asked for, not a stand-in.
    asked = catalog.build(catalog.ChartRequest("eu_funding_amount", regions=("KZ", *cities)))
    assert asked.regions_drawn == {"KZ"} and not asked.national_instead
    # Where nothing exists for the years chosen, not even nationally, the chart has nothing to draw.
    nothing = catalog.build(catalog.ChartRequest("us_assistance_democracy", regions=cities, year_from=2015, year_to=2025))
    assert nothing.is_empty and not nothing.national_instead and nothing.regions_drawn == frozenset()
    assert not catalog.build(catalog.ChartRequest("us_assistance_democracy", regions=cities)).is_empty


def test_an_edition_in_numbers_carries_its_numbers_as_the_figures_data():
    from dashboard import catalog

    built = catalog.build(catalog.ChartRequest("forum_cf_12"))
    assert not built.is_empty
    values, labels = built.page_figure.data
    assert values.text[0] == "<b>more than 700</b>" and labels.text[0] == "delegates"
    assert not built.page_figure.layout.annotations


@pytest.mark.parametrize("chart", ["ngo_counts", "eu_funding_amount", "state_social_order_amount", "public_councils",
                                   "ngos_registered_map", "ngos_registered_ranking"])
def test_clearing_idle_filters_never_changes_what_a_chart_shows(chart):
    from dashboard import catalog

    for filters in [dict(regions=("KZ-75", "KZ-71")), dict(regions=("KZ", "KZ-19"), year_from=1990, year_to=2040),
                    dict(regions=("M49-143",), year_from=2016), dict(year_to=2019), dict(regions=("KZ-75",), year_to=2100)]:
        request = catalog.ChartRequest(chart, **filters)
        as_asked, as_built = catalog.registry()[chart].builder(request), catalog.build(request)
        assert as_built.figure.to_plotly_json() == as_asked.figure.to_plotly_json(), filters
        pd.testing.assert_frame_equal(as_built.facts, as_asked.facts)
        assert as_built.headline == as_asked.headline


def test_every_chart_the_catalog_makes_wears_the_shared_theme_and_is_valid_plotly():
    """What the browser is sent for every chart carries the shared theme (the "kzngo" template, whatever
    Plotly's default template is: importing Streamlit changes it), and Plotly's validation of it raises
    nothing and changes nothing."""
    import plotly.graph_objects as go

    from dashboard import catalog
    from dashboard.charts import OKABE_ITO

    requests = [catalog.ChartRequest(chart) for chart in catalog.chart_ids()]
    # Several regions, a year range and a tier cut-off; and a selection with no facts (the "no data" figure).
    requests += [catalog.ChartRequest(chart, regions=("KZ", "KZ-75", "KZ-71"), year_from=2016, year_to=2024,
                                      tiers=("official_statistics", "government"))
                 for chart in ("ngo_counts", "public_councils", "state_social_order_amount", "ngo_fields")]
    requests.append(catalog.ChartRequest("ngo_counts", regions=("KZ-75",), year_from=2030))
    failures = {}
    for request in requests:
        built = catalog.build(request)
        for figure in (built.figure, built.page_figure):
            template = figure.to_dict()["layout"].get("template", {}).get("layout", {})
            if template.get("colorway") != OKABE_ITO or "Arial" not in template.get("font", {}).get("family", ""):
                failures[request] = "without the shared theme"
                continue
            try:
                validated = go.Figure(figure.to_dict())
            except ValueError as error:
                failures[request] = str(error).strip().splitlines()[0]
                continue
            if json.loads(validated.to_json()) != json.loads(figure.to_json()):
                failures[request] = "validation changes the figure"
    assert not failures, failures
    assert len(requests) > 40


def test_page_maps_name_their_boundaries_by_url_and_exports_keep_them_inline(tmp_path, monkeypatch):
    from dashboard import catalog
    from dashboard.components import reference

    served = tmp_path / "static" / "geo"
    monkeypatch.setattr(reference, "SERVED_GEO_DIR", served)
    reference.geojson_url.cache_clear()
    built = catalog.registry()["ngos_registered_map"].builder(catalog.ChartRequest("ngos_registered_map"))
    url = built.page_figure.data[0].geojson
    assert url.startswith("app/static/geo/kz_adm1.") and url.endswith(".geojson")
    assert (served / url.removeprefix("app/static/geo/")).read_bytes() == GEOJSON_PATH.read_bytes()
    assert isinstance(built.figure.data[0].geojson, dict), "images and HTML decks must stand alone"
    assert len(built.page_figure.to_json()) < len(built.figure.to_json()) / 10

    # Where the copy cannot be written (a read-only install), maps carry their boundaries inline.
    blocked = tmp_path / "read-only"
    blocked.write_text("a file, so no folder can be made under it")
    monkeypatch.setattr(reference, "SERVED_GEO_DIR", blocked / "geo")
    reference.geojson_url.cache_clear()
    rebuilt = catalog.registry()["ngos_registered_map"].builder(catalog.ChartRequest("ngos_registered_map"))
    assert isinstance(rebuilt.page_figure.data[0].geojson, dict)
    reference.geojson_url.cache_clear()


# forum timeline


def edition(number, year, delegates=None, participants=None, **overrides) -> dict:
    row = {
        "event_id": f"cf_{number:02d}",
        "scope": "national",
        "number": number,
        "edition": ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][number],
        "year": year,
        "city": "Astana",
        "theme_en": None,
        "start_date": pd.NaT,
        "end_date": pd.NaT,
        "delegates": delegates,
        "delegates_qualifier": None if delegates is None else "exact",
        "participants": participants,
        "participants_qualifier": None if participants is None else "more than",
        "platforms": None,
        "proposals": None,
    }
    return {**row, **overrides}


def test_forum_editions_without_figures_get_no_marker():
    editions = pd.DataFrame(
        [
            edition(1, 2003),
            edition(8, 2018, delegates=850.0),
            edition(9, 2020, delegates=500.0, participants=1000.0, start_date=pd.Timestamp("2020-11-23"), end_date=pd.Timestamp("2020-11-27")),
            edition(7, None, delegates=600.0),
            edition(5, 2011, scope="city"),
        ]
    )
    fig = forum_timeline_figure(editions, title="Civil Forum")
    editions_trace, delegates, participants = fig.data
    assert list(editions_trace.x) == [2003, 2018, 2020]
    assert editions_trace.text[0] == "I<br>Astana"
    assert list(delegates.x) == [2018, 2020]
    assert list(delegates.y) == [850.0, 500.0]
    assert list(participants.x) == [2020]
    assert 0 not in delegates.y
    assert "Participants: more than 1,000" in participants.hovertext[0]
    assert "Nov 23, 2020" in participants.hovertext[0]
    assert fig.layout.yaxis2.type == "log"
    assert fig.layout.yaxis2.title.text == "People (log scale)"
    assert list(fig.layout.xaxis.range) == [2002.5, 2020.5]


def test_forum_timeline_from_the_real_data():
    fig = forum_timeline_figure(queries.run("forum_editions"), title="Civil Forum")
    assert 2003 in fig.data[0].x
    assert 2003 not in fig.data[1].x, "the first forum reports no delegates"



def test_each_forum_number_and_label_stays_inside_its_own_cell():
    """Plotly keeps a text's size whatever the figure's width; a bar's text is shrunk to fit its bar instead."""
    from dashboard import catalog
    from i18n import using

    with using("kk"):  # the longest labels
        fig = catalog.build(catalog.ChartRequest("forum_cf_12")).figure
    assert not fig.layout.annotations, "a text in paper coordinates runs into its neighbour on a narrow screen"
    boxes = []
    for bars in fig.data:
        assert bars.type == "bar" and bars.orientation == "h" and bars.constraintext == "inside"
        assert bars.textangle == 0 and bars.marker.color == "rgba(0,0,0,0)"
        for text, base, length, centre, thickness in zip(bars.text, bars.base, bars.x, bars.y, bars.width):
            assert text
            boxes.append((base, base + length, centre - thickness / 2, centre + thickness / 2))
    assert len(boxes) == 12  # six figures of the twelfth forum, each a value and a label
    # Each bar spans one column and no bar reaches into another: so neither do their texts.
    assert all(right - left == 1 and float(left).is_integer() for left, right, _, _ in boxes)
    for i, (left, right, top, bottom) in enumerate(boxes):
        for other_left, other_right, other_top, other_bottom in boxes[i + 1:]:
            assert min(right, other_right) <= max(left, other_left) or min(bottom, other_bottom) <= max(top, other_top)
    labels = [line for text in fig.data[1].text for line in text.split("<br>")]
    assert "министрліктердің" in labels  # a long label wraps onto two lines


def test_a_title_breaks_only_at_spaces_and_keeps_every_word():
    from dashboard.charts.theme import wrapped

    title = "Тіркелген үкіметтік емес ұйымдар: өңірлер бойынша 2025 жылға дейінгі соңғы мән (18\u00a0000-нан астам)"
    lines = wrapped(title, 20, 400)
    assert len(lines) > 1 and " ".join(lines) == title
    assert any("(18\u00a0000-нан" in line for line in lines), "a number is never broken at its no-break space"
    assert len(wrapped(title, 20, 800)) < len(lines) and len(wrapped(title, 16, 400)) <= len(lines)
    assert wrapped("Short", 20, 400) == ["Short"] and wrapped("", 20, 400) == []
    assert wrapped("Қазақстанның_бір_сөзі_ұзын_болса_да_бөлінбейді", 20, 100) == ["Қазақстанның_бір_сөзі_ұзын_болса_да_бөлінбейді"]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_map_title_is_wrapped_for_the_narrowest_width_it_is_drawn_at_and_keeps_its_year(language):
    from dashboard import catalog
    from dashboard.charts.theme import themed_figure
    from dashboard.formatting import plotly_text
    from i18n import using

    with using(language):
        built = catalog.build(catalog.ChartRequest("ngos_registered_map", year_to=2025))
        across_the_page = themed_figure([], built.title)
    lines = built.page_figure.layout.title.text.split("<br>")
    assert " ".join(lines) == plotly_text(built.title) and "2025" in built.title
    assert len(lines) >= len(across_the_page.layout.title.text.split("<br>"))


def test_text_from_the_data_prints_as_written_in_titles_and_hovers():
    from dashboard.charts.bars import ranked_bar_figure

    hostile = "<a href='https://phish.example'>Kazinform</a> & Co"
    rows = pd.DataFrame({"label": ["Almaty"], "value": [5.0], "value_high": [None], "qualifier": ["exact"],
                         "unit": ["organizations"], "year": [2024], "publisher": [hostile], "tier": ["state_media"]})
    figure = ranked_bar_figure(rows, title=f"By {hostile}", x_title="Organisations")
    texts = [figure.layout.title.text, *figure.data[0].hovertext]
    assert all("<a" not in text and "&lt;a href=" in text for text in texts), texts


def test_a_small_chart_rewraps_a_title_the_page_figure_already_wrapped():
    from dashboard.charts.compact import compact_figure
    from dashboard.charts.theme import themed_figure

    title = " ".join(["Мемлекеттік әлеуметтік тапсырыс бойынша қаржыландыру"] * 3)
    page = themed_figure([{"type": "scatter", "x": [2024], "y": [1]}], title, reference_width=600)
    assert "<br>" in page.layout.title.text
    lines = compact_figure(page, 440).layout.title.text.split("<br>")
    assert " ".join(lines) == title, "the page's line breaks are not left inside the small chart's lines"

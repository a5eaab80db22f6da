"""The margins worked out before plotly.js draws a chart (dashboard/charts/margins.py).

tests/e2e/test_chart_margins.py checks in Chromium that every chart on the pages keeps them; these
tests pin the pieces: Arial's widths, the widest tick label automatic ticks can draw, legend rows.
"""

import pytest

import i18n
from dashboard import catalog
from dashboard.catalog import ChartRequest
from dashboard.charts import margins
from dashboard.charts.margins import legend_height, number_label_width, text_width
from dashboard.charts.theme import TEXT_SIZES, no_data_figure

PX = 14


def test_text_width_adds_up_arials_advance_widths():
    assert text_width("2025", PX) == pytest.approx(4 * 0.556 * PX)
    assert text_width("W", PX) > text_width("i", PX) * 4
    assert text_width("Ш", PX) > text_width("ш", PX) > text_width("а", PX)
    # A character missing from the table counts as wide, so the margin errs on the side of room.
    assert text_width("\u4e2d", PX) >= text_width("W", PX) * 0.8


@pytest.mark.parametrize(("low", "high", "widest"), [
    (0, 23_335, "00,000"),  # ticks up to 25,000
    (0, 9_600, "00,000"),  # autorange room can bring a 10,000 tick
    (0, 726e9, "000,000,000,000"),
    (0, 3.3, "0.0"),  # steps of 0.5
    (0, 0.04, "0.000"),  # steps of 0.005 at the finest
    (-50, 200, "000−"),
])
def test_widest_tick_label_counts_digits_separators_and_decimals(low, high, widest):
    assert number_label_width(low, high, PX) == pytest.approx(text_width(widest, PX))


def test_one_value_gets_a_decimal_as_plotly_widens_its_range_to_one_unit():
    assert number_label_width(1.4e9, 1.4e9, PX) == pytest.approx(text_width("0,000,000,000.0", PX))


def test_a_legend_takes_one_row_when_its_entries_fit_side_by_side_else_a_grid_of_equal_columns():
    names = ["Registered NGOs", "Operating NGOs (ministry count)", "Unverified third-party compilation (hollow markers)"]
    row = margins.LEGEND_LINE * TEXT_SIZES.legend
    side_by_side = sum(text_width(name, TEXT_SIZES.legend) + margins.LEGEND_SYMBOL_PX for name in names) + 2 * margins.LEGEND_GAP_PX
    widest = max(text_width(name, TEXT_SIZES.legend) for name in names) + margins.LEGEND_SYMBOL_PX + margins.LEGEND_GAP_PX
    assert legend_height(names, side_by_side + 1, TEXT_SIZES.legend) == pytest.approx(margins.LEGEND_PAD_PX + row)
    assert legend_height(names, 2 * widest, TEXT_SIZES.legend) == pytest.approx(margins.LEGEND_PAD_PX + 2 * row)
    assert legend_height(names, widest, TEXT_SIZES.legend) == pytest.approx(margins.LEGEND_PAD_PX + 3 * row)


def _margin(chart: str, language: str = "en") -> dict:
    with i18n.using(language):
        return catalog.build(ChartRequest(chart)).page_figure.layout.margin.to_plotly_json()


def test_a_series_gets_room_for_its_tick_labels_axis_titles_and_legend():
    margin = _margin("ngo_counts")
    assert margin["l"] >= margins.NUMBER_AXIS_ROOM_PX + text_width("00,000", PX)
    assert margin["b"] > margins.X_AXIS_PX  # the legend hangs under the x axis
    assert margin["t"] == 60 and margin["r"] == 10  # the title's room, and nothing stands out on the right


def test_a_series_legend_under_the_x_axis_gets_its_own_room_below_it():
    figure = catalog.build(ChartRequest("ngo_counts", regions=("KZ", "KZ-75", "KZ-71"))).page_figure
    names = [trace.name for trace in figure.data]
    plot_width = margins.REFERENCE_WIDTH_PX - figure.layout.margin.l - figure.layout.margin.r
    legend = legend_height(names, plot_width, TEXT_SIZES.legend)
    assert legend > 4 * margins.LEGEND_LINE * TEXT_SIZES.legend, "its entries wrap into several rows"
    # plotly.js draws the legend at the figure's bottom edge and the x axis above it: room for both.
    assert figure.layout.margin.b == pytest.approx(margins.X_AXIS_PX + legend + margins.LEGEND_CLEARANCE_PX, abs=1)


def test_amounts_labelled_short_get_room_for_their_own_tick_labels():
    with i18n.using("ru"):
        figure = catalog.build(ChartRequest("state_social_order_amount")).page_figure
    widest = max(text_width(label, PX) for label in figure.layout.yaxis.ticktext)
    assert figure.layout.margin.l == pytest.approx(widest + margins.NUMBER_AXIS_ROOM_PX, abs=1)


def test_a_ranking_gets_room_for_its_longest_region_name_in_each_language():
    for language in ("en", "ru", "kk"):
        with i18n.using(language):
            built = catalog.build(ChartRequest("ngos_registered_ranking"))
        longest = max(text_width(label, PX) for trace in built.page_figure.data for label in trace.y)
        assert built.page_figure.layout.margin.l == pytest.approx(longest + margins.CATEGORY_AXIS_ROOM_PX, abs=1)


def test_a_map_gets_room_for_its_colour_bar_on_the_right_and_nothing_on_the_left():
    margin = _margin("ngos_registered_map")
    assert margin["l"] == 0
    assert margin["r"] >= margins.COLORBAR_TICKS_ROOM_PX + text_width("0,000", TEXT_SIZES.colorbar_tick)


def test_a_chart_without_axes_or_legend_keeps_its_base_margins():
    figure = no_data_figure("Nothing here")
    assert figure.layout.margin.to_plotly_json() == {"l": 10, "r": 10, "t": 60, "b": 10}

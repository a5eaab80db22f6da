"""Margins that already fit a chart when plotly.js first draws it, so that it draws it once.

With automargin on, plotly.js draws a chart, measures what stands outside its plot area (tick labels,
axis titles, the legend, a colour bar) and, when the margins it was given are too narrow for them,
draws the whole chart again with wider ones. Every chart of ours was laid out twice on its first
draw: the NGO counts chart took 20-25 ms of plotly.js work in Chromium that way, 14 ms in one pass.

Here the margins are worked out in Python from the texts the figure holds, with Arial's character
widths and plotly.js's own spacing (measured in Chromium with plotly.js 4; tests/e2e checks every
chart the pages draw). Automargin stays on: a margin that comes out short only costs the second
pass, never a clipped label, so the estimates lean wide and leave at most a little blank space.

A legend below the plot wraps into rows by the chart's width, which only the browser knows. Rows are
counted for REFERENCE_WIDTH_PX: wider charts get one draw and at most a row's height of blank space
under the legend, narrower ones (phones) the second pass they always had.

Pure functions over plain figure dicts; the pixel sizes of the texts come from the caller (the theme).
"""

import math
from typing import NamedTuple

# The chart's width in the main column of a 1366-px laptop screen with the sidebar open.
REFERENCE_WIDTH_PX = 900
DEFAULT_HEIGHT_PX = 450  # plotly.js's, and what Streamlit draws a figure without a height at

# Arial's advance widths in thousandths of an em (Liberation Sans has the same metrics).
_WIDTHS_PER_MILLE = {
    191: "'", 222: "ijlі’", 278: "ftI ,.·:;/!|\u00a0І", 333: "r-()“”", 355: '"', 389: "*",
    438: "к", 458: "зт", 500: "cksvxyzJсух", 510: "э", 521: "чь", 531: "в", 542: "пяГ", 552: "н",
    556: "abdeghnopquL0123456789–аеёор?_$#«»", 559: "ий", 573: "бц", 583: "К", 584: "дл+=<>±−", 604: "З",
    611: "FTZТ", 625: "ъ", 635: "У", 656: "БЛЬ", 666: "Ч", 667: "ABEKPSVXYАВЕЁРХ&", 669: "ж", 677: "Д",
    688: "м", 719: "ыИЙПЭ", 722: "wCDHNRUНСЯ", 740: "Ц", 750: "ю", 760: "Ф", 778: "GOQО", 792: "Ъ",
    802: "ш", 823: "фщ", 833: "mMМ", 885: "Ы", 889: "%", 916: "Ш", 923: "Ж", 938: "Щ", 944: "W",
    1000: "—…", 1010: "Ю", 1073: "№",
    # Kazakh letters: Arial has them, but fonts without them fall back to a wider one (DejaVu Sans).
    650: "әғқңөұүһ", 780: "ӘҒҚҢӨҰҮҺ",
}
_WIDTH = {char: per_mille / 1000 for per_mille, chars in _WIDTHS_PER_MILLE.items() for char in chars}
_UNKNOWN_EM = 0.78  # any other character: as wide as a wide capital

# plotly.js's spacing around the texts, in pixels, for the theme's 14-px tick labels and axis titles.
NUMBER_AXIS_ROOM_PX = 41  # tick, gaps, title standoff and a rotated title, beside numeric y tick labels
CATEGORY_AXIS_ROOM_PX = 19  # tick and gap beside category labels (a ranking's y axis has no title)
X_AXIS_PX = 58  # one row of tick labels and an axis title under the plot
LEGEND_SYMBOL_PX = 40  # symbol and gap before an entry's text
LEGEND_GAP_PX = 5  # between entries
LEGEND_LINE = 1.53  # a legend row's height in font sizes (19.9 px at 13 px)
LEGEND_PAD_PX = 10  # the legend box's padding
LEGEND_CLEARANCE_PX = 10  # between the legend and the figure's edge, or the x axis's title
COLORBAR_TICKS_ROOM_PX = 36  # bar, padding and tick gap beside a colour bar's tick labels
COLORBAR_TITLE_ROOM_PX = 21  # padding either side of a colour bar's title
AUTORANGE_PAD = 0.1  # autorange adds room for markers: the top tick can lie above the largest value
MAX_TICK_INTERVALS = 10  # plotly.js's automatic ticks never split an axis into more


class TextSizes(NamedTuple):
    """Pixel sizes of the texts that stand in the margins (the template's fonts)."""
    axis: float  # tick labels and axis titles
    legend: float
    colorbar_tick: float
    colorbar_title: float


def text_width(text: str, size_px: float) -> float:
    """Width of `text` in Arial at `size_px`, on the wide side for characters not in the table."""
    return sum(_WIDTH.get(char, _UNKNOWN_EM) for char in text) * size_px


def wrapped(text: str, size_px: float, width_px: float) -> list[str]:
    """`text` broken into lines at spaces, each no wider than `width_px` (a longer single word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        widened = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(widened, size_px) <= width_px:
            lines[-1] = widened
        else:
            lines.append(word)
    return lines


def number_label_width(low: float, high: float, size_px: float) -> float:
    """Widest tick label plotly.js's automatic ticks can draw on a linear axis from `low` to `high`.

    Digits, decimal marks and group separators are as wide in every language's separators (Arial's
    digits are all 0.556 em; comma, full stop and no-break space 0.278 em), so only the counts matter.
    """
    span = (high - low) or 1  # one value: plotly.js widens the range to a unit around it
    largest = max(abs(low), abs(high)) * (1 + AUTORANGE_PAD)
    digits = len(str(int(largest)))
    # Ticks step by 1, 2 or 5 times a power of ten, at least span / MAX_TICK_INTERVALS apart.
    smallest_step = span / MAX_TICK_INTERVALS
    decimals = max(0, -math.floor(math.log10(smallest_step)))
    label = "0" * digits + "," * ((digits - 1) // 3) + ("." + "0" * decimals if decimals else "") + ("−" if low < 0 else "")
    return text_width(label, size_px)


def legend_height(names: list[str], plot_width: float, size_px: float) -> float:
    """Height of a horizontal legend: one row if every entry fits side by side, else a grid of equal columns."""
    widths = [text_width(name, size_px) + LEGEND_SYMBOL_PX for name in names]
    if sum(widths) + LEGEND_GAP_PX * (len(widths) - 1) < plot_width:
        rows = 1
    else:
        columns = max(1, int(plot_width // (max(widths) + LEGEND_GAP_PX)))
        rows = math.ceil(len(widths) / columns)
    return LEGEND_PAD_PX + rows * LEGEND_LINE * size_px


def legend_names(data: list[dict], layout: dict) -> list[str]:
    """The legend's entries, as plotly.js decides: traces not hidden from it, shown from two entries on."""
    if layout.get("showlegend") is False:
        return []
    # A choropleth stays out of the legend unless told otherwise; its colour bar explains it.
    names = [trace.get("name") or "" for trace in data
             if trace.get("showlegend", trace["type"] != "choropleth")]
    told = layout.get("showlegend") or any(trace.get("showlegend") for trace in data)
    return names if len(names) >= 2 or told else []


def _numbers(values) -> list[float]:
    return [value for value in values if value is not None]


def _left(data: list[dict], layout: dict, sizes: TextSizes) -> float | None:
    axis = layout.get("yaxis", {})
    if axis.get("visible") is False or not data or any(trace["type"] not in ("scatter", "bar") for trace in data):
        return None
    if any(trace.get("orientation") == "h" for trace in data):
        labels = [str(label) for trace in data for label in trace["y"]]
        return max(text_width(label, sizes.axis) for label in labels) + CATEGORY_AXIS_ROOM_PX
    values = []
    for trace in data:
        values += _numbers(trace["y"])
        error = trace.get("error_y", {}).get("array")
        if error:
            values += [value + extent for value, extent in zip(trace["y"], error) if value is not None and extent is not None]
    if not values or "title" not in axis:  # measured with a title only
        return None
    if axis.get("ticktext"):  # ticks labelled by the chart itself (amounts: "10B")
        return max(text_width(label, sizes.axis) for label in axis["ticktext"]) + NUMBER_AXIS_ROOM_PX
    return number_label_width(min(0, *values), max(0, *values), sizes.axis) + NUMBER_AXIS_ROOM_PX


def _right(data: list[dict], sizes: TextSizes) -> float | None:
    bars = [trace for trace in data if trace["type"] == "choropleth" and trace.get("showscale", True)]
    if not bars:
        return None
    values = [value for trace in bars for value in _numbers(trace["z"])]
    if not values:
        return None
    title = bars[0].get("colorbar", {}).get("title", {}).get("text") or ""
    ticks = number_label_width(min(values), max(values), sizes.colorbar_tick) + COLORBAR_TICKS_ROOM_PX
    return max(ticks, text_width(title, sizes.colorbar_title) + COLORBAR_TITLE_ROOM_PX)


def _bottom(data: list[dict], layout: dict, left: float, right: float, sizes: TextSizes, width: float) -> float | None:
    axis = layout.get("xaxis", {})
    has_x_axis = any(trace["type"] in ("scatter", "bar") for trace in data) and axis.get("visible") is not False
    if has_x_axis and "title" not in axis:  # measured with a title only
        return None
    below = X_AXIS_PX if has_x_axis else 0
    names = legend_names(data, layout)
    legend = layout.get("legend", {})
    if not names or legend.get("orientation") != "h":
        return below or None
    legend_px = legend_height(names, width - left - right, sizes.legend)
    if legend.get("yref") == "container" and legend.get("y") == 0 and legend.get("yanchor") == "bottom":
        # At the figure's bottom edge: plotly.js keeps the legend's height free under what the x axis needs.
        below += legend_px + LEGEND_CLEARANCE_PX
    elif legend.get("yanchor") == "top" and legend.get("y", 1) <= 0:
        height = layout.get("height", DEFAULT_HEIGHT_PX)
        top = layout["margin"]["t"]
        below_axis = -legend["y"]  # the legend's top edge, in plot heights under the plot
        # The legend hangs below_axis plot heights under the plot, and the plot is what the margins leave.
        below = max(below, (below_axis * (height - top) + legend_px + LEGEND_CLEARANCE_PX) / (1 + below_axis))
    return below or None


def fitted_margins(data: list[dict], layout: dict, sizes: TextSizes, width: float = REFERENCE_WIDTH_PX) -> dict:
    """layout["margin"] with each side widened to what the figure's texts will need, rounded up.

    data: the traces as plain dicts; layout: the figure's layout, with its base margin (kept as the
    least each side gets, and as it is where no estimate is made: the title's top margin, for one).
    width: the chart's width the legend's rows are counted for (a chart in a column is narrower).
    """
    margin = dict(layout["margin"])
    left, right = _left(data, layout, sizes), _right(data, sizes)
    bottom = _bottom(data, layout, max(margin["l"], left or 0), max(margin["r"], right or 0), sizes, width)
    for side, needed in (("l", left), ("r", right), ("b", bottom)):
        if needed is not None:
            margin[side] = max(margin[side], math.ceil(needed))
    return margin

"""Colours and the "kzngo" Plotly template shared by every chart. Importing this module registers it."""

import math
import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.formatting import COMPACT_FROM, format_compact, plotly_text
from i18n import current, t

# Okabe–Ito colour-blind-safe palette, reordered so the first colours differ the most.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

NO_DATA_GREY = "#C4C4C4"
OTHER_VALUES_GREY = "#6E6E6E"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#E5E5E5"
AXIS_LINE_COLOUR = "#888888"
AXIS_TEXT_PX = 14  # the figure's font: tick labels, axis titles and the colour bar's title
KEY_TEXT_PX = 13  # the legend and the colour bar's tick labels
TITLE_PX = 20
TITLE_TOP_PX = 16  # above the title
TITLE_GAP_PX = 18  # between the title's last line and the plot
TITLE_LINE = 1.3  # plotly.js's line spacing, in font sizes
# plotly.js lowers a one-line title hung from the top by 0.7 em, so that its letters start at the top;
# a title of several lines loses that drop and is given it here.
FIRST_LINE_DROP = 0.7  # in font sizes
TITLE_INSET_PX = 20  # the title starts 1% in from the left; this much is kept free on either side
# Plotly draws a title on one line and cuts what does not fit at the chart's right edge, so titles are
# broken at spaces into lines of at most as many characters as fit the narrowest width the chart is
# drawn at. Counted, not measured: a character is taken as this wide, in font sizes, which is on the
# wide side for Arial's letters (capitals and Kazakh letters included) and for DejaVu Sans, the
# fallback where Arial and its stand-ins are missing.
CHARACTER_EM = 0.6
# A chart across the main column of a 1366-px laptop screen with the sidebar open.
WIDE_CHART_PX = 900

TEMPLATE_NAME = "kzngo"
# Plotly's decimal mark and thousands separator per language: 23,335.5 / 23 335,5 (no-break space).
SEPARATORS = {"en": ".,", "ru": ",\u00a0", "kk": ",\u00a0"}
# A horizontal legend under the plot, anchored to the figure's bottom edge ("container"). plotly.js then
# keeps its height free below the x axis's tick labels and title, however many rows it wraps into;
# a legend placed in plot heights under the axis runs into the axis title when its rows shrink the plot.
BOTTOM_LEGEND = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0}
MONEY_TICK_INTERVALS = 6  # about as many as plotly.js draws on a chart of the default height


def _axis_style() -> dict:
    # Tick labels take the figure's font; an axis title would be 1.2 times as large, so its size is set.
    return dict(
        gridcolor=GRID_COLOUR,
        linecolor=AXIS_LINE_COLOUR,
        showline=True,
        ticks="outside",
        tickcolor=AXIS_LINE_COLOUR,
        title=dict(font=dict(size=AXIS_TEXT_PX), standoff=12),
        # A grey zero line would read as a data line; the axis line already marks zero.
        zeroline=False,
        # plotly.js widens the margins to hold the tick labels and the axis title, whatever their language.
        automargin=True,
        # Full numbers with separators ("30,000", not "30k"): "k", "M" and "B" are English-only.
        separatethousands=True,
        exponentformat="none",
    )


def money_ticks(values: list[float]) -> dict:
    """Axis settings that label an amount's ticks in the language's short form ("10B", "10 млрд").

    plotly.js can only abbreviate in English ("10B", "10G"), so the ticks are chosen here (1, 2 or 5
    times a power of ten apart, from zero) and labelled by Babel. Below a million the axis keeps
    plotly.js's own ticks, which print in full ("670,000").
    """
    low, high = min(0.0, *values), max(0.0, *values)  # the axes of amounts start at zero
    if high - low < COMPACT_FROM:
        return {}
    rough = (high - low) / MONEY_TICK_INTERVALS
    power = 10 ** math.floor(math.log10(rough))
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= rough)
    ticks = [index * step for index in range(math.floor(low / step), math.ceil(high / step) + 1)]
    return {"tickvals": ticks, "ticktext": [format_compact(tick) for tick in ticks]}


def _build_template() -> go.layout.Template:
    # Only what differs from plotly.js's defaults and is not inherited from the figure's font: Plotly
    # copies and checks the template into every figure it builds, and it travels inside every figure
    # sent to the browser. A template copied from plotly_white, with defaults for every trace type,
    # would be most of each figure.
    template = go.layout.Template()
    template.layout.update(
        font=dict(family="Arial, Helvetica, sans-serif", size=AXIS_TEXT_PX, color=TEXT_COLOUR),
        # Hung from the figure's top edge, over a top margin as deep as its lines (title_and_top_margin). Not
        # title.automargin: together with the axes' automargin, plotly.js redraws the chart until its limit.
        title=dict(font=dict(size=TITLE_PX), x=0.01, xanchor="left", yref="container", y=1, yanchor="top"),
        colorway=OKABE_ITO,
        hoverlabel=dict(bgcolor="white", bordercolor=AXIS_LINE_COLOUR, font=dict(size=14, color=TEXT_COLOUR), align="left"),
        legend=dict(font=dict(size=KEY_TEXT_PX)),
        xaxis=_axis_style(),
        yaxis=_axis_style(),
    )
    return template


# Named in every figure's layout (base_layout), not made Plotly's default: importing Streamlit sets its own.
pio.templates[TEMPLATE_NAME] = _build_template()


def _merged(base: dict, extra: dict) -> dict:
    """`base` with `extra` laid over it; nested settings (an axis, the legend) merged key by key."""
    merged = dict(base)
    for key, value in extra.items():
        both_dicts = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merged(merged[key], value) if both_dicts else value
    return merged


def wrapped(text: str, size_px: float, width_px: float) -> list[str]:
    """`text` broken at spaces into lines that fit `width_px` at `size_px` (CHARACTER_EM); a longer word keeps a line of its own."""
    per_line = max(1, int(width_px / (CHARACTER_EM * size_px)))
    return textwrap.wrap(text, per_line, break_long_words=False, break_on_hyphens=False)


def title_and_top_margin(text: str, size_px: float, width_px: float, top_px: float) -> tuple[dict, int]:
    """The title `text` broken into lines for a chart `width_px` wide and hung `top_px` below the
    figure's top edge, and the top margin that holds its lines (plotly.js spaces them TITLE_LINE apart)."""
    lines = wrapped(text, size_px, width_px - 2 * TITLE_INSET_PX)
    drop = FIRST_LINE_DROP * size_px if len(lines) > 1 else 0
    title = {"text": "<br>".join(lines), "pad": {"t": top_px + drop}}
    return title, math.ceil(top_px + len(lines) * TITLE_LINE * size_px + TITLE_GAP_PX)


def base_layout(title: str, y_title: str | None = None, x_title: str | None = None, *, width_px: int = WIDE_CHART_PX) -> dict:
    """The shared template, the title wrapped for a chart `width_px` wide, margins, the language's number
    separators and the axis titles."""
    # A title may name a source (NGOs by field): data, which Plotly would read as HTML.
    title_spec, top = title_and_top_margin(plotly_text(title), TITLE_PX, width_px, TITLE_TOP_PX)
    layout = {"template": TEMPLATE_NAME, "title": title_spec, "margin": {"l": 10, "r": 10, "t": top, "b": 10},
              "separators": SEPARATORS[current()]}
    if y_title is not None:
        layout["yaxis"] = {"title": {"text": y_title}}
    if x_title is not None:
        layout["xaxis"] = {"title": {"text": x_title}}
    return layout


def themed_figure(data: list[dict], title: str, *, y_title: str | None = None, x_title: str | None = None,
                  reference_width: int = WIDE_CHART_PX, **layout: dict | str | int | float | bool | list) -> go.Figure:
    """A figure with the shared template and titles, plus a chart's own layout settings, made in one step.

    data: traces as plain dicts, each with its "type"; Plotly checks every property as it makes the figure.
    reference_width: the narrowest width, in pixels, a page draws the chart at (its title is wrapped for it).
    """
    return go.Figure({"data": data, "layout": _merged(base_layout(title, y_title, x_title, width_px=reference_width), layout)})


def apply_layout(fig: go.Figure, title: str, y_title: str | None = None, x_title: str | None = None) -> go.Figure:
    """Give an existing figure (subplots) the shared template, its title and axis titles; returns it."""
    return fig.update_layout(base_layout(title, y_title, x_title))


def no_data_figure(title: str) -> go.Figure:
    """An empty chart that says so, instead of blank axes that could be read as zero."""
    return themed_figure(
        [], title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": t("chart.no_data_for_selection"), "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                      "showarrow": False, "font": {"size": 16}}],
    )

"""Colours and the "kzngo" Plotly template shared by every chart. Importing this module registers it."""

import functools
import math

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.charts.margins import REFERENCE_WIDTH_PX, TextSizes, fitted_margins, wrapped
from dashboard.formatting import COMPACT_FROM, format_compact, plotly_text
from i18n import current, t

# Okabe–Ito colour-blind-safe palette, reordered so the first colours differ the most.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

NO_DATA_GREY = "#C4C4C4"
OTHER_VALUES_GREY = "#6E6E6E"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#E5E5E5"
AXIS_LINE_COLOUR = "#888888"
# Texts in the margins, in pixels; the margins are worked out from the same sizes (charts/margins.py).
TEXT_SIZES = TextSizes(axis=14, legend=13, colorbar_tick=13, colorbar_title=14)
TITLE_PX = 20
TITLE_LINE = 1.3  # plotly.js's line spacing, in font sizes
TITLE_INSET_PX = 20  # the title starts 1% in from the left; this much is kept free on either side
TITLE_TOP_PX = 16  # above a wrapped title

TEMPLATE_NAME = "kzngo"
# Plotly's decimal mark and thousands separator per language: 23,335.5 / 23 335,5 (no-break space).
SEPARATORS = {"en": ".,", "ru": ",\u00a0", "kk": ",\u00a0"}
# A horizontal legend under the plot, anchored to the figure's bottom edge ("container"). plotly.js then
# keeps its height free below the x axis's tick labels and title, however many rows it wraps into;
# a legend placed in plot heights under the axis ran into the axis title when its rows shrank the plot.
BOTTOM_LEGEND = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0}
MONEY_TICK_INTERVALS = 6  # about as many as plotly.js draws on a chart of the default height


def _axis_style() -> dict:
    return dict(
        gridcolor=GRID_COLOUR,
        linecolor=AXIS_LINE_COLOUR,
        showline=True,
        ticks="outside",
        tickcolor=AXIS_LINE_COLOUR,
        tickfont=dict(size=TEXT_SIZES.axis, color=TEXT_COLOUR),
        title=dict(font=dict(size=TEXT_SIZES.axis, color=TEXT_COLOUR), standoff=12),
        # A grey zero line would read as a data line; the axis line already marks zero.
        zeroline=False,
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
    # Layout settings only: a template copied from plotly_white carries defaults for every trace type,
    # which Plotly deep-copies into every figure (most of a figure's build time, and half its JSON).
    template = go.layout.Template()
    template.layout.update(
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(family="Arial, Helvetica, sans-serif", size=14, color=TEXT_COLOUR),
        title=dict(font=dict(size=TITLE_PX, color=TEXT_COLOUR), x=0.01, xanchor="left"),
        colorway=OKABE_ITO,
        hoverlabel=dict(bgcolor="white", bordercolor=AXIS_LINE_COLOUR, font=dict(size=14, color=TEXT_COLOUR), align="left"),
        legend=dict(font=dict(size=TEXT_SIZES.legend, color=TEXT_COLOUR)),
        xaxis=_axis_style(),
        yaxis=_axis_style(),
    )
    template.data.choropleth = [go.Choropleth(colorbar=dict(
        separatethousands=True, exponentformat="none", tickfont=dict(size=TEXT_SIZES.colorbar_tick),
        title=dict(font=dict(size=TEXT_SIZES.colorbar_title))))]
    return template


pio.templates[TEMPLATE_NAME] = _build_template()


def _merged(base: dict, extra: dict) -> dict:
    """`base` with `extra` laid over it; nested settings (an axis, the legend) merged key by key."""
    merged = dict(base)
    for key, value in extra.items():
        both_dicts = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merged(merged[key], value) if both_dicts else value
    return merged


def base_layout(title: str, y_title: str | None = None, x_title: str | None = None) -> dict:
    """The shared template, the title, margins, the language's number separators and the axis titles."""
    # A title may name a source (NGOs by field): data, which Plotly would read as HTML.
    layout = {"template": TEMPLATE_NAME, "title": {"text": plotly_text(title)}, "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
              "separators": SEPARATORS[current()]}
    if y_title is not None:
        layout["yaxis"] = {"title": {"text": y_title}}
    if x_title is not None:
        layout["xaxis"] = {"title": {"text": x_title}}
    return layout


@functools.cache
def _template_spec() -> dict:
    """The registered template as plain data: only a validating constructor looks a template up by name."""
    return pio.templates[TEMPLATE_NAME].to_plotly_json()


def themed_figure(data: list[dict], title: str, *, y_title: str | None = None, x_title: str | None = None,
                  reference_width: int = REFERENCE_WIDTH_PX, **layout: dict | str | int | float | bool | list) -> go.Figure:
    """A figure with the shared template and titles, plus a chart's own layout settings, made in one step.

    data: traces as plain dicts, each with its "type". Charts are built whenever a reader picks a new
    combination of filters, so Plotly does not check the figure here: its validation was 2.3 of the
    3.2 ms a series chart took to build (0.3 ms without). tests/test_charts.py validates every chart
    the catalog makes instead, so a misspelt property still fails a test.
    reference_width: the narrowest width, in pixels, a page draws the chart at (legend rows are counted for it).
    """
    spec = _merged(base_layout(title, y_title, x_title), layout)
    # Plotly never wraps a title: one wider than the chart is cut at its right edge (and a map's title
    # lost its year). Broken into lines at spaces, it hangs from the top with room made for each line.
    lines = wrapped(spec["title"]["text"], TITLE_PX, reference_width - 2 * TITLE_INSET_PX)
    if len(lines) > 1:
        spec["title"] = {**spec["title"], "text": "<br>".join(lines), "yref": "container", "y": 1, "yanchor": "top",
                         "pad": {"t": TITLE_TOP_PX}}
        spec["margin"] = {**spec["margin"], "t": spec["margin"]["t"] + round((len(lines) - 1) * TITLE_LINE * TITLE_PX)}
    spec["margin"] = fitted_margins(data, spec, TEXT_SIZES, reference_width)
    spec["template"] = _template_spec()
    return go.Figure({"data": data, "layout": spec}, _validate=False)


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

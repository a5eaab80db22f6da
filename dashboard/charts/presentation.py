"""Charts restyled for a projector: big black text, thick lines, and a whole slide as one figure.

`present_figure` makes any catalog figure readable from the back of a hall without touching its data,
colours or marker symbols (a hollow marker still means an unverified figure). `slide_figure` adds the
slide's title, its headline figure and its source line around the chart, and `title_slide_figure`
draws a deck's title slide, for image and PDF export. Pure functions: no Streamlit here.
"""

from html import escape

import plotly.graph_objects as go

from dashboard.catalog import BuiltChart
from dashboard.charts.theme import CHARACTER_EM, TEXT_COLOUR, wrapped
from dashboard.decks import TitleSlide

BLACK = "#000000"
AXIS_TEXT_PX = 28
LEGEND_TEXT_PX = 24
HOVER_TEXT_PX = 22
LINE_WIDTH_PX = 5
MARKER_SIZE_PX = 16
MARKER_OUTLINE_PX = 4
ERROR_BAR_PX = 4
ERROR_CAP_PX = 12
COLORBAR_PX = 36
TEXT_SCALE = 1.6  # annotations, in-chart labels and markers grow at least this much...
MIN_TEXT_PX = 24  # ...and text never stays below this
PLOTLY_DEFAULT_FONT_PX = 12
FIGURE_EDGE_PX = 24

# A whole slide, in pixels. Its texts sit in the margins around the plot area and are placed in pixels
# from the plot area's edges, so the margins must stay as set: they are made wide enough for what the
# chart puts there itself (tick labels, axis titles, colour bar, legend), and Plotly only widens one
# when a guess below falls short (the texts then shift with it, but never overlap).
SLIDE_EDGE_PX = 60  # left edge of the slide's texts
SLIDE_SIDE_PX = 200  # room beside the plot area: numeric y tick labels and title, or a colour bar
SLIDE_TOP_PX = 30
SLIDE_BOTTOM_PX = 24
SLIDE_TITLE_PX = 48
HEADLINE_VALUE_PX = 96
HEADLINE_LABEL_PX = 36
DECK_TITLE_PX = 80
DECK_LINE_PX = 40
SOURCE_PX = 20
GAP_PX = 24
LINE_HEIGHT = 1.3  # Plotly's line spacing, in font sizes
TICK_ROOM_PX = 30  # tick mark and padding between a category label and its bar
X_AXIS_PX = 120  # tick labels and axis title under the plot area
LEGEND_ROW_PX = 40
LEGEND_COLUMNS = 2  # fixed columns, so the number of legend rows is known before Plotly draws it


# ----------------------------------------------------------------------------- the chart alone


def _scaled_text(size: float | None, base: float) -> float:
    return max(MIN_TEXT_PX, (size or base) * TEXT_SCALE)


def _black_if_theme_text(colour: str | None) -> str | None:
    """The theme's dark grey text becomes black; any other colour means something and is kept."""
    return BLACK if colour in (None, TEXT_COLOUR) else colour


def _base_font_size(fig: go.Figure) -> float:
    return fig.layout.font.size or fig.layout.template.layout.font.size or PLOTLY_DEFAULT_FONT_PX


def _bigger_markers(size):
    """A marker size, or one per point, scaled up and never below MARKER_SIZE_PX."""
    if size is None or isinstance(size, (int, float)):
        return max(MARKER_SIZE_PX, (size or 0) * TEXT_SCALE)
    return [max(MARKER_SIZE_PX, one * TEXT_SCALE) for one in size]


def _thicker_error_bars(trace) -> None:
    for error_bar in (trace.error_x, trace.error_y):
        if error_bar.array is not None:
            error_bar.thickness = ERROR_BAR_PX
            error_bar.width = max(ERROR_CAP_PX, error_bar.width or 0)


def _present_scatter(trace: go.Scatter, base: float) -> None:
    trace.line.width = max(LINE_WIDTH_PX, trace.line.width or 0)
    trace.marker.size = _bigger_markers(trace.marker.size)
    # Only outlines a chart drew grow (an open symbol is nothing but its outline); adding one to a
    # filled marker would change its look.
    if trace.marker.line.width:
        trace.marker.line.width = max(MARKER_OUTLINE_PX, trace.marker.line.width)
    if trace.text is not None:
        trace.textfont.size = _scaled_text(trace.textfont.size, base)
        trace.textfont.color = _black_if_theme_text(trace.textfont.color)
    _thicker_error_bars(trace)


def _present_bar(trace: go.Bar, base: float) -> None:
    if trace.text is not None:
        # Grown like any text in a chart (an event's big numbers stay bigger than their labels), never below the axes'.
        trace.textfont.size = max(AXIS_TEXT_PX, _scaled_text(trace.textfont.size, base))
        trace.textfont.color = _black_if_theme_text(trace.textfont.color)
    _thicker_error_bars(trace)


def _present_choropleth(trace: go.Choropleth) -> None:
    big_text = dict(size=AXIS_TEXT_PX, color=BLACK)
    trace.colorbar.update(tickfont=big_text, title_font=big_text, thickness=COLORBAR_PX)


def _present_annotation(annotation: go.layout.Annotation, base: float) -> None:
    annotation.font.size = _scaled_text(annotation.font.size, base)
    annotation.font.color = _black_if_theme_text(annotation.font.color)
    # Left of a third of the width Plotly anchors a text at its left end, right of two thirds at its
    # right end; grown texts then run into their neighbours. Centred, they grow evenly both ways.
    if annotation.xref == "paper" and annotation.xanchor in (None, "auto"):
        annotation.xanchor = "center"


def _is_ranking(trace) -> bool:
    """Horizontal bars: the y axis lists one text label per bar."""
    return trace.type == "bar" and trace.orientation == "h"


def present_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` restyled for a 1920x1080 projector; `fig` itself is left as it is."""
    slide = go.Figure(fig)  # a deep copy: the catalog's figure must not change
    base = _base_font_size(fig)
    big_text = dict(size=AXIS_TEXT_PX, color=BLACK)
    slide.update_layout(
        # The slide shows its own large title; a second one inside the chart would compete with it.
        title_text="",
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(color=BLACK, size=AXIS_TEXT_PX),
        hoverlabel=dict(font=dict(size=HOVER_TEXT_PX, color=BLACK)),
        # Under the chart at the bottom of the figure, where Plotly keeps room for it: at this size a
        # legend beside or above the plot would take the data's room or collide with the slide's title.
        legend=dict(font=dict(size=LEGEND_TEXT_PX, color=BLACK), orientation="h", x=0, xanchor="left",
                    yref="container", y=0, yanchor="bottom"),
        margin=dict(l=FIGURE_EDGE_PX, r=FIGURE_EDGE_PX, t=FIGURE_EDGE_PX, b=FIGURE_EDGE_PX),
    )
    slide.update_xaxes(tickfont=big_text, title_font=big_text)
    slide.update_yaxes(tickfont=big_text, title_font=big_text)
    for trace in slide.data:
        if trace.type == "scatter":
            _present_scatter(trace, base)
        elif trace.type == "bar":
            _present_bar(trace, base)
        elif trace.type == "choropleth":
            _present_choropleth(trace)
    if any(_is_ranking(trace) for trace in slide.data):
        # At this size Plotly would label only every other bar, and a ranking without names says nothing.
        slide.update_yaxes(dtick=1)
    for annotation in slide.layout.annotations:
        _present_annotation(annotation, base)
    return slide


# ----------------------------------------------------------------------------- the whole slide


def _legend_rows(fig: go.Figure) -> int:
    """Rows of the slide's legend, whose entries stand in LEGEND_COLUMNS columns.

    plotly.js lists every trace that does not hide itself (a choropleth only when it asks to be
    listed: its colour bar explains it), and draws a legend from two entries on unless told to.
    """
    if fig.layout.showlegend is False:
        return 0
    entries = [trace for trace in fig.data if (trace.type != "choropleth" if trace.showlegend is None else trace.showlegend)]
    told = fig.layout.showlegend or any(trace.showlegend for trace in fig.data)
    return -(-len(entries) // LEGEND_COLUMNS) if len(entries) >= 2 or told else 0


def _x_axis_height(fig: go.Figure) -> float:
    """Room for tick labels and an axis title under the plot area, if the chart has an x axis."""
    cartesian = any(hasattr(trace, "xaxis") for trace in fig.data)
    return X_AXIS_PX if cartesian and fig.layout.xaxis.visible is not False else 0


def _left_side(fig: go.Figure) -> float:
    """Room left of the plot area: enough for numeric tick labels, or for the longest bar label."""
    labels = [str(label) for trace in fig.data if _is_ranking(trace) for label in trace.y or ()]
    longest = max((len(label) for label in labels), default=0)
    return max(SLIDE_SIDE_PX, longest * CHARACTER_EM * AXIS_TEXT_PX + TICK_ROOM_PX)


def _text(lines: list[str], px: float, *, left: float, y: float, yshift: float, yanchor: str, bold: bool = False) -> dict:
    """A slide text at SLIDE_EDGE_PX from the left; `yshift` pixels off the plot area's top (y=1) or
    bottom (y=0) edge. `left` is the left margin, which paper coordinates start after."""
    shown = "<br>".join(escape(line, quote=False) for line in lines)  # data, never markup: "<" prints
    return dict(
        text=f"<b>{shown}</b>" if bold else shown,
        font=dict(size=px, color=BLACK),
        xref="paper", x=0, xanchor="left", xshift=SLIDE_EDGE_PX - left,
        yref="paper", y=y, yanchor=yanchor, yshift=yshift,
        showarrow=False, align="left",
    )


def _header(built: BuiltChart, left: float, text_width: float) -> tuple[list[dict], float]:
    """Title, headline value and its label from the top of the slide down, and the height they take."""
    parts = [(built.title, SLIDE_TITLE_PX, False)]
    if built.headline is not None:
        parts += [(built.headline.value, HEADLINE_VALUE_PX, True), (built.headline.label, HEADLINE_LABEL_PX, False)]
    placed, top = [], SLIDE_TOP_PX
    for text, px, bold in parts:
        lines = wrapped(text, px, text_width)
        placed.append((lines, px, bold, top))
        top += len(lines) * px * LINE_HEIGHT
    height = top + GAP_PX
    texts = [
        _text(lines, px, left=left, y=1, yshift=height - line_top, yanchor="top", bold=bold)
        for lines, px, bold, line_top in placed
    ]
    return texts, height


def _footer(built: BuiltChart, fig: go.Figure, left: float, text_width: float) -> tuple[list[dict], float]:
    """The source line at the bottom of the slide, and the height under the plot area: x axis, legend,
    source line."""
    lines = wrapped(built.source_line, SOURCE_PX, text_width)
    source_height = len(lines) * SOURCE_PX * LINE_HEIGHT
    height = _x_axis_height(fig) + _legend_rows(fig) * LEGEND_ROW_PX + GAP_PX + source_height + SLIDE_BOTTOM_PX
    if not lines:
        return [], height
    return [_text(lines, SOURCE_PX, left=left, y=0, yshift=SLIDE_BOTTOM_PX - height, yanchor="bottom")], height


def slide_figure(built: BuiltChart, *, width: int = 1920, height: int = 1080) -> go.Figure:
    """The whole slide as one figure: title, headline, the presented chart and the source line.

    Every text comes from `built`; long ones wrap to the slide's width.
    """
    slide = present_figure(built.figure)
    left = _left_side(slide)
    text_width = width - 2 * SLIDE_EDGE_PX
    header, top = _header(built, left, text_width)
    footer, bottom = _footer(built, slide, left, text_width)
    slide.update_layout(
        width=width,
        height=height,
        margin=dict(l=left, r=SLIDE_SIDE_PX, t=top, b=bottom),
        # Right under the x axis; paper y counts in plot-area heights, which the margins fix.
        legend=dict(yref="paper", y=-_x_axis_height(slide) / (height - top - bottom), yanchor="top",
                    entrywidthmode="fraction", entrywidth=1 / LEGEND_COLUMNS),
        annotations=[*slide.layout.annotations, *header, *footer],
    )
    return slide


def title_slide_figure(slide: TitleSlide, *, width: int = 1920, height: int = 1080) -> go.Figure:
    """A deck's title slide as a figure with no data: its title, then its lines, from the middle of the slide up."""
    text_width = width - 2 * SLIDE_EDGE_PX
    blocks = [(wrapped(slide.title, DECK_TITLE_PX, text_width), DECK_TITLE_PX, True)]
    blocks += [(wrapped(line, DECK_LINE_PX, text_width), DECK_LINE_PX, False) for line in slide.lines]
    heights = [len(lines) * px * LINE_HEIGHT + GAP_PX for lines, px, _ in blocks]
    # The title and its lines together are centred; annotations are placed in pixels from the top.
    top = max(SLIDE_TOP_PX, (height - sum(heights)) / 2)
    annotations = []
    for (lines, px, bold), block_height in zip(blocks, heights):
        annotations.append(_text(lines, px, left=0, y=1, yshift=-top, yanchor="top", bold=bold))
        top += block_height
    return go.Figure(layout=dict(
        width=width, height=height, paper_bgcolor="white", plot_bgcolor="white",
        margin=dict(l=0, r=0, t=0, b=0), xaxis=dict(visible=False), yaxis=dict(visible=False),
        annotations=annotations,
    ))

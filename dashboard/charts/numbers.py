"""A figure of big numbers with their labels: an event 'in numbers', with no axes to misread.

The numbers stand in a grid of cells that spans the figure's width. Plotly draws a text placed in
paper coordinates at its own size whatever the width, so two side by side run into each other on a
narrower screen or with longer words (Kazakh). The text of a bar, though, is made to fit inside its
bar (constraintext): so each value and each label is the text of an invisible bar that fills its
part of a cell. Where it fits it keeps its size; where it would not, it shrinks; it never reaches
the next cell.
"""

import math
import textwrap

import plotly.graph_objects as go

from dashboard.charts.theme import OKABE_ITO, TEXT_COLOUR, no_data_figure, themed_figure

COLUMNS = 3
VALUE_PX = 34
LABEL_PX = 16
LABEL_LINE_CHARS = 20  # a label wraps onto more lines past this many characters
LINE_HEIGHT = 1.3  # plotly.js's line spacing, in font sizes
TEXT_PAD_PX = 8  # room plotly.js keeps between a bar's text and its edges (3 px a side), and a little more
ROW_GAP_PX = 36  # between one row of numbers and the next
INVISIBLE = "rgba(0,0,0,0)"


def _wrapped(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_LINE_CHARS, break_long_words=False, break_on_hyphens=False) or [""]


def _text_bars(texts: list[str], cells: list[tuple[int, int]], top: float, heights: list[float], font: dict) -> dict:
    """One invisible bar per cell with its text, from `top` down by its height (in rows, from the cell's top)."""
    return {
        "type": "bar", "orientation": "h",
        # Each bar runs across its whole cell: from its column's left edge, one column long.
        "base": [column for _, column in cells], "x": [1] * len(cells),
        "y": [row + top + height / 2 for (row, _), height in zip(cells, heights)], "width": heights,
        "text": texts, "textposition": "inside", "insidetextanchor": "middle", "textangle": 0,
        "constraintext": "inside", "textfont": font,
        "marker": {"color": INVISIBLE}, "hoverinfo": "skip", "showlegend": False,
    }


def numbers_figure(numbers: list[tuple[str, str]], *, title: str) -> go.Figure:
    """numbers: (formatted value as the source states it, what it counts), in reading order."""
    if not numbers:
        return no_data_figure(title)
    columns = min(COLUMNS, len(numbers))
    rows = math.ceil(len(numbers) / columns)
    cells = [divmod(position, columns) for position in range(len(numbers))]
    labels = [_wrapped(label) for _, label in numbers]
    value_px = VALUE_PX * LINE_HEIGHT + TEXT_PAD_PX
    label_px = [len(lines) * LABEL_PX * LINE_HEIGHT + TEXT_PAD_PX for lines in labels]
    row_px = value_px + max(label_px) + ROW_GAP_PX
    # In rows (the y axis counts one per row of numbers, top down): the value, then its label right under it.
    value_bars = _text_bars([f"<b>{value}</b>" for value, _ in numbers], cells, 0, [value_px / row_px] * len(cells),
                            {"size": VALUE_PX, "color": OKABE_ITO[0]})
    label_bars = _text_bars(["<br>".join(lines) for lines in labels], cells, value_px / row_px,
                            [px / row_px for px in label_px], {"size": LABEL_PX, "color": TEXT_COLOUR})
    hidden_axis = {"visible": False, "fixedrange": True}
    figure = themed_figure(
        [value_bars, label_bars], title,
        xaxis={**hidden_axis, "range": [0, columns]},
        # Top down; the last row's gap is left out under it.
        yaxis={**hidden_axis, "range": [rows - ROW_GAP_PX / row_px, 0]},
        barmode="overlay", showlegend=False, hovermode=False,
    )
    # The rows of numbers at their own height, under a title of however many lines.
    margin = figure.layout.margin
    return figure.update_layout(height=math.ceil(rows * row_px - ROW_GAP_PX + margin.t + margin.b))

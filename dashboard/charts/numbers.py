"""A figure of big numbers with their labels: an event 'in numbers', with no axes to misread."""

import plotly.graph_objects as go

from dashboard.charts.theme import OKABE_ITO, TEXT_COLOUR, no_data_figure, themed_figure

COLUMNS = 3
VALUE_PX = 34
LABEL_PX = 16


def _text_trace(texts: list[str], x: list[float], y: list[float], position: str, font: dict) -> dict:
    # A text trace, not layout annotations: the numbers are the figure's data, as for any other chart.
    return dict(type="scatter", mode="text", x=x, y=y, text=texts, textposition=position, textfont=font,
                cliponaxis=False, hoverinfo="skip")


def numbers_figure(numbers: list[tuple[str, str]], *, title: str) -> go.Figure:
    """numbers: (formatted value as the source states it, what it counts), in reading order."""
    if not numbers:
        return no_data_figure(title)
    rows = (len(numbers) + COLUMNS - 1) // COLUMNS
    # Each number in the middle of its cell, a little above half its height: the value above, its label below.
    x = [(position % COLUMNS + 0.5) / COLUMNS for position in range(len(numbers))]
    y = [1 - (position // COLUMNS + 0.45) / rows for position in range(len(numbers))]
    traces = [
        _text_trace([f"<b>{value}</b>" for value, _ in numbers], x, y, "top center", dict(size=VALUE_PX, color=OKABE_ITO[0])),
        _text_trace([label for _, label in numbers], x, y, "bottom center", dict(size=LABEL_PX, color=TEXT_COLOUR)),
    ]
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    return themed_figure(traces, title, xaxis=hidden, yaxis=hidden, showlegend=False, height=160 * rows + 100)

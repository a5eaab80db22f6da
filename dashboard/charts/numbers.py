"""A figure of big numbers with their labels: an event 'in numbers', with no axes to misread."""

import plotly.graph_objects as go

from dashboard.charts.theme import OKABE_ITO, TEXT_COLOUR, no_data_figure, themed_figure

COLUMNS = 3


def numbers_figure(numbers: list[tuple[str, str]], *, title: str) -> go.Figure:
    """numbers: (formatted value as the source states it, what it counts), in reading order."""
    if not numbers:
        return no_data_figure(title)
    rows = (len(numbers) + COLUMNS - 1) // COLUMNS
    annotations = []
    for position, (value, label) in enumerate(numbers):
        row, column = divmod(position, COLUMNS)
        x = (column + 0.5) / COLUMNS
        y = 1 - (row + 0.45) / rows
        annotations.append(dict(text=f"<b>{value}</b>", x=x, y=y, xref="paper", yref="paper", showarrow=False,
                                font=dict(size=34, color=OKABE_ITO[0]), yanchor="bottom"))
        annotations.append(dict(text=label, x=x, y=y, xref="paper", yref="paper", showarrow=False,
                                font=dict(size=16, color=TEXT_COLOUR), yanchor="top"))
    return themed_figure([], title, xaxis={"visible": False}, yaxis={"visible": False}, annotations=annotations,
                         height=160 * rows + 100)

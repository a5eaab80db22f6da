"""A figure of big numbers with their labels: an event 'in numbers', with no axes to misread."""

import plotly.graph_objects as go

from dashboard.charts.theme import OKABE_ITO, TEXT_COLOUR, apply_layout, no_data_figure

COLUMNS = 3


def numbers_figure(numbers: list[tuple[str, str]], *, title: str) -> go.Figure:
    """numbers: (formatted value as the source states it, what it counts), in reading order."""
    if not numbers:
        return no_data_figure(title)
    fig = apply_layout(go.Figure(), title)
    rows = (len(numbers) + COLUMNS - 1) // COLUMNS
    for position, (value, label) in enumerate(numbers):
        row, column = divmod(position, COLUMNS)
        x = (column + 0.5) / COLUMNS
        y = 1 - (row + 0.45) / rows
        fig.add_annotation(text=f"<b>{value}</b>", x=x, y=y, xref="paper", yref="paper", showarrow=False,
                           font=dict(size=34, color=OKABE_ITO[0]), yanchor="bottom")
        fig.add_annotation(text=label, x=x, y=y, xref="paper", yref="paper", showarrow=False,
                           font=dict(size=16, color=TEXT_COLOUR), yanchor="top")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=160 * rows + 100)
    return fig

"""Timeline of the national Civil Forum editions, with their reported delegates and participants."""

import math

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date
from plotly.subplots import make_subplots

from dashboard.charts.theme import OKABE_ITO, TEXT_COLOUR, apply_layout, no_data_figure
from dashboard.formatting import format_fact, format_number
from i18n import current, t

# Column prefix of each figure an edition may report, in hover order; labels are forum.<prefix>.
FIGURES = ["delegates", "participants", "platforms", "proposals"]
# Log-axis ticks at 1, 2 and 5 times each power of ten: readable without the minor-tick clutter.
LOG_TICK_STEPS = (1, 2, 5)
PEOPLE_TRACES = [("delegates", OKABE_ITO[0], "circle"), ("participants", OKABE_ITO[1], "diamond")]


def _dates(edition) -> str | None:
    start, end = edition.get("start_date"), edition.get("end_date")
    if pd.isna(start):
        return None
    start_text = format_date(start, format="medium", locale=current())
    if pd.isna(end) or end == start:
        return start_text
    return f"{start_text} – {format_date(end, format='medium', locale=current())}"


def _theme(edition) -> str | None:
    """The theme in the reader's language when a source gives it, else the other language's."""
    first, second = ("theme_en", "theme_ru") if current() == "en" else ("theme_ru", "theme_en")
    for column in (first, second):
        if pd.notna(edition.get(column)):
            return edition[column]
    return None


def _hover(edition) -> str:
    lines = [t("forum.edition_year", edition=edition["edition"], year=int(edition["year"]))]
    city = edition.get(_city_column())
    for label, value in [("forum.city", city), ("forum.theme", _theme(edition)), ("forum.dates", _dates(edition))]:
        if value is not None and pd.notna(value):
            lines.append(t(label, value=value))
    for prefix in FIGURES:
        # Columns beyond the figure itself are optional, so a hand-made frame may leave them out.
        if pd.notna(edition.get(prefix)):
            fact = format_fact(edition[prefix], edition.get(f"{prefix}_high"), edition.get(f"{prefix}_qualifier"), "")
            lines.append(t(f"forum.figure.{prefix}", value=fact))
    return "<br>".join(lines)


def _city_column() -> str:
    return "city" if current() == "en" else f"city_{current()}"


def _edition_label(edition) -> str:
    city = edition.get(_city_column())
    return edition["edition"] if city is None or pd.isna(city) else f"{edition['edition']}<br>{city}"


def _editions_trace(editions: pd.DataFrame) -> go.Scatter:
    # Labels alternate above and below the markers so neighbouring years do not overlap.
    positions = ["top center" if index % 2 == 0 else "bottom center" for index in range(len(editions))]
    return go.Scatter(
        name="Edition",
        x=editions["year"].astype(int).tolist(),
        y=[0] * len(editions),
        mode="markers+text",
        text=[_edition_label(row) for _, row in editions.iterrows()],
        textposition=positions,
        textfont=dict(size=13, color=TEXT_COLOUR),
        cliponaxis=False,
        marker=dict(size=14, color=TEXT_COLOUR, symbol="diamond"),
        hovertext=[_hover(row) for _, row in editions.iterrows()],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
    )


def _people_trace(editions: pd.DataFrame, prefix: str, colour: str, symbol: str) -> go.Scatter:
    # Only editions that report the figure get a marker: a missing figure is a gap, never zero.
    reported = editions[editions[prefix].notna()]
    return go.Scatter(
        name=t(f"forum.series.{prefix}"),
        x=reported["year"].astype(int).tolist(),
        y=reported[prefix].astype(float).tolist(),
        mode="markers",
        marker=dict(size=12, color=colour, symbol=symbol),
        hovertext=[_hover(row) for _, row in reported.iterrows()],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _log_ticks(values: pd.Series) -> list[float]:
    """1-2-5 tick values from just below the smallest to just above the largest value."""
    low, high = math.floor(math.log10(values.min())), math.ceil(math.log10(values.max()))
    ticks = [step * 10**power for power in range(low, high + 1) for step in LOG_TICK_STEPS]
    below = max(tick for tick in ticks if tick <= values.min())
    above = min(tick for tick in ticks if tick >= values.max())
    return [tick for tick in ticks if below <= tick <= above]


def forum_timeline_figure(editions: pd.DataFrame, *, title: str) -> go.Figure:
    """Top row: every dated national edition with its number and city. Bottom row: reported head counts."""
    national = editions[(editions["scope"] == "national") & editions["year"].notna()].sort_values("year")
    if national.empty:
        return no_data_figure(title)
    first_year, last_year = int(national["year"].min()), int(national["year"].max())
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65], vertical_spacing=0.04)
    fig.add_trace(_editions_trace(national), row=1, col=1)
    for prefix, colour, symbol in PEOPLE_TRACES:
        fig.add_trace(_people_trace(national, prefix, colour, symbol), row=2, col=1)
    apply_layout(fig, title)
    # Every year of the span is a tick, so the years without an edition show as gaps.
    fig.update_xaxes(range=[first_year - 0.5, last_year + 0.5], dtick=1, tick0=first_year, tickformat="d")
    fig.update_xaxes(title_text=t("chart.year"), row=2, col=1)
    fig.update_yaxes(visible=False, range=[-1, 1], row=1, col=1)
    people = pd.concat([national[prefix] for prefix, *_ in PEOPLE_TRACES])
    people = people[people > 0]  # a log axis has no place for zero or missing counts
    if not people.empty:
        ticks = _log_ticks(people)
        fig.update_yaxes(tickvals=ticks, ticktext=[format_number(tick) for tick in ticks], row=2, col=1)
    fig.update_yaxes(type="log", title_text=t("forum.people_log_axis"), row=2, col=1)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"), height=520)
    return fig

"""Presenter mode (`?present=1`) and single-chart embeds (`?embed=true&chart=…`).

Presenter mode shows one slide per screen for a projector: large title, the headline figure in very
large type with its qualifier and year, the chart restyled for the back of a hall, and the source
line in small type; no sidebar and no filters, only previous/next controls. The slides come from a
deck file (`deck=<name>` for decks/<name>.toml), from the deck built in this browser session
(`deck=mine`), or from a single chart given like an embed (`chart=…` plus the page filters).
`slide=N` (1-based) is in the URL, so a link reproduces the slide; `advance=20` moves on by itself.
"""

import streamlit as st

from dashboard import catalog
from dashboard.charts.presentation import present_figure
from dashboard.components import deck_builder, reference
from dashboard.components.param_checks import parse_one
from dashboard.components.panel import plotly_config
from dashboard.decks import DECKS_DIR, Deck, DeckError, deck_names, load_deck, tier_list

MAX_SOURCES_ON_SLIDE = 4
MIN_ADVANCE_SECONDS = 5
SLIDE_CHART_HEIGHT = 560  # px: title, headline, chart and controls fit one 1080p screen

PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] {display: none !important;}
.block-container {padding-top: 1.5rem; max-width: 100% !important;}
.stApp {background: #ffffff; color: #000000;}
.slide-title {font-size: 3.2rem; font-weight: 700; line-height: 1.15; margin: 0 0 .5rem 0; color: #000;}
.slide-headline {font-size: 6.5rem; font-weight: 800; line-height: 1; color: #0072B2; margin: .25rem 0 0 0;}
.slide-headline-label {font-size: 2rem; color: #000; margin: .25rem 0 1rem 0;}
.slide-source {font-size: 1.05rem; color: #333;}
.slide-counter {text-align: center; font-size: 1.4rem; color: #000;}
</style>
"""
EMBED_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none !important;}
.block-container {padding-top: .5rem; max-width: 100% !important;}
</style>
"""


class SlideError(ValueError):
    """The link or deck names nothing that can be shown."""


def request_from_link(params) -> catalog.ChartRequest:
    """A chart request from URL parameters, using the same names as the pages' filters."""
    chart = params.get("chart", "")
    if chart not in set(catalog.chart_ids()):
        raise SlideError(f"The link asks for a chart called {chart!r}, which does not exist.")
    regions = [r for r in params.get_all("region") if r in set(reference.country_and_map_units()) | {"M49-143"}]
    years = [str(y) for y in reference.year_span()]
    year_from, _ = parse_one(params.get_all("from"), years, "")
    year_to, _ = parse_one(params.get_all("to"), years, "")
    tier, _ = parse_one(params.get_all("tier"), list(reference.tiers()["tier"]), "")
    return catalog.ChartRequest(
        chart=chart,
        regions=tuple(regions) or (reference.COUNTRY,),
        year_from=int(year_from) if year_from else None,
        year_to=int(year_to) if year_to else None,
        tiers=tier_list(tier) if tier else None,
        source=params.get("source"),
    )


def _deck_from_link(params) -> Deck:
    name = params.get("deck")
    if name == deck_builder.MY_DECK:
        slides = deck_builder.slides()
        if not slides:
            raise SlideError("Your deck is empty: add charts with 'Add to deck' on any page first.")
        return Deck(title="My deck", slides=tuple(slides))
    if name is not None:
        if name not in deck_names():
            raise SlideError(f"There is no deck called {name!r}. Decks: {', '.join(deck_names())}.")
        return load_deck(DECKS_DIR / f"{name}.toml")
    return Deck(title="", slides=(request_from_link(params),))


def _slide_number(params, count: int) -> int:
    raw = params.get("slide", "1")
    return min(max(int(raw), 1), count) if raw.isdigit() else 1


def _go_to(number: int) -> None:
    st.query_params["slide"] = str(number)


def _controls(number: int, count: int) -> None:
    previous_column, counter_column, next_column = st.columns([1, 1, 1])
    previous_column.button("Previous", icon=":material/arrow_back:", disabled=number == 1, key="slide_previous",
                           on_click=_go_to, args=(number - 1,), use_container_width=True)
    counter_column.html(f"<p class='slide-counter'>{number} / {count}</p>")
    next_column.button("Next", icon=":material/arrow_forward:", disabled=number == count, key="slide_next",
                       on_click=_go_to, args=(number + 1,), use_container_width=True)


def _auto_advance(seconds: int, number: int, count: int) -> None:
    """Move to the next slide (back to the first after the last) every `seconds`."""
    # The fragment body also runs once within the full run; only its timed reruns advance.
    st.session_state["advance_armed"] = False

    @st.fragment(run_every=seconds)
    def tick() -> None:
        if st.session_state.get("advance_armed"):
            _go_to(number % count + 1)
            st.rerun(scope="app")
        st.session_state["advance_armed"] = True

    tick()


def _sources_on_slide(built: catalog.BuiltChart) -> str:
    line = built.source_line
    credits = line.removeprefix("Sources: ").split("; ") if line else []
    if len(credits) > MAX_SOURCES_ON_SLIDE:
        more = len(credits) - MAX_SOURCES_ON_SLIDE
        return f"Sources: {'; '.join(credits[:MAX_SOURCES_ON_SLIDE])}; and {more} more (full list on the dashboard)"
    return line


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_presenter() -> None:
    st.html(PRESENTER_CSS)
    params = st.query_params
    try:
        deck = _deck_from_link(params)
    except (SlideError, DeckError) as error:
        st.error(str(error))
        return
    count = len(deck.slides)
    number = _slide_number(params, count)
    built = catalog.build(deck.slides[number - 1])

    st.html(f"<p class='slide-title'>{_escape(built.title)}</p>")
    if built.headline is not None:
        st.html(f"<p class='slide-headline'>{_escape(built.headline.value)}</p>"
                f"<p class='slide-headline-label'>{_escape(built.headline.label)}</p>")
    figure = present_figure(built.figure).update_layout(height=SLIDE_CHART_HEIGHT)
    st.plotly_chart(figure, theme=None, config=plotly_config(built.file_stem), key="slide_chart")
    st.html(f"<p class='slide-source'>{_escape(_sources_on_slide(built))}</p>")
    if count > 1:
        _controls(number, count)
    advance = params.get("advance", "")
    if advance.isdigit() and count > 1:
        _auto_advance(max(int(advance), MIN_ADVANCE_SECONDS), number, count)


def show_embed() -> None:
    """One chart alone for an iframe: title, chart and its sources line; no sidebar, no widgets."""
    st.html(EMBED_CSS)
    try:
        built = catalog.build(request_from_link(st.query_params))
    except SlideError as error:
        st.error(str(error))
        return
    st.plotly_chart(built.figure, theme=None, config=plotly_config(built.file_stem), key="embed_chart")
    st.caption(built.source_line)

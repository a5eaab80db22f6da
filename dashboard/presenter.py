"""Presenter mode (`?present=1`) and single-chart embeds (`?embed=true&chart=…`).

Presenter mode shows one slide per screen for a projector: large title, the headline figure (where the
chart has one, see catalog._latest_headline) in very large type with its qualifier and year, the chart
restyled for the back of a hall, and the source line in small type; no sidebar and no filters, only
previous/next controls. The slides come from a
deck file (`deck=<name>` for decks/<name>.toml), from the deck built in this browser session
(`deck=mine`), or from a single chart given like an embed (`chart=…` plus the page filters). A deck
opens with its title slide (see decks.title_slide).
`slide=N` (1-based) is in the URL, so a link reproduces the slide; `advance=20` moves on by itself.
The keys a presentation clicker sends move between slides: right arrow, PageDown and Space forward,
left arrow and PageUp back.
"""

from html import escape
from pathlib import Path

import streamlit as st

from dashboard import catalog
from dashboard.charts.presentation import present_figure
from dashboard.components import deck_builder, reference
from dashboard.components.param_checks import parse_one
from dashboard.components.panel import plotly_config
from dashboard.decks import DECKS_DIR, Deck, DeckError, TitleSlide, deck_names, load_deck, tier_list, title_slide
from dashboard.formatting import markdown_text
from i18n import t

MAX_SOURCES_ON_SLIDE = 4
MIN_ADVANCE_SECONDS = 5
SLIDE_CHART_HEIGHT = 560  # px: title, headline, chart and controls fit one 1080p screen
HEADLINE_HEIGHT = 190  # px the headline and its label take; a slide without them gives the room to its chart
# Keys that move a slide, as Streamlit's button shortcuts name them; the first is shown on the visible
# button. A clicker sends PageDown/PageUp or the arrow keys, some send Space for "next".
NEXT_KEYS = ("Right", "PageDown", "Space")
PREVIOUS_KEYS = ("Left", "PageUp")

STATIC_DIR = Path(__file__).resolve().parent / "static"
PRESENTER_CSS = (STATIC_DIR / "presenter.css").read_text(encoding="utf-8")
EMBED_CSS = (STATIC_DIR / "embed.css").read_text(encoding="utf-8")


class SlideError(ValueError):
    """The link or deck names nothing that can be shown."""


def request_from_link(params) -> catalog.ChartRequest:
    """A chart request from URL parameters, using the same names as the pages' filters."""
    chart = params.get("chart", "")
    if chart not in set(catalog.chart_ids()):
        raise SlideError(t("presenter.unknown_chart", chart=chart))
    regions = [r for r in params.get_all("region") if r in set(reference.linkable_regions())]
    years = [str(y) for y in reference.year_span()]
    year_from, _ = parse_one(params.get_all("from"), years, "")
    year_to, _ = parse_one(params.get_all("to"), years, "")
    tier, _ = parse_one(params.get_all("tier"), list(reference.tier_ids()), "")
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
            raise SlideError(t("presenter.empty_deck"))
        return Deck(title=t("deck.my_deck"), slides=tuple(slides))
    if name is not None:
        if name not in deck_names():
            raise SlideError(t("presenter.unknown_deck", deck=name, decks=", ".join(deck_names())))
        return load_deck(DECKS_DIR / f"{name}.toml")
    return Deck(title="", slides=(request_from_link(params),))


def _slide_number(params, count: int) -> int:
    raw = params.get("slide", "1")
    return min(max(int(raw), 1), count) if raw.isdigit() else 1


def _go_to(number: int) -> None:
    st.query_params["slide"] = str(number)


def _controls(number: int, count: int) -> None:
    previous_column, counter_column, next_column = st.columns([1, 1, 1])
    previous_column.button(t("presenter.previous"), icon=":material/arrow_back:", disabled=number == 1, key="slide_previous",
                           shortcut=PREVIOUS_KEYS[0], on_click=_go_to, args=(number - 1,), use_container_width=True)
    counter_column.html(f"<p class='slide-counter'>{number} / {count}</p>")
    next_column.button(t("presenter.next"), icon=":material/arrow_forward:", disabled=number == count, key="slide_next",
                       shortcut=NEXT_KEYS[0], on_click=_go_to, args=(number + 1,), use_container_width=True)
    # A button answers one shortcut: each other key gets a button of its own, hidden by presenter.css
    # (.st-key-slide_keys). Hidden, it still answers its key; disabled, it does not.
    with st.container(key="slide_keys"):
        for keys, target in ((NEXT_KEYS, number + 1), (PREVIOUS_KEYS, number - 1)):
            for key in keys[1:]:
                st.button(key, key=f"slide_key_{key.lower()}", shortcut=key, disabled=not 1 <= target <= count,
                          on_click=_go_to, args=(target,))


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
    credits = catalog.source_credits(built.facts)
    if len(credits) > MAX_SOURCES_ON_SLIDE:
        shown = "; ".join(credits[:MAX_SOURCES_ON_SLIDE])
        return t("presenter.sources_and_more", sources=shown, n=len(credits) - MAX_SOURCES_ON_SLIDE)
    return built.source_line


def _show_title_slide(slide: TitleSlide) -> None:
    lines = "".join(f"<p class='title-slide-line'>{escape(line)}</p>" for line in slide.lines)
    st.html(f"<div class='title-slide'><p class='slide-title'>{escape(slide.title)}</p>{lines}</div>")


def _show_chart_slide(built: catalog.BuiltChart) -> None:
    st.html(f"<p class='slide-title'>{escape(built.title)}</p>")
    chart_height = SLIDE_CHART_HEIGHT + HEADLINE_HEIGHT
    if built.headline is not None:
        st.html(f"<p class='slide-headline'>{escape(built.headline.value)}</p>"
                f"<p class='slide-headline-label'>{escape(built.headline.label)}</p>")
        chart_height = SLIDE_CHART_HEIGHT
    figure = present_figure(built.page_figure).update_layout(height=chart_height)
    st.plotly_chart(figure, theme=None, config=plotly_config(built.file_stem), key="slide_chart")
    st.html(f"<p class='slide-source'>{escape(_sources_on_slide(built))}</p>")


def show_presenter() -> None:
    st.html(PRESENTER_CSS)
    params = st.query_params
    try:
        deck = _deck_from_link(params)
    except (SlideError, DeckError) as error:
        st.error(markdown_text(str(error)))  # it quotes the link
        return
    count = deck.slide_count
    number = _slide_number(params, count)
    chart = deck.chart_at(number)
    if chart is None:
        _show_title_slide(title_slide(deck))
    else:
        _show_chart_slide(catalog.build(chart))
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
        st.error(markdown_text(str(error)))  # it quotes the link
        return
    st.plotly_chart(built.page_figure, theme=None, config=plotly_config(built.file_stem), key="embed_chart")
    st.caption(markdown_text(built.source_line))

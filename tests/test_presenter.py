"""Presenter mode, embeds and the deck built from 'Add to deck', through Streamlit's AppTest."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import catalog
from dashboard.decks import DECKS_DIR, load_deck
from dashboard.formatting import markdown_text

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def run_app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def html(at: AppTest) -> str:
    """Text of the slide: st.html blocks (title, headline, counter) and markdown."""
    return "\n".join([h.proto.body for h in at.get("html")] + [m.value for m in at.markdown])


def plot(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_presenter_opens_a_deck_with_its_title_slide():
    at = run_app(present="1", deck="civil_forum_2025")
    text = html(at)
    assert "The state and NGOs in Kazakhstan: key figures" in text  # the deck file's title
    assert "Figures as of 2025-12-19 (newest source behind these slides)" in text
    deck = load_deck(DECKS_DIR / "civil_forum_2025.toml")
    sources = set().union(*(catalog.credited_facts(catalog.build(slide).facts)["source_id"] for slide in deck.slides))
    assert f"Sources: {len(sources)}<" in text and len(sources) > 10
    assert "1 / 7" in text
    assert not at.get("plotly_chart")


def test_a_chart_slide_has_big_axes_and_no_filters():
    at = run_app(present="1", deck="civil_forum_2025", slide="2")
    text = html(at)
    assert "NGOs registered and operating" in text and "2 / 7" in text
    # Three kinds of NGO count side by side: no single figure leads, the chart speaks.
    assert "class='slide-headline'" not in text
    assert not at.selectbox and not at.multiselect and not at.get("segmented_control")
    assert plot(at)["layout"]["xaxis"]["tickfont"]["size"] >= 28


def test_the_slide_buttons_answer_the_keys_a_clicker_sends():
    at = run_app(present="1", deck="civil_forum_2025")
    shortcuts = {button.key: (button.proto.shortcut, button.disabled) for button in at.button}
    assert shortcuts == {
        "slide_previous": ("left", True), "slide_next": ("right", False),
        "slide_key_pagedown": ("pagedown", False), "slide_key_space": ("space", False), "slide_key_pageup": ("pageup", True),
    }
    at.button(key="slide_key_pagedown").click().run()
    assert at.query_params["slide"] == "2"
    at.button(key="slide_key_space").click().run()
    assert at.query_params["slide"] == "3" and "XII Civil Forum (2025) in numbers" in html(at)
    at.button(key="slide_key_pageup").click().run()
    assert at.query_params["slide"] == "2"


def test_next_and_previous_move_through_the_deck_and_the_url_follows():
    at = run_app(present="1", deck="civil_forum_2025")
    at.button(key="slide_next").click().run()
    assert at.query_params["slide"] == "2"
    assert "NGOs registered and operating" in html(at)
    at.button(key="slide_next").click().run()
    assert at.query_params["slide"] == "3"
    assert "XII Civil Forum (2025) in numbers" in html(at)
    at.button(key="slide_previous").click().run()
    assert at.query_params["slide"] == "2"


def test_a_slide_shows_no_figure_twice():
    at = run_app(present="1", deck="civil_forum_2025", slide="3")
    assert "XII Civil Forum (2025) in numbers" in html(at)
    # The chart is the edition's figures in large type; a headline over it would repeat one of them.
    assert "class='slide-headline'" not in html(at)
    assert [text for trace in plot(at)["data"] for text in trace["text"]].count("<b>more than 700</b>") == 1


def test_a_slide_link_reproduces_the_slide():
    at = run_app(present="1", deck="civil_forum_2025", slide="7")
    assert "7 / 7" in html(at)
    assert "Registered NGOs: latest value per region" in html(at)
    assert at.button(key="slide_next").disabled and at.button(key="slide_key_pagedown").disabled


def test_presenter_for_a_single_chart_with_filters():
    at = run_app(present="1", chart="ngos_registered", region="KZ-75", **{"from": "2022"})
    text = html(at)
    assert "<p class='slide-title'>Registered NGOs</p>" in text
    # Almaty's figures come from the unverified compilation only: the chart shows them, marked, but
    # none stands on the slide as its headline.
    assert "class='slide-headline'" not in text
    assert not at.get("button")  # one slide and no title slide: no controls


def test_presenter_reports_unknown_decks_and_charts():
    assert "no deck called nope" in run_app(present="1", deck="nope").error[0].value
    assert "chart called nope" in run_app(present="1", chart="nope").error[0].value
    assert "deck is empty" in run_app(present="1", deck="mine").error[0].value


def test_embed_shows_one_chart_and_its_sources_only():
    at = run_app(embed="true", chart="ngos_registered", region="KZ-75")
    figure = plot(at)
    assert [t["name"] for t in figure["data"]][0] == "Almaty"
    assert at.caption[0].value.startswith(markdown_text("Sources: "))
    assert not at.get("selectbox") and not at.get("multiselect") and not at.get("button")


def test_add_to_deck_builds_a_deck_that_can_be_presented():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["region"] = "KZ-75"
    at.query_params["from"] = "2015"  # a year in the link is bound to its picker: presenting still replaces the link
    at.run()
    at.switch_page("app_pages/ngos.py").run()
    at.button(key="counts_add_to_deck").click().run()
    at.button(key="fields_add_to_deck").click().run()
    assert at.sidebar.subheader[-1].value == "My deck: 2 slide(s)"
    at.button(key="deck_present").click().run()
    assert at.query_params["present"] == "1" and at.query_params["deck"] == "mine"
    assert "1 / 3" in html(at) and "My deck" in html(at)  # its title slide
    at.button(key="slide_next").click().run()
    assert "Almaty" in html(at)

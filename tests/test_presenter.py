"""Presenter mode, embeds and the deck built from 'Add to deck', through Streamlit's AppTest."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

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


def test_presenter_shows_the_first_slide_of_a_deck_with_its_headline():
    at = run_app(present="1", deck="civil_forum_2025")
    text = html(at)
    assert "NGOs registered and operating" in text
    assert "more than 23,000" in text and "Registered NGOs, 2025" in text
    assert "1 / 6" in text
    # No filters or other widgets: only the previous/next controls.
    assert not at.selectbox and not at.multiselect and not at.get("segmented_control")
    assert [b.key for b in at.button] == ["slide_previous", "slide_next"]
    assert plot(at)["layout"]["xaxis"]["tickfont"]["size"] >= 28


def test_next_and_previous_move_through_the_deck_and_the_url_follows():
    at = run_app(present="1", deck="civil_forum_2025")
    at.button(key="slide_next").click().run()
    assert at.query_params["slide"] == "2"
    assert "XII Civil Forum (2025) in numbers" in html(at)
    at.button(key="slide_previous").click().run()
    assert at.query_params["slide"] == "1"


def test_a_slide_link_reproduces_the_slide():
    at = run_app(present="1", deck="civil_forum_2025", slide="6")
    assert "6 / 6" in html(at)
    assert "Registered NGOs: latest value per region" in html(at)
    assert at.button(key="slide_next").disabled


def test_presenter_for_a_single_chart_with_filters():
    at = run_app(present="1", chart="ngos_registered", region="KZ-75", **{"from": "2022"})
    assert "Registered NGOs, Almaty, 2025" in html(at)
    assert not at.get("button")  # one slide: no controls


def test_presenter_reports_unknown_decks_and_charts():
    assert "no deck called nope" in run_app(present="1", deck="nope").error[0].value
    assert "chart called nope" in run_app(present="1", chart="nope").error[0].value
    assert "deck is empty" in run_app(present="1", deck="mine").error[0].value


def test_embed_shows_one_chart_and_its_sources_only():
    at = run_app(embed="true", chart="ngos_registered", region="KZ-75")
    figure = plot(at)
    assert [t["name"] for t in figure["data"]][0] == "Almaty"
    assert at.caption[0].value.startswith("Sources: ")
    assert not at.get("selectbox") and not at.get("multiselect") and not at.get("button")


def test_add_to_deck_builds_a_deck_that_can_be_presented():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["region"] = "KZ-75"
    at.run()
    at.switch_page("app_pages/ngos.py").run()
    at.button(key="counts_add_to_deck").click().run()
    at.button(key="fields_add_to_deck").click().run()
    assert at.sidebar.subheader[-1].value == "My deck: 2 slide(s)"
    at.button(key="deck_present").click().run()
    assert at.query_params["present"] == "1" and at.query_params["deck"] == "mine"
    assert "1 / 2" in html(at)
    assert "Almaty" in html(at)

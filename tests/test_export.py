"""Slides for a projector, and the exports: the HTML deck, PNG/SVG/PDF slides, and the command line.

Image tests share one kaleido server (one chromium) for the module: a browser start costs ~3 s, an
image from a running server ~0.4 s.
"""

import dataclasses
import io
import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.io as pio
import pytest
from pypdf import PdfReader

from dashboard import catalog, export
from dashboard.catalog import ChartRequest, Headline
from dashboard.charts.presentation import present_figure, slide_figure, title_slide_figure
from dashboard.decks import DECKS_DIR, Deck, TitleSlide, load_deck, title_slide
from queries.schema import UNVERIFIED_TIER

PROJECT_DIR = Path(__file__).resolve().parents[1]
EXAMPLE_DECK = DECKS_DIR / "civil_forum_2025.toml"
MISSING_CHROMIUM_MESSAGE = (
    "Image export needs Chromium at {path}: install Debian's chromium package (apt-get install chromium). "
    "The HTML export works without it."
)
# One chart of every kind the catalog builds.
EVERY_KIND = {
    "series": ChartRequest("ngo_counts", year_from=2016),
    "numbers": ChartRequest("forum_cf_12"),
    "map": ChartRequest("ngos_registered_map"),
    "timeline": ChartRequest("forum_timeline"),
    "ranking": ChartRequest("ngos_registered_ranking"),
    "shares": ChartRequest("ngo_fields"),
}


@pytest.fixture(scope="module")
def built() -> dict[str, catalog.BuiltChart]:
    return {kind: catalog.build(request) for kind, request in EVERY_KIND.items()}


@pytest.fixture(scope="module")
def image_server():
    export.start_image_server()
    yield
    export.stop_image_server()


def looks_of(marker) -> dict:
    """What a marker shows besides its size: colours, symbols, pattern, outline colour."""
    shown = {key: value for key, value in marker.to_plotly_json().items() if key not in ("size", "line")}
    return shown | {"outline": marker.line.color}


def annotation_texts(fig) -> list[str]:
    return [annotation.text for annotation in fig.layout.annotations]


def printed_texts(fig) -> list[str]:
    """Every text a figure prints on the chart itself: labels on its traces and its annotations."""
    texts = annotation_texts(fig)
    for trace in fig.data:
        text = getattr(trace, "text", None)
        texts += [text] if isinstance(text, str) else list(text or ())
    return texts


def build(chart: str, **filters) -> catalog.BuiltChart:
    return catalog.build(ChartRequest(chart, **filters))


# ----------------------------------------------------------------------------- headlines


def test_a_headline_is_the_figure_of_the_series_the_chart_is_about():
    assert build("public_councils", year_from=2020).headline == Headline("more than 260", "Public councils, 2025")
    # Almaty beside the whole country: the national series leads, whatever order the regions are in.
    for regions in (("KZ-75", "KZ"), ("KZ", "KZ-75")):
        assert build("ngos_registered", regions=regions).headline == Headline("more than 23,000", "Registered NGOs, 2025")
    # Two cities side by side, or three kinds of NGO count: no one series is what the chart is about.
    assert build("ngos_registered", regions=("KZ-75", "KZ-71")).headline is None
    assert build("ngo_counts", year_from=2016).headline is None


def test_no_headline_comes_from_the_unverified_compilation():
    # Almaty's registered NGOs: the latest figure drawn is the compilation's (an older one is UNESCO's).
    # Shown big it would read as the slide's finding; an older figure would misstate the latest.
    almaty = build("ngos_registered", regions=("KZ-75",))
    drawn = almaty.facts[almaty.facts["is_preferred"]].sort_values("year")
    assert drawn["tier"].iloc[-1] == UNVERIFIED_TIER and UNVERIFIED_TIER not in set(drawn["tier"].iloc[:1])
    assert almaty.headline is None
    # The compilation is the only regional breakdown, so the top region of a map or ranking is from it.
    assert build("ngos_registered_map").headline is None
    assert build("ngos_registered_ranking").headline is None
    # National public hearings: the latest figure drawn is the compilation's.
    assert build("public_hearings").headline is None


def test_no_headline_repeats_a_figure_the_chart_prints():
    with_headline = 0
    for chart in catalog.chart_ids():
        built = build(chart)
        if built.headline is not None:
            with_headline += 1
            assert not any(built.headline.value in text for text in printed_texts(built.figure)), chart
    assert with_headline > 10
    # The numbers of a Civil Forum edition and the shares of NGOs by field are printed by the chart itself.
    assert build("forum_cf_12").headline is None and build("ngo_fields").headline is None


# ----------------------------------------------------------------------------- present_figure


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_presented_text_is_big_and_black(built, kind):
    fig = present_figure(built[kind].figure)

    assert not fig.layout.title.text
    assert fig.layout.paper_bgcolor == "white" and fig.layout.font.color == "#000000"
    assert fig.layout.legend.font.size >= 24
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        assert axis.tickfont.size >= 28 and axis.title.font.size >= 28
        assert axis.tickfont.color == "#000000"
    for original, presented in zip(built[kind].figure.layout.annotations, fig.layout.annotations):
        assert presented.font.size >= max(24, 1.6 * (original.font.size or 14))


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_presented_traces_keep_their_data_colours_symbols_and_hover(built, kind):
    original, presented = built[kind].figure, present_figure(built[kind].figure)

    assert len(presented.data) == len(original.data)
    for before, after in zip(original.data, presented.data):
        for key in ("x", "y", "z", "locations", "hovertext", "hovertemplate", "text", "name"):
            if key in before:
                assert after[key] == before[key], key
        if "marker" in before:
            assert looks_of(after.marker) == looks_of(before.marker)
        if before.type == "scatter":
            assert after.line.width >= 5 and after.line.color == before.line.color
            sizes = after.marker.size if isinstance(after.marker.size, tuple) else [after.marker.size]
            assert min(sizes) >= 16


def test_hollow_markers_stay_hollow(built):
    fig = present_figure(built["series"].figure)
    symbols = [symbol for trace in fig.data if isinstance(trace.marker.symbol, tuple) for symbol in trace.marker.symbol]
    assert "circle-open" in symbols and "circle" in symbols
    # An open symbol is drawn by its outline alone: it must be thick enough to read as a ring.
    assert all(trace.marker.line.width >= 4 for trace in fig.data if "circle-open" in str(trace.marker.symbol))


def test_the_catalog_figure_is_left_unchanged(built):
    for chart in built.values():
        before = chart.figure.to_json()
        present_figure(chart.figure)
        slide_figure(chart)
        assert chart.figure.to_json() == before


# ----------------------------------------------------------------------------- slide_figure


def test_slide_texts_come_from_the_built_chart():
    chart = build("public_councils", year_from=2020)
    assert chart.headline == Headline("more than 260", "Public councils, 2025")
    fig = slide_figure(chart)

    assert (fig.layout.width, fig.layout.height) == (1920, 1080)
    by_text = {annotation.text.replace("<br>", " "): annotation for annotation in fig.layout.annotations}
    assert by_text[chart.title].font.size == 48
    assert by_text["<b>more than 260</b>"].font.size == 96
    assert by_text["Public councils, 2025"].font.size >= 32
    assert by_text[chart.source_line].font.size == 20
    assert fig.layout.margin.t >= 96 + 48 and fig.layout.margin.b > 20


def test_slide_texts_are_never_markup(built):
    chart = dataclasses.replace(built["series"], title="<b>NGOs</b> & <script>x</script>")
    texts = annotation_texts(slide_figure(chart))
    assert "&lt;b&gt;NGOs&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in texts
    assert not any("<script>" in text for text in texts)


def test_a_slide_without_headline_has_title_and_source_only():
    chart = dataclasses.replace(build("public_councils", year_from=2020), headline=None)
    texts = annotation_texts(slide_figure(chart))
    assert chart.title in texts and not any("260" in text for text in texts)


def test_a_slide_of_two_cities_leads_with_no_figure():
    chart = build("ngos_registered", regions=("KZ-75", "KZ-71"))
    fig = slide_figure(chart)
    assert annotation_texts(fig)[0] == "Registered NGOs"
    assert not any(annotation.font.size == 96 for annotation in fig.layout.annotations)
    assert not any("3,513" in text or "unverified" in text for text in annotation_texts(fig))


def test_the_title_slide_figure_shows_the_deck_title_and_its_lines():
    slide = TitleSlide("<b>Talk</b> & more", "2025-12-19", 4)
    fig = title_slide_figure(slide)
    assert (fig.layout.width, fig.layout.height) == (1920, 1080) and not fig.data
    texts = annotation_texts(fig)
    assert texts == ["<b>&lt;b&gt;Talk&lt;/b&gt; &amp; more</b>", *slide.lines]
    assert [annotation.font.size for annotation in fig.layout.annotations] == [80, 40, 40]
    # From the middle of the slide down, never off it.
    assert all(-1080 < annotation.yshift < -300 for annotation in fig.layout.annotations)


def test_long_titles_wrap_inside_the_slide(built):
    chart = built["shares"]
    title = next(text for text in annotation_texts(slide_figure(chart)) if text.startswith("NGOs by field"))
    assert "<br>" in title and title.replace("<br>", " ") == chart.title


# ----------------------------------------------------------------------------- images


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_of_a_chart(image_server, built):
    data = export.chart_image(built["series"], "png")
    assert png_size(data) == (1920, 1080)
    assert len(data) > 50_000


def test_svg_of_a_chart(image_server):
    data = export.chart_image(ChartRequest("ngos_registered", regions=("KZ-75",), year_from=2020), "svg")
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("1920", "1080") or root.get("viewBox") == "0 0 1920 1080"
    assert b"Registered NGOs" in data and len(data) > 5_000


def test_pdf_of_a_chart(image_server, built):
    data = export.chart_image(built["numbers"], "pdf")
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert len(data) > 10_000


def test_the_map_exports_with_the_local_base_map_only(image_server, built):
    assert png_size(export.chart_image(built["map"], "png")) == (1920, 1080)
    # The base map really comes from the folder given to kaleido, not from Plotly's CDN: pointed at an
    # empty folder, the same map fails. (This machine has no route to the internet either.)
    try:
        pio.defaults.topojson = (PROJECT_DIR / "tests").as_uri() + "/"
        with pytest.raises(Exception, match="topojson"):
            pio.to_image(slide_figure(built["map"]), format="png")
    finally:
        export.start_image_server()  # restores the local base map


def test_deck_pdf_has_one_page_per_slide(image_server):
    deck = load_deck(EXAMPLE_DECK)
    reader = PdfReader(io.BytesIO(export.deck_pdf(deck)))
    assert len(reader.pages) == len(deck.slides) + 1 == 7  # the title slide first
    first = " ".join(reader.pages[0].extract_text().split())  # a long title wraps
    assert deck.title in first and title_slide(deck).lines[-1] in first
    assert "NGOs registered and operating" in reader.pages[1].extract_text()


def test_without_chromium_images_fail_with_advice(monkeypatch, tmp_path, built):
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("KZNGO_CHROMIUM", str(missing))
    assert not export.chromium_available()
    with pytest.raises(export.ExportError) as error:
        export.chart_image(built["series"], "png")
    assert str(error.value) == MISSING_CHROMIUM_MESSAGE.format(path=missing)


def test_the_default_chromium_message_names_debians_package(monkeypatch):
    monkeypatch.delenv("KZNGO_CHROMIUM", raising=False)
    assert str(export._missing_chromium()) == MISSING_CHROMIUM_MESSAGE.format(path="/usr/bin/chromium")


# ----------------------------------------------------------------------------- the HTML deck


def test_deck_html_is_one_self_contained_file():
    deck = load_deck(EXAMPLE_DECK)
    page = export.deck_html(deck)

    assert page.count("* plotly.js v") == 1
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet|@import|@font-face", page)
    geo_assets = page.index("window.PlotlyGeoAssets = ")
    assert geo_assets < page.index("* plotly.js v")
    assert '"world_110m":{"type":"Topology"' in page[geo_assets:geo_assets + 200]
    data = json.loads(re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', page, re.S).group(1))
    assert [slide["title"] for slide in data["slides"]] == [deck.title] + [catalog.build(request).title for request in deck.slides]
    assert data["slides"][0] == {"title": deck.title, "lines": title_slide(deck).lines}
    assert data["slides"][1]["value"] == ""  # three kinds of NGO count: no single figure leads
    assert data["slides"][1]["figure"]["layout"]["xaxis"]["tickfont"]["size"] >= 28


def test_deck_html_escapes_text_from_the_deck():
    deck = Deck(title="</title><script>alert(1)</script>", slides=(ChartRequest("ngo_counts"),))
    page = export.deck_html(deck)
    assert "<script>alert(1)" not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


# ----------------------------------------------------------------------------- command line


def run_cli(*args: str, chromium: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if chromium is not None:
        env["KZNGO_CHROMIUM"] = chromium
    return subprocess.run([sys.executable, "-m", "dashboard.export", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_exports_a_chart_in_every_format(tmp_path):
    result = run_cli("chart", "ngos_registered", "--region", "KZ-75", "--from", "2020", "--to", "2025",
                     "--tier", "state_media", "--png", str(tmp_path / "a.png"), "--svg", str(tmp_path / "a.svg"),
                     "--pdf", str(tmp_path / "a.pdf"))
    assert result.returncode == 0, result.stderr
    assert png_size((tmp_path / "a.png").read_bytes()) == (1920, 1080)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert re.search(r"wrote .*a\.svg \(\d+ KB\) in \d+\.\d\d s", result.stdout)


def test_cli_reports_a_bad_deck_with_its_line(tmp_path):
    deck = tmp_path / "talk.toml"
    deck.write_text('title = "x"\n\n[[slides]]\nchart = "no_such_chart"\n', encoding="utf-8")
    result = run_cli("deck", str(deck), "--html", str(tmp_path / "out.html"))
    assert result.returncode == 2
    assert f"{deck}:4: unknown chart 'no_such_chart'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out.html").exists()


def test_cli_reports_an_unknown_chart(tmp_path):
    result = run_cli("chart", "no_such_chart", "--png", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "unknown chart 'no_such_chart'" in result.stderr and "Traceback" not in result.stderr


def test_cli_needs_an_output():
    result = run_cli("deck", str(EXAMPLE_DECK))
    assert result.returncode == 2 and "at least one output" in result.stderr


def test_cli_without_chromium_still_writes_the_html(tmp_path):
    missing = str(tmp_path / "no-chromium")
    message = MISSING_CHROMIUM_MESSAGE.format(path=missing)

    chart = run_cli("chart", "ngo_counts", "--png", str(tmp_path / "x.png"), chromium=missing)
    assert chart.returncode == 1 and message in chart.stderr and "Traceback" not in chart.stderr

    deck = run_cli("deck", str(EXAMPLE_DECK), "--html", str(tmp_path / "d.html"), "--pdf", str(tmp_path / "d.pdf"),
                   chromium=missing)
    assert deck.returncode == 1 and message in deck.stderr
    assert (tmp_path / "d.html").stat().st_size > 1_000_000 and not (tmp_path / "d.pdf").exists()

"""Every page through Streamlit's AppTest: default and linked views, the numbers in the figures."""

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard.formatting import markdown_text
from tests.reading import as_read

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = ["overview", "ngos", "public_councils", "funding", "civil_forum", "regions", "search", "indicator", "sources"]


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def figure_titled(at: AppTest, start: str) -> dict:
    matches = [f for f in figures(at) if f["layout"]["title"]["text"].startswith(start)]
    assert matches, [f["layout"]["title"]["text"] for f in figures(at)]
    return matches[0]


def trace(figure: dict, name: str) -> dict:
    matches = [t for t in figure["data"] if t.get("name") == name]
    assert matches, [t.get("name") for t in figure["data"]]
    return matches[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_defaults(page):
    at = open_page(page)
    assert at.title, "every page has a title"
    assert not at.warning, [w.value for w in at.warning]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_nonsense_in_the_link(page):
    at = open_page(page, region="XX-99", tier="nope", indicator="<script>", profile="KZ-00", view="🙂")
    # Pages without those filters simply ignore them; pages with them say what they ignored.
    if page in ("ngos", "public_councils", "funding", "indicator"):
        assert any(markdown_text("XX-99") in w.value for w in at.warning)  # the link's text, escaped


def test_overview_shows_the_headline_figures_with_qualifiers():
    at = open_page("overview")
    # Each card: its name (bold), then the metric: the year as its label, the figure linked to its chart.
    names = [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]
    metrics = {name: (m.label, m.value.partition("](")[0].lstrip("[")) for name, m in zip(names, at.metric)}
    assert metrics["Registered NGOs"] == ("2025", r"more than 23\,000")
    assert metrics[r"Operating NGOs \(ministry count\)"] == ("2025", r"more than 18\,000")
    assert metrics["EU funding for civil society in Kazakhstan"] == ("2025", r"about 5 million EUR")
    assert metrics["Latest Civil Forum"] == ("2025", r"XII\, Astana")


def test_ngos_page_draws_each_definition_as_its_own_line():
    at = open_page("ngos")
    figure = figure_titled(at, "NGOs registered and operating")
    registered = trace(figure, "Registered NGOs")
    points = dict(zip(registered["x"], registered["y"]))
    assert points[2023] == 23335
    bns = trace(figure, "Operating NGOs (statistics bureau count)")
    assert dict(zip(bns["x"], bns["y"]))[2024] == 28100


def test_ngos_page_for_almaty_2022_to_2025_from_a_link():
    at = open_page("ngos", region="KZ-75", **{"from": "2022", "to": "2025"})
    figure = figure_titled(at, "NGOs registered and operating")
    registered = trace(figure, "Registered NGOs")
    years = [x for x in registered["x"] if x is not None]
    assert min(years) >= 2022 and max(years) <= 2025
    assert dict(zip(registered["x"], registered["y"]))[2022] == 4064
    assert at.multiselect(key="region").value == ["KZ-75"]


def test_changing_a_filter_writes_its_codes_to_the_url():
    # The years are bound by Streamlit, whose browser side writes them: tests/e2e/test_journalist.py checks them.
    at = open_page("ngos")
    at.multiselect(key="region").set_value(["KZ-75", "KZ-71"]).run()
    at.selectbox(key="tier").set_value("government").run()
    assert at.query_params["region"] == ["KZ-75", "KZ-71"]
    assert at.query_params["tier"] == "government"
    at.selectbox(key="tier").set_value("unverified_compilation").run()  # every tier: the default
    assert "tier" not in at.query_params  # defaults are left out of links


def test_a_bad_year_in_the_link_falls_back_with_a_notice():
    at = open_page("ngos", **{"from": "1066"})
    assert any("1066" in w.value for w in at.warning)
    assert at.selectbox(key="from").value == int(at.selectbox(key="from").options[0])


def test_tier_filter_hides_the_unverified_compilation():
    at = open_page("ngos", region="KZ-75", tier="other_web")
    figure = figure_titled(at, "NGOs registered and operating")
    registered = trace(figure, "Registered NGOs")
    assert [x for x in registered["x"] if x is not None] == [2018]  # UNESCO's 'more than 5,000'


def test_public_councils_page_shows_2020_councils_and_multi_year_totals():
    at = open_page("public_councils")
    councils = trace(figure_titled(at, "Public councils"), "Kazakhstan")
    assert dict(zip(councils["x"], councils["y"]))[2020] == 234
    others = trace(figure_titled(at, "Public councils"), "Other reported values")
    assert {263, 264} <= set(others["y"])  # 2025 counts beside the one drawn
    # The compilation's 217 counts only councils at akimats and state bodies: its own chart, not another value here.
    assert 217 not in others["y"]
    spans = [df.value for df in at.dataframe if "Period" in df.value.columns][0]
    assert "2023-2025" in spans["Period"].tolist()


def test_council_totals_table_has_no_chart_column_and_the_download_menu_of_every_panel():
    at = open_page("public_councils")
    totals = next(df.value for df in at.dataframe if "2023-2025" in df.value.get("Period", pd.Series()).tolist())
    assert "Drawn on chart" not in totals.columns  # these totals are never drawn
    forum_figures = next(df.value for df in open_page("civil_forum").dataframe if "Period" in df.value.columns)
    assert "Drawn on chart" in forum_figures.columns  # the timeline draws those
    at.session_state["council_facts_download"] = True  # what a click on the table's Download does
    at.run()
    assert [button.proto.label for button in at.get("download_button")] == ["Download this view (CSV)"]


def test_forum_editions_table_names_each_scope_in_the_readers_language():
    editions = next(df.value for df in open_page("civil_forum", lang="kk").dataframe if "Деңгейі" in df.value.columns)
    assert set(editions["Деңгейі"]) == {"республикалық", "қалалық"}


def test_funding_page_never_mixes_currencies():
    at = open_page("funding")
    for figure in figures(at):
        title = figure["layout"]["yaxis"]["title"]["text"]
        currencies = [c for c in ("KZT", "EUR", "USD") if c in title]
        assert len(currencies) <= 1, title
    eu = trace(figure_titled(at, "EU funding for civil society in Kazakhstan"), "Kazakhstan")
    assert dict(zip(eu["x"], eu["y"]))[2025] == 5_000_000
    assert "EUR" in figure_titled(at, "EU funding for civil society in Kazakhstan")["layout"]["yaxis"]["title"]["text"]


def test_civil_forum_page_has_the_ninth_forum_with_nearly_500_delegates():
    at = open_page("civil_forum")
    figure = figure_titled(at, "Civil Forum editions")
    delegates = trace(figure, "Delegates")
    assert dict(zip(delegates["x"], delegates["y"]))[2020] == 500
    editions = at.dataframe[0].value
    assert {"IX", "XII"} <= set(editions["Edition"])


def test_regions_page_maps_all_twenty_regions_and_profiles_one():
    # Public councils by region are the compilation's count 'at akimats and state bodies' (its own indicator).
    at = open_page("regions", indicator="public_councils_akimats_state_bodies", profile="KZ-71")
    choropleths = [t for f in figures(at) for t in f["data"] if t["type"] == "choropleth"]
    locations = [loc for t in choropleths for loc in t["locations"]]
    assert len(locations) == 20 and len(set(locations)) == 20
    profile = at.dataframe[-1].value
    assert set(profile["Indicator"]) >= {"Public councils at akimats and state bodies (compilation)", "Registered NGOs"}
    # The indicator picker offers exactly the indicators with figures for several regions, and the
    # chosen one's definition stands under it.
    import queries
    catalogue = queries.run("indicator_catalogue").set_index("indicator_id")
    assert len(at.selectbox(key="indicator").options) == int((catalogue["n_regions"] > 1).sum())
    definition = markdown_text(catalogue.loc["public_councils_akimats_state_bodies", "definition"])  # data: escaped
    assert definition in [caption.value for caption in at.caption]


def test_a_region_profile_shows_its_latest_figures_then_charts_of_its_series_then_its_table():
    at = open_page("regions", profile="KZ-71")
    nodes = list(at.main)

    def position(element) -> int:
        return next(index for index, node in enumerate(nodes) if node is element)

    start = position(next(h for h in at.subheader if h.value == "Astana: latest figures"))
    cards = [metric for metric in at.metric if position(metric) > start]
    # Each card as read: its name (the line above the metric), the year (the metric's label), the figure.
    shown = {f"{as_read(nodes[position(card) - 1].value.strip('*'))}, {card.label}": as_read(card.value) for card in cards}
    assert shown["Operating NGOs (ministry count), 2025"] == "2,945" and shown["Registered NGOs, 2025"] == "3,513"
    assert shown["Population, 2026"] == "1,638,233" and shown["Operating NGOs (statistics bureau count), 2024"] == "4,100"
    # Under each figure: its source's tier (and the publisher).
    tiers = dict(zip(shown, (nodes[position(card) + 1].value for card in cards)))
    assert tiers["Registered NGOs, 2025"].startswith("Unverified third-party compilation")
    assert tiers["Operating NGOs (statistics bureau count), 2024"].startswith("Independent media")

    charts = [chart for chart in at.get("plotly_chart") if position(chart) > start]
    specs = [json.loads(chart.proto.spec) for chart in charts]
    # Indicators with figures for more than one year in Astana, each drawn for Astana alone, those every region has
    # first (titles read across their lines).
    assert [spec["layout"]["title"]["text"].replace("<br>", " ") for spec in specs][:4] == [
        "Operating NGOs (ministry count)", "Registered NGOs", "Population",
        "Public councils at akimats and state bodies (compilation)"]
    legend_only = {"Other reported values", "Unverified third-party compilation (hollow markers)"}
    assert all({trace["name"] for trace in spec["data"]} - legend_only == {"Astana"} for spec in specs)
    registered = next(trace for trace in specs[1]["data"] if trace["name"] == "Astana")
    assert [x for x in registered["x"] if x is not None] == [2022, 2023, 2024, 2025]

    table = at.dataframe[-1]
    assert max(map(position, cards)) < min(map(position, charts)) and max(map(position, charts)) < position(table)
    # One region and no chart of its own: neither a region column nor "Drawn on chart".
    assert "Region" not in table.value.columns and "Drawn on chart" not in table.value.columns
    assert {"Indicator", "Period", "Value", "Publisher", "Source tier"} <= set(table.value.columns)


def test_a_long_table_lists_its_first_facts_and_says_where_the_rest_are(monkeypatch):
    import queries
    from dashboard.components import evidence

    astana_facts = len(queries.run("all_facts", regions=["KZ-71"]))
    try:
        for limit, truncated in ((astana_facts - 1, True), (astana_facts, False)):
            monkeypatch.setattr(evidence, "TABLE_ROW_LIMIT", limit)
            evidence.query_evidence.cache_clear()
            at = open_page("regions", profile="KZ-71")
            assert len(at.dataframe[-1].value) == limit
            notice = f"Only the first {limit} facts are listed here"
            assert any(notice in caption.value for caption in at.caption) is truncated
    finally:
        evidence.query_evidence.cache_clear()


def test_a_chart_shown_with_its_citations_closed_makes_neither_its_table_nor_its_citations(monkeypatch):
    from dashboard.components import evidence

    made = []
    for name in ("table_rows", "citation"):
        function = getattr(evidence, name)
        monkeypatch.setattr(evidence, name, lambda *args, name=name, function=function: made.append(name) or function(*args))
    evidence.chart_evidence.cache_clear()  # every chart's evidence is made by this page run
    at = open_page("ngos")
    assert any("Sources:" in caption.value for caption in at.caption)
    assert made == [], "neither a table nor a citation is made for charts shown closed"
    # Opening the counts' citations makes them (and only them).
    at.session_state["counts_sources"] = True
    at.run()
    assert "citation" in made and "table_rows" not in made


def test_a_charts_downloads_are_made_when_its_download_menu_opens():
    at = open_page("ngos")
    assert not at.get("download_button")
    at.session_state["counts_download"] = True  # what a click on the NGO counts chart's Download does
    at.run()
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Download this view (CSV)", "Slide 1920×1080 (PNG)", "Slide 1920×1080 (SVG)"]


def test_sources_page_lists_sources_conflicts_and_downloads():
    at = open_page("sources")
    tables = [df.value for df in at.dataframe]
    sources = next(t for t in tables if "Statements" in t.columns)
    assert len(sources) == len(queries.run("sources"))  # every source, one row each
    assert any(title.startswith("[UNVERIFIED THIRD-PARTY COMPILATION]") for title in sources["Title"])
    assert len(at.get("download_button")) >= 2


def test_each_chart_lists_its_sources_with_one_citation_each_to_copy():
    at = open_page("ngos")
    closed = [e for e in at.expander if e.label.startswith("Sources and citations (")]
    assert len(closed) == len(at.get("plotly_chart"))
    assert not any(panel.markdown or panel.code for panel in closed)  # sent only once opened
    for panel in closed:
        at.session_state[panel.key] = True  # what a click on the expander does
    at.run()
    panels = [e for e in at.expander if e.label.startswith("Sources and citations (")]
    assert len(panels) == len(closed)
    for panel in panels:
        n_sources = int(panel.label.removeprefix("Sources and citations (").removesuffix(")"))
        entries = [line for line in panel.markdown[0].value.splitlines() if line.startswith("- **")]
        citations = panel.code[0].value.split("\n\n")
        assert len(entries) == len(citations) == n_sources > 0
        for entry, citation in zip(entries, citations):
            publisher = as_read(entry.removeprefix("- **").split("**", 1)[0])
            assert citation.startswith(f"{publisher}. \"") and "\n" not in citation, (entry, citation)
            date = citation.rsplit('". ', 1)[1].split(" http")[0]
            assert date.endswith(".") and not date.endswith(".."), citation  # "n.d." gets no second full stop


# What st.dataframe paints for a missing value when it is given no placeholder of its own.
DATAFRAME_DEFAULT_PLACEHOLDER = "None"
UNREADABLE_CELLS = {"None", "nan", "NaN", "NaT", "<NA>", "null"}


def painted_cells(table) -> list[str]:
    """Every cell of a table as the grid paints it: a missing value as the table's placeholder."""
    placeholder = table.proto.placeholder if table.proto.HasField("placeholder") else DATAFRAME_DEFAULT_PLACEHOLDER
    return [placeholder if pd.isna(value) else str(value) for column in table.value.columns for value in table.value[column]]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("page", PAGES)
def test_no_table_cell_reads_none_in_any_language(page, language):
    at = open_page(page, lang=language)
    for table in at.dataframe:
        unreadable = sorted({cell for cell in painted_cells(table) if cell in UNREADABLE_CELLS})
        assert not unreadable, (list(table.value.columns), unreadable)
    with_blanks = [table for table in at.dataframe if table.value.isna().any(axis=None)]
    assert all(table.proto.placeholder == "–" for table in with_blanks)  # an unknown date or theme: a dash


def has_data(figure: dict) -> bool:
    return any(len(trace.get(key) or ()) for trace in figure["data"] for key in ("x", "y", "z", "locations", "values"))


CITIES = {"region": ["KZ-75", "KZ-71"], "from": "2015", "to": "2025"}  # Almaty and Astana, 2015-2025


@pytest.mark.parametrize("page", ["public_councils", "funding", "civil_forum"])
def test_no_page_draws_an_empty_chart_for_two_cities(page):
    at = open_page(page, **CITIES)
    assert figures(at) and all(has_data(figure) for figure in figures(at)), \
        [figure["layout"]["title"]["text"] for figure in figures(at) if not has_data(figure)]


def test_funding_for_two_cities_shows_the_national_figures_and_says_so_once():
    at = open_page("funding", **CITIES)
    notices = [info.value for info in at.info if "national figures" in info.value]
    assert notices == ["Almaty and Astana: no figures on the charts marked “national figures”, "
                       "which show Kazakhstan as a whole instead."]
    eu = figure_titled(at, "EU funding for civil society in Kazakhstan (national figures)")
    assert dict(zip(trace(eu, "Kazakhstan")["x"], trace(eu, "Kazakhstan")["y"]))[2025] == 5_000_000
    # The Central Asia chart asks for its own region, which has figures: no stand-in there.
    assert figure_titled(at, "EU regional civil-society funding for Central Asia")["layout"]["title"]["text"].endswith("Asia")
    # US democracy aid is dated 2002-2009: one line in place of its chart.
    assert any(info.value.startswith("US assistance for democracy and governance: no figures") for info in at.info)


def test_a_region_chosen_next_to_kazakhstan_takes_its_place_and_the_page_says_so():
    at = open_page("ngos")
    assert "Choosing a region takes Kazakhstan out" in " ".join(caption.value for caption in at.sidebar.caption)
    at.multiselect(key="region").set_value(["KZ", "KZ-75"]).run()
    assert at.multiselect(key="region").value == ["KZ-75"]
    at.multiselect(key="region").set_value(["KZ-75", "KZ-71"]).run()
    at.multiselect(key="region").set_value(["KZ-75", "KZ-71", "KZ"]).run()  # added back on purpose
    assert at.multiselect(key="region").value == ["KZ-75", "KZ-71", "KZ"]
    assert at.query_params["region"] == ["KZ-75", "KZ-71", "KZ"]
    counts = figure_titled(at, "NGOs registered and operating")
    looks = [(t["line"]["color"], t["line"].get("dash"), t["marker"]["symbol"][0]) for t in counts["data"] if "line" in t]
    assert len(looks) == 9 and len(set(looks)) == 9, looks


def test_funding_in_russian_writes_each_currency_one_way():
    at = open_page("funding", lang="ru")
    headers = [header.value for header in at.header]
    assert "Европейский союз (€)" in headers and "Соединённые Штаты Америки ($)" in headers
    eu = figure_titled(at, "Финансирование ЕС")
    assert eu["layout"]["yaxis"]["title"]["text"] == "Сумма (€)"
    shown = headers + [f["layout"]["yaxis"]["title"]["text"] for f in figures(at)] + [h for f in figures(at) for t in f["data"]
                                                                                      for h in t.get("hovertext") or [] if h]
    assert not [text for text in shown if "EUR" in text or "USD" in text]


def test_a_chart_drawn_again_follows_a_data_change_and_the_readers_language(mini_data, tmp_path, monkeypatch):
    """Charts are kept between reruns (panel.show_figure); what is drawn must still be the current data in the reader's language."""
    monkeypatch.setenv("KZNGO_DATA_DIR", str(mini_data))
    monkeypatch.setenv("KZNGO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(queries.db, "_default_base", None)
    at = open_page("indicator", indicator="ngos_registered")
    (drawn,) = figures(at)
    assert dict(zip(trace(drawn, "Kazakhstan")["x"], trace(drawn, "Kazakhstan")["y"]))[2022] == 21000
    at.run()
    assert figures(at) == [drawn]

    facts = mini_data / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace("ngos_registered,KZ,2022,21000,", "ngos_registered,KZ,2022,21500,"),
                     encoding="utf-8")
    at.run()
    (redrawn,) = figures(at)
    assert dict(zip(trace(redrawn, "Kazakhstan")["x"], trace(redrawn, "Kazakhstan")["y"]))[2022] == 21500

    at.selectbox(key="lang").set_value("ru").run()
    (in_russian,) = figures(at)
    assert trace(in_russian, "Казахстан")["y"] == trace(redrawn, "Kazakhstan")["y"]

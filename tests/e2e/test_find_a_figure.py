"""A journalist who remembers a figure but not its source: search for it, then open the page that shows it."""

import re

from playwright.sync_api import Page, expect

GRID = '[data-testid="stDataFrame"]'
PAGE_LOAD_TIMEOUT_MS = 60_000


def grid_rows(page: Page) -> list[list[str]]:
    """The results table's rows as text, from the grid's accessible copy of its cells (it is drawn on a canvas)."""
    cells = page.locator(f"{GRID} table tr").evaluate_all(
        "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.textContent))")
    return [row for row in cells if row]  # the header row has no td


def click_row(page: Page, row: int, n_rows: int, x_in_grid: float) -> None:
    """Click a row of the results grid where it is drawn: the header and every row are one row height tall."""
    canvas = page.locator(f"{GRID} canvas").first.bounding_box()
    row_height = canvas["height"] / (n_rows + 1)
    x, y = canvas["x"] + x_in_grid, canvas["y"] + row_height * (row + 1.5)
    page.mouse.move(x, y)  # a person's pointer comes to the link before it clicks; the grid follows the pointer
    page.mouse.click(x, y)


def drawn_point(page: Page, year: int, value: float) -> bool:
    """Whether a chart on the page has drawn this (year, value), as plotly.js holds its data."""
    handle = page.wait_for_function(
        """([year, value]) => {
            const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.data);
            return plots.length > 0 && plots.some(p => p.data.some(t => (t.x || []).some((x, i) => x === year && t.y[i] === value)));
        }""",
        arg=[year, value],
        timeout=30_000,
    )
    return handle.json_value()


def test_a_journalist_finds_the_tripartite_alliances_100_million_and_opens_it(page, streamlit_server, open_page, wait_for_idle,
                                                                            network_log, console_errors):
    open_page(page, streamlit_server)
    page.get_by_role("link", name="Find a figure").click()
    page.wait_for_url(re.compile(r"/search"))
    wait_for_idle(page)

    box = page.get_by_label("Words or numbers")
    box.click()
    box.press_sequentially("tripartite")
    box.press("Enter")
    expect(page.locator(GRID)).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    page.wait_for_url(re.compile(r"q=tripartite"))  # the search is in the link, to share

    # The grid fills its accessible copy once it has drawn the rows.
    expect(page.locator(f"{GRID} table td").filter(has_text=re.compile(r"^100 million KZT$"))).to_have_count(1)
    rows = grid_rows(page)
    # Columns: In full (the link), Value, Unit, Period, Region, Indicator, Publisher, Published, Source tier, ...
    found = [row for row in rows if row[1] == "100 million KZT"]
    assert len(found) == 1, rows
    assert found[0][3:9] == ["2017", "Kazakhstan", "Funding of the tripartite alliance", "UNESCO Almaty Office",
                             "2018-11-14", "International body"]

    # The link column is pinned first; a click on its "show" opens the figure's page in a new tab.
    with page.context.expect_page() as opened:
        click_row(page, rows.index(found[0]), len(rows), x_in_grid=20)
    figure_page = opened.value
    figure_page.wait_for_url(re.compile(r"/indicator\?id=tripartite_alliance_funding"))
    # A new tab is a new session: the app loads as on a first visit.
    expect(figure_page.get_by_role("heading", name="Every indicator")).to_be_visible(timeout=PAGE_LOAD_TIMEOUT_MS)
    wait_for_idle(figure_page)
    expect(figure_page.get_by_role("combobox", name="Indicator")).to_have_value(
        "Funding: Funding of the tripartite alliance", timeout=PAGE_LOAD_TIMEOUT_MS)
    assert drawn_point(figure_page, 2017, 100_000_000)
    expect(figure_page.get_by_text("Sources: UNESCO Almaty Office (2018-11-14, International body)").first).to_be_visible()

    assert not network_log.not_local(), network_log.not_local()
    assert not console_errors.unexpected(), console_errors.report()

"""Text from the data files and from links is shown as text: no link, image or markup the data did not intend.

A source's publisher and title and a fact's note can come from an uploaded file (the Data desk adds
sources and notes), and a link's parameters from anyone. Here all of them are written as Markdown and
HTML that would put a phishing link, a remote image or styled text on the page if they were rendered.
"""

import csv
import io
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
HOST = "phish.example"
HOSTILE = (f"[Official login](https://{HOST}/login) ![pixel](https://{HOST}/pixel.png) "
           f"<img src='https://{HOST}/tag.png'> <a href='https://{HOST}/a'>here</a> :red[red] **bold** $x^2$ https://{HOST}/bare")
PAGES = ["Overview", "NGOs", "Public councils", "Funding", "Civil Forum", "Regions", "Find a figure", "Every indicator",
         "Sources & method"]
# Whatever the page holds that points at, or loads from, the hostile host.
PLANTED = f"""() => [...document.querySelectorAll('a[href*="{HOST}"], img[src*="{HOST}"], [style*="{HOST}"]')]
    .map(element => element.outerHTML)"""


def rewrite(path: Path, change) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        change(row)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def hostile_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))

    def sources(row):
        row["publisher"] = f"{row['publisher']} {HOSTILE}"
        row["title"] = f"{row['title']} {HOSTILE}"

    def facts(row):
        row["note"] = f"{row['note']} {HOSTILE}".strip()

    rewrite(data / "sources.csv", sources)
    rewrite(data / "facts.csv", facts)
    return data


def test_text_from_the_data_and_the_link_never_becomes_a_link_an_image_or_markup(
        page: Page, start_streamlit_server, open_page, wait_for_idle, network_log, tmp_path):
    url = start_streamlit_server(hostile_copy(tmp_path))
    open_page(page, f"{url}/sources?source=" + f"[Official login](https://{HOST}/login)".replace(" ", "%20"))
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="Official login")
    expect(warning).to_be_visible()
    # Shown as typed (an invisible word joiner keeps the address from turning into a link).
    assert f"[Official login](https://{HOST}/login)" in warning.inner_text().replace("\u2060", "")
    assert page.evaluate(PLANTED) == []

    for name in PAGES:
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()
        wait_for_idle(page)
        # Open every citations block: its entries name the sources.
        for expander in page.locator('[data-testid="stExpander"] summary').all():
            expander.click()
            wait_for_idle(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        assert page.evaluate(PLANTED) == [], name
        # The words are there, as written (not as a link named "Official login", nor as bold text).
        assert page.locator("strong, b").filter(has_text=re.compile(r"^bold$")).count() == 0, name
    assert not network_log.not_local(), network_log.not_local()

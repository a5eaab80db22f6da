"""The exported HTML deck opened from file:// as from a USB stick: it opens with its title slide, every
slide draws, the keys move between slides, the slide number survives a reload, and not one request
leaves the file."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from dashboard import catalog
from dashboard.decks import DECKS_DIR, load_deck, title_slide
from dashboard.export import deck_html

PROJECTOR = {"width": 1920, "height": 1080}
VISIBLE = ".slide:not([hidden])"
DRAWN_CHART = f"{VISIBLE} .js-plotly-plot .main-svg"
TIMEOUT_MS = 30_000


def test_deck_html_presents_every_slide_offline(browser, tmp_path):
    deck = load_deck(DECKS_DIR / "civil_forum_2025.toml")
    titles = [deck.title] + [catalog.build(request).title for request in deck.slides]
    path = tmp_path / "deck.html"
    path.write_text(deck_html(deck), encoding="utf-8")
    url = path.as_uri()

    context = browser.new_context(viewport=PROJECTOR)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        page.goto(url)
        total = len(titles)
        expect(page.locator(f"{VISIBLE}.title-slide .title-slide-line")).to_have_text(title_slide(deck).lines)
        for number, title in enumerate(titles, start=1):
            expect(page.locator(".counter")).to_have_text(f"{number} / {total}", timeout=TIMEOUT_MS)
            expect(page.locator(VISIBLE)).to_have_count(1)
            expect(page.locator(f"{VISIBLE} .slide-title")).to_have_text(title)
            if number > 1:  # the title slide has no chart
                expect(page.locator(DRAWN_CHART).first).to_be_visible(timeout=TIMEOUT_MS)
            if number > 1:
                assert urlsplit(page.url).fragment == str(number)
            page.keyboard.press("ArrowRight")

        # The last slide is the map: its regions are drawn, so the embedded base map was found.
        assert page.locator(f"{VISIBLE} path.choroplethlocation").count() == 20
        expect(page.locator(".counter")).to_have_text(f"{total} / {total}")  # no slide after the last

        page.keyboard.press("ArrowLeft")
        expect(page.locator(".counter")).to_have_text(f"{total - 1} / {total}")
        page.reload()
        expect(page.locator(".counter")).to_have_text(f"{total - 1} / {total}", timeout=TIMEOUT_MS)
        expect(page.locator(DRAWN_CHART).first).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        context.close()

    assert not page_errors, page_errors
    files = {urlsplit(request)._replace(fragment="").geturl() for request in requests}
    elsewhere = {request for request in files if urlsplit(request).scheme not in ("data", "blob")} - {url}
    assert not elsewhere, f"requests other than the file itself: {sorted(elsewhere)}"
    assert url in files

"""Presenter decks: an ordered list of slides, each a chart id with the same filters a page URL carries.

A deck is a small TOML file in decks/:

    title = "NGOs and the state: key figures"
    title_ru = "НПО и государство: ключевые цифры"      # optional: the title in Russian and Kazakh
    title_kk = "ҮЕҰ және мемлекет: негізгі сандар"

    [[slides]]
    chart = "ngo_counts"      # any id from dashboard.catalog
    from = 2015               # optional filters, as in page links
    to = 2025
    region = ["KZ"]           # one code or a list
    tier = "state_media"      # least reliable source tier to include
    source = "govkz_akk_ngos" # only for chart = "ngo_fields"

A deck with a title opens with a title slide: the title, the publication date of the newest source
behind its slides and how many distinct sources they rest on, all worked out from the data.

Every problem is reported as `file:line: what is wrong`, never as a traceback.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from dashboard import catalog
from dashboard.components import reference
from i18n import current, t

DECKS_DIR = Path(__file__).resolve().parent.parent / "decks"
SLIDE_KEYS = {"chart", "region", "from", "to", "tier", "source"}
TRANSLATED_TITLES = {"ru": "title_ru", "kk": "title_kk"}  # English is "title"
DECK_KEYS = {"title", *TRANSLATED_TITLES.values(), "slides"}
SLIDE_HEADER = re.compile(r"^\s*\[\[\s*slides\s*\]\]\s*(#.*)?$")
TOML_LINE = re.compile(r"line (\d+)")  # tomllib says "(at line 3, column 5)"


class DeckError(ValueError):
    """A deck file that cannot be presented; the message names the file and line."""


@dataclass(frozen=True)
class Deck:
    title: str  # "" for a chart presented alone, which has no title slide
    slides: tuple[catalog.ChartRequest, ...]

    @property
    def slide_count(self) -> int:
        """Slides as presented: the title slide, if the deck has a title, then one per chart."""
        return len(self.slides) + bool(self.title)

    def chart_at(self, number: int) -> catalog.ChartRequest | None:
        """The chart on slide `number` (1-based); None for the title slide."""
        index = number - 1 - bool(self.title)
        return self.slides[index] if index >= 0 else None


@dataclass(frozen=True)
class TitleSlide:
    title: str
    newest_source_date: str | None  # as the source gives it: "2025-12-19", "2025-10"; None if none is dated
    source_count: int  # distinct sources credited on the deck's slides

    @property
    def lines(self) -> list[str]:
        """The lines under the title, in the current language."""
        lines = [t("presenter.title_slide_as_of", date=self.newest_source_date)] if self.newest_source_date else []
        return lines + [t("presenter.title_slide_sources", n=self.source_count)]


def title_slide(deck: Deck) -> TitleSlide:
    """The deck's first slide, from its title and the sources its charts credit."""
    published_by_source: dict[str, str | None] = {}
    for request in deck.slides:
        facts = catalog.credited_facts(catalog.build(request).facts)
        published_by_source.update(zip(facts["source_id"], facts["published"]))
    dates = [date for date in published_by_source.values() if isinstance(date, str) and date]
    # ISO dates of any precision ("2025", "2025-10", "2025-12-19") sort as text.
    return TitleSlide(deck.title, max(dates, default=None), len(published_by_source))


def _slide_lines(text: str) -> list[int]:
    """Line number of each [[slides]] header, in order."""
    return [number for number, line in enumerate(text.splitlines(), start=1) if SLIDE_HEADER.match(line)]


def _key_line(text: str, start: int, key: str) -> int:
    """The line where `key =` appears in the slide starting at `start` (the header line if not found)."""
    lines = text.splitlines()
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if SLIDE_HEADER.match(line):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return start


def tier_list(least_reliable: str | None) -> tuple[str, ...] | None:
    """The tiers down to and including the least reliable one named; None (all) when not given."""
    if least_reliable is None:
        return None
    ranked = list(reference.tier_ids())
    return tuple(ranked[: ranked.index(least_reliable) + 1])


def _slide(raw: dict, text: str, line: int, where: str) -> catalog.ChartRequest:
    def fail(key: str, message: str) -> DeckError:
        return DeckError(f"{where}:{_key_line(text, line, key) if key else line}: {message}")

    unknown = sorted(set(raw) - SLIDE_KEYS)
    if unknown:
        raise fail(unknown[0], t("deck_error.unknown_slide_setting", setting=repr(unknown[0]), allowed=", ".join(sorted(SLIDE_KEYS))))
    if "chart" not in raw:
        raise fail("", t("deck_error.no_chart"))
    chart = raw["chart"]
    if not isinstance(chart, str) or chart not in set(catalog.chart_ids()):
        raise fail("chart", t("deck_error.unknown_chart", chart=repr(chart)))

    regions = raw.get("region", [reference.COUNTRY])
    regions = [regions] if isinstance(regions, str) else regions
    known_regions = set(reference.country_and_map_units()) | {"M49-143"}
    if not isinstance(regions, list) or not regions or any(r not in known_regions for r in regions):
        raise fail("region", t("deck_error.bad_region", value=repr(raw.get("region"))))

    years = reference.year_span()
    for key in ("from", "to"):
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] not in years):
            raise fail(key, t("deck_error.bad_year", setting=key, first=years[0], last=years[-1], value=repr(raw[key])))
    if "from" in raw and "to" in raw and raw["from"] > raw["to"]:
        raise fail("from", t("deck_error.years_reversed", first=raw["from"], last=raw["to"]))

    tiers = list(reference.tier_ids())
    if "tier" in raw and raw["tier"] not in tiers:
        raise fail("tier", t("deck_error.unknown_tier", tier=repr(raw["tier"]), tiers=", ".join(tiers)))
    if "source" in raw and not isinstance(raw["source"], str):
        raise fail("source", t("deck_error.bad_source"))

    return catalog.ChartRequest(
        chart=chart,
        regions=tuple(regions),
        year_from=raw.get("from"),
        year_to=raw.get("to"),
        tiers=tier_list(raw.get("tier")),
        source=raw.get("source"),
    )


def parse_deck(text: str, where: str = "deck") -> Deck:
    """A Deck from TOML text; DeckError with `where:line: message` for anything wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = TOML_LINE.search(str(error))
        raise DeckError(f"{where}:{match.group(1) if match else 1}: {t('deck_error.not_toml', error=str(error))}") from None
    unknown = sorted(set(data) - DECK_KEYS)
    if unknown:
        raise DeckError(f"{where}:1: {t('deck_error.unknown_deck_setting', setting=repr(unknown[0]))}")
    slides = data.get("slides")
    if not isinstance(slides, list) or not slides:
        raise DeckError(f"{where}:1: {t('deck_error.no_slides')}")
    lines = _slide_lines(text)
    for key in ("title", *TRANSLATED_TITLES.values()):
        if not isinstance(data.get(key, ""), str):
            raise DeckError(f"{where}:1: {t('deck_error.bad_title', setting=key)}")
    # The title in the reader's language where the deck gives one, else the English one.
    title = data.get(TRANSLATED_TITLES.get(current(), "title")) or data.get("title", "")
    requests = tuple(
        _slide(raw, text, lines[index] if index < len(lines) else 1, where) for index, raw in enumerate(slides)
    )
    return Deck(title=title, slides=requests)


def load_deck(path: Path) -> Deck:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DeckError(f"{path}:1: {t('deck_error.not_utf8', reason=error.reason)}") from None
    except OSError as error:
        raise DeckError(f"{path}:0: {t('deck_error.unreadable', reason=error.strerror)}") from None
    return parse_deck(text, str(path))


def deck_names() -> list[str]:
    """Decks shipped in decks/, by file stem."""
    return sorted(path.stem for path in DECKS_DIR.glob("*.toml"))


def request_to_slide(request: catalog.ChartRequest) -> dict:
    """The slide table for a chart request, leaving out defaults (the inverse of parsing)."""
    slide: dict = {"chart": request.chart}
    if list(request.regions) != [reference.COUNTRY]:
        slide["region"] = list(request.regions)
    if request.year_from is not None:
        slide["from"] = request.year_from
    if request.year_to is not None:
        slide["to"] = request.year_to
    if request.tiers is not None:
        slide["tier"] = request.tiers[-1]
    if request.source is not None:
        slide["source"] = request.source
    return slide


def deck_to_toml(title: str, requests: list[catalog.ChartRequest]) -> str:
    """Deck file text with one [[slides]] table per slide, the layout people edit by hand."""
    parts = [tomli_w.dumps({"title": title})]
    parts += [f"\n[[slides]]\n{tomli_w.dumps(request_to_slide(request))}" for request in requests]
    return "".join(parts)

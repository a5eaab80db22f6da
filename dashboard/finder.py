"""Finding a figure: the search over every fact and statement, and the view that shows each indicator in full.

A search is the words and numbers of what a reader typed. Each word must begin a word of the figure's
texts (indicator name and definition in the three languages, region, period, note, source, and the words
the dashboard shows for its qualifier, unit, tier and statement); each number must be its value or a
number written in its period, note or source title. Numbers are read the way people and this dashboard
write them: "23 335", "23,335", "7.09", "5,5 млн", "100 million", "18 000-нан". No Streamlit here.

Every result links to the Every indicator page (app_pages/indicator.py), which shows any indicator: its
figures over time when it has dated ones, and every value and statement with its source.
"""

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa
from babel.numbers import get_currency_name, get_currency_symbol

import queries
from dashboard.components import reference
from dashboard.formatting import CURRENCY_UNITS, display_table, format_fact, format_number, text_or, unit_label
from i18n import LANGUAGES, catalogue, current, localized_column, t
from dashboard.memo import per_data_version

RESULT_LIMIT = 200
MAX_SEARCH_LENGTH = 200  # characters: a search is a few words and numbers
INDICATOR_PAGE = "indicator"  # url_path of app_pages/indicator.py
INDICATOR_KEY = "id"  # its URL key (and widget key) for the indicator shown
# The topic page of each category (data/indicators.csv `category`); context figures have none.
TOPIC_PAGES = {"ngos": "app_pages/ngos.py", "public_councils": "app_pages/public_councils.py",
               "funding": "app_pages/funding.py", "forums": "app_pages/civil_forum.py"}
# A number as written: thousands grouped by a space, no-break space or comma ("23 335", "23,335"), or
# plain digits; then a decimal part after a point or comma ("7.09", "5,5"). A group is exactly three
# digits, so "13 2025" is two numbers and "5,5" a decimal.
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f,]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
TOKEN = re.compile(rf"(?P<number>{NUMBER})|(?P<word>[^\W\d_]+)")
# Words that scale the number before them, in English, Russian and Kazakh: written in full (any ending:
# "millions", "миллионов", "миллионнан") or abbreviated (exactly: "bn" must not eat "bns").
SCALE_STEMS = {"thousand": 3, "тысяч": 3, "мың": 3, "million": 6, "миллион": 6,
               "billion": 9, "миллиард": 9, "trillion": 12, "триллион": 12}
SCALE_ABBREVIATIONS = {"тыс": 3, "mln": 6, "млн": 6, "bn": 9, "bln": 9, "млрд": 9, "трлн": 12}
# A bare number also stands for the amounts the dashboard writes with it: "5" for "5 million EUR".
BARE_NUMBER_SCALES = (0, 6, 9)
# A long word is looked for without its last letters, so its other grammatical forms match too
# ("организаций" finds "организации", "альянс" finds "альянсты").
STEM_FROM_LETTERS = 6
ENDING_LETTERS = 2
RESULT_COLUMNS = ["fact", "unit_word", "period", "region_name", "indicator", "publisher", "published", "tier_name",
                  "note", "url", "view"]


class Search(NamedTuple):
    words: tuple[str, ...]  # lowercased, as typed
    numbers: tuple[tuple[float, ...], ...]  # per number, the values it stands for
    written: tuple[str, ...]  # each number as typed, with its scale word ("100 million")

    def stems(self) -> list[str]:
        return [word[:-ENDING_LETTERS] if len(word) >= STEM_FROM_LETTERS else word for word in self.words]

    def describe(self) -> str:
        """The terms as they are looked for: "tripartite · 100 million = 100,000,000 · 2017"."""
        numbers = [f"{written} = {format_number(values[0])}" if re.search(r"[^\W\d_]", written) else written
                   for written, values in zip(self.written, self.numbers)]
        return " · ".join([*self.words, *numbers])


def _scale(word: str) -> int | None:
    if word in SCALE_ABBREVIATIONS:
        return SCALE_ABBREVIATIONS[word]
    return next((power for stem, power in SCALE_STEMS.items() if word.startswith(stem)), None)


def _number(written: str) -> Decimal | None:
    """'23 335' -> 23335, '23,335' -> 23335, '5,5' -> 5.5, '7.09' -> 7.09."""
    grouped = re.fullmatch(r"(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+)(?:[.,](\d+))?", written)
    if grouped:
        integer = re.sub(r"\D", "", grouped.group(1))
        written = integer + (f".{grouped.group(2)}" if grouped.group(2) else "")
    try:
        return Decimal(written.replace(",", "."))
    except InvalidOperation:
        return None


def parse_search(text: str) -> Search:
    """The words and numbers of a search as typed; punctuation and symbols are left out."""
    text = text.lower()
    tokens = list(TOKEN.finditer(text))
    words: list[str] = []
    numbers: dict[tuple[float, ...], str] = {}  # the values each number stands for -> the number as typed
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.group("word"):
            # A Kazakh case ending after a hyphen belongs to the number or scale word before it ("18 000-нан").
            previous = tokens[position - 2] if position >= 2 else None
            attached = previous is not None and text[previous.end():token.start()] == "-"
            if not (attached and (previous.group("number") or _scale(previous.group("word")) is not None)):
                words.append(token.group("word"))
            continue
        value = _number(token.group("number"))
        if value is None:
            continue
        following = tokens[position] if position < len(tokens) else None
        power = _scale(following.group("word")) if following is not None and following.group("word") else None
        if power is not None and not text[token.end():following.start()].strip():
            position += 1
            numbers.setdefault((float(value.scaleb(power)),), f"{token.group('number')} {following.group('word')}")
        else:
            stands_for = tuple(dict.fromkeys(float(value.scaleb(power)) for power in BARE_NUMBER_SCALES))
            numbers.setdefault(stands_for, token.group("number"))
    return Search(tuple(dict.fromkeys(words)), tuple(numbers), tuple(numbers.values()))


@functools.cache
def code_words() -> dict[str, str]:
    """'qualifier:about' -> 'about около шамамен': the words readers see for the codes data files store.

    From the three catalogues (qualifier, unit, tier and statement words) and, for currencies, Babel's
    names and symbols ("tenge", "теңге"), so a search in any of the languages finds the figure.
    """
    keys: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for key, text in catalogue(language).items():
            section, _, name = key.partition(".")
            if section in ("qualifier_word", "statement"):
                code = f"{'qualifier' if section == 'qualifier_word' else 'statement'}:{name.replace('_', ' ')}"
            elif section in ("unit", "tier"):
                code = f"{section}:{name}"
            else:
                continue
            keys.setdefault(code, []).append(text)
        for currency in CURRENCY_UNITS:
            keys.setdefault(f"unit:{currency}", [currency]).extend(
                [get_currency_name(currency, locale=language), get_currency_symbol(currency, locale=language)])
    return {code: " ".join(dict.fromkeys(texts)) for code, texts in keys.items()}


def find(search: Search, limit: int | None = RESULT_LIMIT) -> pd.DataFrame:
    """The facts and statements matching a search (queries/sql/search_facts.sql); none for a search without terms."""
    words = code_words()
    return queries.run("search_facts", words=search.stems(), numbers=[list(n) for n in search.numbers],
                       code_keys=list(words), code_words=list(words.values()),
                       limit=limit if (search.words or search.numbers) else 0)


def view_link(indicator_id: str, region: str) -> str:
    """Relative link to the Indicator page showing this indicator (drawn for the region when it is a map unit)."""
    params = {INDICATOR_KEY: indicator_id}
    if region != reference.COUNTRY and region in reference.country_and_map_units():
        params["region"] = region
    params["lang"] = current()  # a new tab is a new session: it keeps the reader's language from the link
    return f"{INDICATOR_PAGE}?{urlencode(params)}"


@per_data_version()
def results(text: str) -> tuple[pa.Table, int]:
    """The figures matching a search as typed, as a reader sees them (at most RESULT_LIMIT), and how many match in all."""
    found = find(parse_search(text))
    no_date = t("sources.no_date")
    columns = {
        "fact": [t(f"statement.{statement.replace(' ', '_')}") if isinstance(statement, str)
                 else format_fact(value, high, qualifier, unit)
                 for statement, value, high, qualifier, unit
                 in zip(found["statement"], found["value"], found["value_high"], found["qualifier"], found["unit"])],
        "unit_word": [unit_label(unit) if isinstance(unit, str) else "" for unit in found["unit"]],
        "period": [text_or(period, t("search.undated")) for period in found["period"]],
        "region_name": found[f"name_{current()}"].tolist(),
        "indicator": localized_column(found, "indicator_name"),
        "publisher": found["publisher"].tolist(),
        "published": [text_or(published, no_date) for published in found["published"]],
        "tier_name": [t(f"tier.{tier}") for tier in found["tier"]],
        "note": [text_or(note, "") for note in found["note"]],
        "url": found["url"].tolist(),
        "view": [view_link(indicator, region) for indicator, region in zip(found["indicator_id"], found["region"])],
    }
    table = pd.DataFrame({t(f"search.column.{column}"): columns[column] for column in RESULT_COLUMNS})
    return display_table(table), int(found["n_matches"].iloc[0]) if not found.empty else 0


# ----------------------------------------------------------------------------- the Indicator page


@per_data_version()
def indicator_choices() -> dict[str, str]:
    """indicator_id -> 'Topic: name', every indicator, by topic (in the catalogue's order) then name."""
    indicators = reference.indicators()
    # Topics in the order the catalogue lists their names (NGOs first, context last).
    topics = [key.removeprefix("category.") for key in catalogue("en") if key.startswith("category.")]
    names = dict(zip(indicators.index, localized_column(indicators, "name")))
    topic_of = indicators["category"].to_dict()
    ordered = sorted(indicators.index, key=lambda i: (topics.index(topic_of[i]), names[i].casefold()))
    return {i: t("indicator_page.choice", topic=t(f"category.{topic_of[i]}"), name=names[i]) for i in ordered}


@per_data_version()
def _dated_regions() -> dict[str, tuple[str, ...]]:
    """indicator_id -> the regions of its dated facts, the country first."""
    coverage = queries.run("indicator_coverage")
    return {indicator: tuple(sorted(regions, key=lambda region: region != reference.COUNTRY))
            for indicator, regions in zip(coverage["indicator_id"], coverage["regions"])}


def chart_regions(indicator_id: str, chosen: list[str]) -> tuple[str, ...]:
    """The chosen regions that have dated figures of the indicator, else all regions that do; () if none has."""
    covered = _dated_regions().get(indicator_id, ())
    return tuple([region for region in chosen if region in covered] or covered)

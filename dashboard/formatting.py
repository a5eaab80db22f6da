"""Text for numbers, facts, downloads and file names, in the current language. No Streamlit here.

Numbers are formatted by Babel with each locale's own conventions (23,335 in English; 23 335 with a
no-break space in Russian and Kazakh). Money keeps its currency and is never converted: large
amounts are abbreviated ("9.6 billion KZT", "9,6 млрд ₸"). A currency is written one way in each
language, wherever it stands (values, axis titles, tables): its code in English, the sign CLDR gives
the locale in Russian and Kazakh (€, $; KZT in Russian, ₸ in Kazakh). A count's unit word is not part
of the formatted value: axis titles and table columns say what is counted.
"""

import html
import math
import re
import string
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pyarrow as pa
from babel.dates import format_date, format_time, get_timezone_gmt
from babel.numbers import format_compact_currency, format_compact_decimal, format_currency, format_decimal, get_currency_symbol

from i18n import current, t

CURRENCY_UNITS = {"KZT", "EUR", "USD"}
# Amounts from one million up are abbreviated; smaller ones are printed in full.
COMPACT_FROM = 1_000_000
NUMBER_PATTERN = "#,##0.##"
PER_RESIDENT_COUNT_PATTERN = "#,##0.0"
# An amount under COMPACT_FROM: the currency's code (¤¤) in English, the locale's sign (¤) otherwise, as currency_sign.
SMALL_AMOUNT_PATTERNS = {"en": "#,##0.## ¤¤"}
SMALL_AMOUNT_PATTERN = "#,##0.##\u00a0¤"  # a no-break space, as CLDR puts in "5 млн €"
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Any ASCII punctuation may be escaped with a backslash in Markdown; escaping all of it also stops
# Streamlit's own directives (":red[…]", ":material/…:", "$…$") from acting on text from the data.
MARKDOWN_PUNCTUATION = re.compile(f"([{re.escape(string.punctuation)}])")
# Streamlit turns web and mail addresses in Markdown into links even when escaped; an invisible word
# joiner (U+2060) where each would start ("https://", "www.", "@") keeps them text.
AUTOLINK_STARTS = re.compile(r"(?=://)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
LINK_SCHEMES = ("http", "https")
URL_KEEPS = "/:?#&=%+,;@!$'*~"  # characters of a URL that stay as they are in a Markdown link's target
# What a table shows in a cell with no value (an unknown date, theme or period), in every language.
BLANK_CELL = "–"
QUALIFIER_KEYS = {"more than": "more_than", "about": "about", "nearly": "nearly", "at least": "at_least", "up to": "up_to"}


def format_number(value: float) -> str:
    """23335 -> "23,335" (en) / "23 335" (ru, kk); at most two decimals."""
    text = format_decimal(value, format=NUMBER_PATTERN, locale=current())
    return text.lstrip("-") if float(value) == 0 else text


def format_compact(value: float) -> str:
    """A large number in the locale's short form, for axis ticks: "10B" / "10 млрд"; under a thousand in full."""
    return format_compact_decimal(value, locale=current(), fraction_digits=2)


def currency_sign(unit: str) -> str:
    """How the current language writes a currency: "EUR" in English, "€" in Russian and Kazakh."""
    language = current()
    return unit if language == "en" else get_currency_symbol(unit, locale=language)


def format_amount(value: float, unit: str) -> str:
    """An amount with what it needs to be read: currency ("5 million EUR", "5 млн €") or "%"; counts bare."""
    language = current()
    if unit in CURRENCY_UNITS:
        if abs(value) < COMPACT_FROM:
            return format_currency(value, unit, format=SMALL_AMOUNT_PATTERNS.get(language, SMALL_AMOUNT_PATTERN),
                                   locale=language, currency_digits=False)
        if language == "en":
            # Babel's English short form is "€5M"; spelled out it reads better in a citation.
            return f"{format_compact_decimal(value, format_type='long', locale='en', fraction_digits=2)} {unit}"
        return format_compact_currency(value, unit, locale=language, fraction_digits=2)
    if unit == "percent":
        return t("format.percent", value=format_number(value))
    return format_number(value)


def unit_label(unit: str) -> str:
    """What a column or axis of this unit is called: the currency as the language writes it, or the unit's name."""
    return currency_sign(unit) if unit in CURRENCY_UNITS else t(f"unit.{unit}")


def format_headline(value: float, value_high: float | None, qualifier: str | None, unit: str) -> str:
    """A value shown big (KPI card, slide): money and percentages keep their sign, counts stand bare."""
    return format_fact(value, value_high, qualifier, unit if unit in CURRENCY_UNITS or unit == "percent" else "")


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_fact(value: float, value_high: float | None, qualifier: str | None, unit: str, *,
                amount: Callable[[float, str], str] = format_amount) -> str:
    """A value as its source states it: "more than 18,000", "3,500–4,000", "about 5 million EUR".

    amount: how each number is written (format_amount; per_resident_amount for a figure per resident).
    """
    if qualifier == "between" and not _is_missing(value_high):
        return t("qualifier.between", low=amount(value, unit), high=amount(value_high, unit))
    amount = amount(value, unit)
    if _is_missing(qualifier) or qualifier not in QUALIFIER_KEYS:
        return amount
    return t(f"qualifier.{QUALIFIER_KEYS[qualifier]}", value=amount)


def per_resident_amount(value: float, unit: str) -> str:
    """A figure computed per resident (not stated by a source), at the precision a reader uses: money in whole
    units ("2,201 KZT"), a count per 10,000 residents always with one decimal ("9.0", so a column of them aligns)."""
    if unit in CURRENCY_UNITS:
        return format_amount(round(value), unit)
    return format_decimal(round(value, 1), format=PER_RESIDENT_COUNT_PATTERN, locale=current())


def format_moment(moment: datetime, timezone: str | None) -> str:
    """"December 7, 2026, 3:32 PM GMT+05:00": a moment in a reader's time zone (an IANA name; UTC if unknown)."""
    try:
        zone = ZoneInfo(timezone) if timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    local = moment.astimezone(zone)
    language = current()
    return (f"{format_date(local, 'long', locale=language)}, {format_time(local, 'short', locale=language)} "
            f"{get_timezone_gmt(local, width='long', locale=language)}")


def neutralise_csv_cell(text):
    """Prefix a text cell that a spreadsheet would run as a formula with a quote; leave others as they are."""
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """Comma-separated UTF-8 with a byte-order mark (so Excel reads Cyrillic), formulas neutralised."""
    safe = df.copy()
    for column in safe.columns:
        # Only text columns: a negative number is data, not a formula.
        if pd.api.types.is_string_dtype(safe[column]) or pd.api.types.is_object_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_csv_cell)
    return safe.to_csv(index=False).encode("utf-8-sig")


def text_or(value, fallback: str) -> str:
    """A text cell, or the fallback when it is blank (None, NaN or empty)."""
    return value if isinstance(value, str) and value else fallback


def markdown_text(text: str) -> str:
    """Text from the data or a file, escaped so that Streamlit's Markdown shows it exactly as written, never as a link."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", AUTOLINK_STARTS.sub(WORD_JOINER, str(text)))


def plotly_text(text) -> str:
    """Text from the data or a file made to print as written in a Plotly title or hover, which read <b>, <a href> and <br>."""
    return html.escape(str(text), quote=False)


def is_web_link(url) -> bool:
    """Whether a value from the data is an http(s) address, the only kind the dashboard makes a link of."""
    return isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in LINK_SCHEMES


def markdown_link(label: str, url) -> str:
    """A Markdown link with an escaped label; only the label, as text, when the URL is not http(s)."""
    if not is_web_link(url):
        return markdown_text(label)
    # Spaces, brackets and parentheses would end the link's target early: percent-encoded, they cannot.
    target = quote(url.strip(), safe=URL_KEEPS)
    return f"[{markdown_text(label)}]({target})"


def slug(text: str) -> str:
    """"NGOs registered, KZ-75, 2022–2025" -> "ngos-registered-kz-75-2022-2025", for file names."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


def display_table(frame: pd.DataFrame) -> pa.Table:
    """A table for st.dataframe, as Arrow: converted once by the memoised function that makes it.

    Given a pandas frame, Streamlit converts it to Arrow on every rerun of every session (0.3 ms for a
    short table; the Sources & method page shows six); given Arrow, it only writes the bytes. The
    index is left out: tables are shown without it.
    """
    return pa.Table.from_pandas(frame, preserve_index=False)

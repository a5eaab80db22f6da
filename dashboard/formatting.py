"""Text for numbers, facts, downloads and file names, in the current language. No Streamlit here.

Numbers are formatted by Babel with each locale's own conventions (23,335 in English; 23 335 with a
no-break space in Russian and Kazakh). Money keeps its currency and is never converted: large
amounts are abbreviated ("9.6 billion KZT", "9,6 млрд ₸"). A count's unit word is not part of the
formatted value: axis titles and table columns say what is counted.
"""

import math
import re

import pandas as pd
import pyarrow as pa
from babel.numbers import format_compact_currency, format_compact_decimal, format_decimal

from dashboard.i18n import current, t

CURRENCY_UNITS = {"KZT", "EUR", "USD"}
# Amounts from one million up are abbreviated; smaller ones are printed in full.
COMPACT_FROM = 1_000_000
NUMBER_PATTERN = "#,##0.##"
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUALIFIER_KEYS = {"more than": "more_than", "about": "about", "nearly": "nearly", "at least": "at_least", "up to": "up_to"}


def format_number(value: float) -> str:
    """23335 -> "23,335" (en) / "23 335" (ru, kk); at most two decimals."""
    text = format_decimal(value, format=NUMBER_PATTERN, locale=current())
    return text.lstrip("-") if float(value) == 0 else text


def format_amount(value: float, unit: str) -> str:
    """An amount with what it needs to be read: currency ("5 million EUR", "5 млн €") or "%"; counts bare."""
    language = current()
    if unit in CURRENCY_UNITS:
        if abs(value) < COMPACT_FROM:
            return f"{format_number(value)} {unit}"
        if language == "en":
            # Babel's English short form is "€5M"; spelled out it reads better in a citation.
            return f"{format_compact_decimal(value, format_type='long', locale='en', fraction_digits=2)} {unit}"
        return format_compact_currency(value, unit, locale=language, fraction_digits=2)
    if unit == "percent":
        return t("format.percent", value=format_number(value))
    return format_number(value)


def markdown_literal(text: str) -> str:
    """Text from the data made to print as written in st.markdown or st.caption: every character Markdown,
    HTML, LaTeX or Streamlit's :directives: would act on is backslash-escaped."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$:])", r"\\\1", text)


def unit_label(unit: str) -> str:
    """What a column or axis of this unit is called: the currency code, or the unit's name."""
    return unit if unit in CURRENCY_UNITS else t(f"unit.{unit}")


def format_headline(value: float, value_high: float | None, qualifier: str | None, unit: str) -> str:
    """A value shown big (KPI card, slide): money and percentages keep their sign, counts stand bare."""
    return format_fact(value, value_high, qualifier, unit if unit in CURRENCY_UNITS or unit == "percent" else "")


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_fact(value: float, value_high: float | None, qualifier: str | None, unit: str) -> str:
    """A value as its source states it: "more than 18,000", "3,500–4,000", "about 5 million EUR"."""
    if qualifier == "between" and not _is_missing(value_high):
        return t("qualifier.between", low=format_amount(value, unit), high=format_amount(value_high, unit))
    amount = format_amount(value, unit)
    if _is_missing(qualifier) or qualifier not in QUALIFIER_KEYS:
        return amount
    return t(f"qualifier.{QUALIFIER_KEYS[qualifier]}", value=amount)


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

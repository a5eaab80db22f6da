"""Text for numbers, facts, downloads and file names. Pure functions: no Streamlit here."""

import math
import re

import pandas as pd

CURRENCY_UNITS = {"KZT", "EUR", "USD"}

# Largest scale first; amounts below one million are printed in full.
CURRENCY_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def format_number(value: float) -> str:
    """23335 -> "23,335", 1.5 -> "1.5", 20.05 -> "20.05": comma thousands, at most 2 decimals."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _number_and_suffix(value: float, unit: str) -> tuple[str, str]:
    """Split an amount into its number and what follows it, so a range can share one suffix."""
    if unit in CURRENCY_UNITS:
        for size, word in CURRENCY_SCALES:
            if abs(value) >= size:
                return format_number(value / size), f" {word} {unit}"
    if unit == "percent":
        return format_number(value), "%"
    return format_number(value), f" {unit}" if unit else ""


def format_amount(value: float, unit: str) -> str:
    """9_600_000_000 KZT -> "9.6 billion KZT", 670_000 EUR -> "670,000 EUR", 20.05 percent -> "20.05%"."""
    number, suffix = _number_and_suffix(value, unit)
    return number + suffix


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_fact(value: float, value_high: float | None, qualifier: str | None, unit: str) -> str:
    """A value as its source states it: "more than 18,000 organizations", "3,500–4,000 organizations"."""
    if qualifier == "between" and not _is_missing(value_high):
        low, low_suffix = _number_and_suffix(value, unit)
        high, high_suffix = _number_and_suffix(value_high, unit)
        if low_suffix == high_suffix:
            return f"{low}–{high}{high_suffix}"
        return f"{low}{low_suffix}–{high}{high_suffix}"
    amount = format_amount(value, unit)
    if _is_missing(qualifier) or qualifier in ("exact", "between"):
        return amount
    return f"{qualifier} {amount}"


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


def slug(text: str) -> str:
    """"NGOs registered, KZ-75, 2022–2025" -> "ngos-registered-kz-75-2022-2025", for file names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

"""Numbers, money and qualifiers in Kazakh, Russian and English (Babel for the locale rules)."""

import pytest

from dashboard.formatting import format_amount, format_compact, format_fact, format_number, slug, unit_label
from i18n import using
from i18n.kazakh import case_ending, last_word

NBSP = "\u00a0"  # CLDR's grouping separator for ru and kk


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", 23335, "23,335"), ("ru", 23335, f"23{NBSP}335"), ("kk", 23335, f"23{NBSP}335"),
        ("en", 20.05, "20.05"), ("ru", 20.05, "20,05"), ("kk", 1.5, "1,5"),
        ("en", 18000.0, "18,000"), ("en", 0, "0"),
    ],
)
def test_numbers_follow_the_locale(language, value, text):
    with using(language):
        assert format_number(value) == text


@pytest.mark.parametrize(
    ("language", "value", "unit", "text"),
    [
        ("en", 5_000_000, "EUR", "5 million EUR"),
        ("ru", 5_000_000, "EUR", f"5{NBSP}млн{NBSP}€"),
        ("kk", 5_000_000, "EUR", f"5{NBSP}млн{NBSP}€"),
        ("en", 9_600_000_000, "KZT", "9.6 billion KZT"),
        ("kk", 9_600_000_000, "KZT", f"9,6{NBSP}млрд{NBSP}₸"),
        ("en", 6.5e12, "KZT", "6.5 trillion KZT"),
        ("en", 670_000, "EUR", "670,000 EUR"),
        ("ru", 670_000, "EUR", f"670{NBSP}000{NBSP}€"),  # written as in "5 млн €"
        ("kk", 670_000, "KZT", f"670{NBSP}000{NBSP}₸"),
        ("en", 20.05, "percent", "20.05%"),
        ("ru", 20.05, "percent", "20,05%"),
        ("en", 23335, "organizations", "23,335"),  # counts carry no unit word: the axis or column says it
    ],
)
def test_money_keeps_its_currency_and_is_abbreviated_per_locale(language, value, unit, text):
    with using(language):
        assert format_amount(value, unit) == text


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("unit", ["KZT", "EUR", "USD"])
def test_a_currency_is_written_one_way_in_each_language(language, unit):
    """Small amounts, abbreviated amounts and the unit of an axis or a table column name the currency alike."""
    with using(language):
        sign = unit_label(unit)
        assert format_amount(670_000, unit).endswith(sign)
        assert format_amount(9_600_000_000, unit).endswith(sign)
    assert (sign == unit) is (language == "en" or (language, unit) == ("ru", "KZT")), sign


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [("en", 10_000_000_000, "10B"), ("ru", 10_000_000_000, f"10{NBSP}млрд"), ("kk", 10_000_000_000, f"10{NBSP}млрд"),
     ("en", 2_500_000, "2.5M"), ("ru", 2_500_000, f"2,5{NBSP}млн"), ("en", 0, "0")],
)
def test_axis_ticks_of_large_amounts_are_short_in_each_language(language, value, text):
    with using(language):
        assert format_compact(value) == text


@pytest.mark.parametrize(
    ("language", "value", "value_high", "qualifier", "unit", "text"),
    [
        ("en", 18000, None, "more than", "organizations", "more than 18,000"),
        ("ru", 18000, None, "more than", "organizations", f"более 18{NBSP}000"),
        ("kk", 18000, None, "more than", "organizations", f"18{NBSP}000-нан астам"),
        ("en", 500, float("nan"), "nearly", "persons", "nearly 500"),
        ("ru", 500, None, "nearly", "persons", "почти 500"),
        ("kk", 500, None, "nearly", "persons", "500-ге жуық"),
        ("en", 5_000_000, None, "about", "EUR", "about 5 million EUR"),
        ("ru", 5_000_000, None, "about", "EUR", f"около 5{NBSP}млн{NBSP}€"),
        ("kk", 5_000_000, None, "about", "EUR", f"шамамен 5{NBSP}млн{NBSP}€"),
        ("en", 3500, 4000, "between", "organizations", "3,500–4,000"),
        ("en", 23335, None, "exact", "organizations", "23,335"),
        ("en", 700, None, "at least", "persons", "at least 700"),
        ("kk", 700, None, "up to", "persons", "700-ге дейін"),
        ("en", 10, 20, "between", "percent", "10%–20%"),
    ],
)
def test_facts_keep_their_qualifier_in_each_language(language, value, value_high, qualifier, unit, text):
    with using(language):
        assert format_fact(value, value_high, qualifier, unit) == text


@pytest.mark.parametrize(
    ("number", "word"),
    [(0, "нөл"), (5, "бес"), (12, "екі"), (20, "жиырма"), (260, "алпыс"), (500, "жүз"), (850, "елу"),
     (18000, "мың"), (2100, "жүз"), (5_000_000, "миллион"), (9_000_000_000, "миллиард"), (1001, "бір")],
)
def test_kazakh_numbers_end_with_the_word_they_are_read_as(number, word):
    assert last_word(number) == word


@pytest.mark.parametrize(
    ("text", "case", "ending"),
    [("18 000", "abl", "-нан"), ("260", "abl", "-тан"), ("700", "abl", "-ден"), ("20", "abl", "-дан"), ("3", "abl", "-тен"),
     ("500", "dat", "-ге"), ("40", "dat", "-қа"), ("3", "dat", "-ке"), ("20,05%", "abl", "-дан"), ("9,6 млрд ₸", "dat", "-ге")],
)
def test_kazakh_case_endings_follow_vowel_harmony_and_the_last_sound(text, case, ending):
    assert case_ending(text, case) == ending


@pytest.mark.parametrize(
    ("text", "name"),
    [("NGOs registered, KZ-75, 2022–2025", "ngos-registered-kz-75-2022-2025"),
     ("Зарегистрированные НПО, Алматы", "зарегистрированные-нпо-алматы")],
)
def test_file_names_keep_letters_of_any_alphabet(text, name):
    assert slug(text) == name


def test_addresses_in_text_from_the_data_stay_text_in_markdown():
    from dashboard.formatting import markdown_text

    shown = markdown_text("see https://phish.example/a, www.phish.example and a@phish.example")
    # A word joiner where Streamlit would start a link; nothing else added but the escapes.
    assert "\u2060\\:\\/\\/phish" in shown and "www\u2060\\." in shown and "a\u2060\\@phish" in shown
    assert shown.replace("\u2060", "").replace("\\", "") == "see https://phish.example/a, www.phish.example and a@phish.example"

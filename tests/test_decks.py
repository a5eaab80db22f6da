"""Deck files: the shipped example parses, and every kind of mistake names its line."""

import pytest

from dashboard.catalog import ChartRequest
from dashboard.decks import DECKS_DIR, DeckError, deck_names, deck_to_toml, load_deck, parse_deck

GOOD_SLIDE = '[[slides]]\nchart = "ngo_counts"\n'


def test_the_example_deck_has_the_seed_figures_slides():
    deck = load_deck(DECKS_DIR / "civil_forum_2025.toml")
    assert [slide.chart for slide in deck.slides] == [
        "ngo_counts", "forum_cf_12", "public_councils", "eu_funding_amount", "state_social_order_amount", "ngos_registered_map",
    ]
    assert deck.slides[0].year_from == 2016
    assert "civil_forum_2025" in deck_names()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('title = "x"\n' + GOOD_SLIDE + '\n[[slides]]\nchart = "no_such_chart"\n', 6, "unknown chart 'no_such_chart'"),
        ('title = "x"\n' + GOOD_SLIDE + "from = 1850\n", 4, "from must be a year"),
        ('title = "x"\n' + GOOD_SLIDE + 'region = ["KZ-99"]\n', 4, "region must be one or more region codes"),
        ('title = "x"\n' + GOOD_SLIDE + 'tier = "rumour"\n', 4, "unknown tier 'rumour'"),
        ('title = "x"\n' + GOOD_SLIDE + "from = 2024\nto = 2020\n", 4, "from (2024) is after to (2020)"),
        ('title = "x"\n' + GOOD_SLIDE + 'colour = "red"\n', 4, "unknown setting 'colour'"),
        ('title = "x"\n[[slides]]\nfrom = 2020\n', 2, "slide has no chart"),
        ('title = "x"\n\n[[slides]\nchart = "ngo_counts"\n', 3, "not valid TOML"),
        ('title = "x"\n', 1, "no [[slides]]"),
        ('theme = "dark"\n' + GOOD_SLIDE, 1, "unknown setting 'theme'"),
    ],
)
def test_a_bad_deck_is_reported_with_its_line(text, line, words):
    with pytest.raises(DeckError) as error:
        parse_deck(text, "talk.toml")
    assert str(error.value).startswith(f"talk.toml:{line}: ")
    assert words in str(error.value)


def test_unreadable_files_are_reported_not_raised(tmp_path):
    binary = tmp_path / "deck.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    with pytest.raises(DeckError, match=r"deck.toml:1: not a UTF-8 text file"):
        load_deck(binary)
    with pytest.raises(DeckError, match="cannot be read"):
        load_deck(tmp_path / "missing.toml")


def test_a_downloaded_deck_reads_back_the_same():
    slides = [
        ChartRequest("ngo_counts", year_from=2016),
        ChartRequest("ngos_registered", regions=("KZ-75", "KZ-71"), year_from=2022, year_to=2025),
        ChartRequest("ngo_fields", source="govkz_akk_ngos", tiers=("official_statistics", "government")),
    ]
    text = deck_to_toml("Mine", slides)
    assert text.count("[[slides]]") == 3
    deck = parse_deck(text)
    assert deck.title == "Mine" and list(deck.slides) == slides

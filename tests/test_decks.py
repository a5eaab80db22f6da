"""Deck files: the shipped example parses, and every kind of mistake names its line."""

import pytest

from dashboard import catalog
from dashboard.catalog import ChartRequest
from dashboard.decks import DECKS_DIR, Deck, DeckError, TitleSlide, deck_names, deck_to_toml, load_deck, parse_deck, title_slide
from i18n import using

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
        ('title_kk = 3\n' + GOOD_SLIDE, 1, "title_kk must be text"),
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


@pytest.mark.parametrize(("language", "title"), [("en", "Key figures"), ("ru", "Ключевые цифры"), ("kk", "Key figures")])
def test_a_deck_is_titled_in_the_readers_language_where_it_gives_that_title(language, title):
    text = 'title = "Key figures"\ntitle_ru = "Ключевые цифры"\n' + GOOD_SLIDE  # no Kazakh title: the English one
    with using(language):
        assert parse_deck(text).title == title


# ----------------------------------------------------------------------------- the title slide

# The XII Civil Forum's figures credit four sources, the newest published on 2025-12-19:
# Kazakhstanskaya Pravda (undated), BAQ.KZ (2025-10-16), Kazakhstanskaya Pravda (2025-12-19), Silk Way TV (2025-10).
FORUM_SLIDE = ChartRequest("forum_cf_12")


def test_a_title_slide_counts_the_distinct_sources_behind_the_slides():
    assert title_slide(Deck("Talk", (FORUM_SLIDE,))) == TitleSlide("Talk", "2025-12-19", 4)
    # A source behind two slides is one source.
    assert title_slide(Deck("Talk", (FORUM_SLIDE, FORUM_SLIDE))).source_count == 4
    # Two slides count the sources of either, each once.
    series = ChartRequest("state_social_order_amount")
    credited = {request: set(catalog.credited_facts(catalog.build(request).facts)["source_id"]) for request in (FORUM_SLIDE, series)}
    assert credited[series] - credited[FORUM_SLIDE], "the series rests on sources of its own"
    both = title_slide(Deck("Talk", (FORUM_SLIDE, series)))
    assert both.source_count == len(credited[FORUM_SLIDE] | credited[series])


def test_the_title_slide_comes_first_in_a_deck_with_a_title_only():
    deck = Deck("Talk", (FORUM_SLIDE, ChartRequest("ngo_counts")))
    assert deck.slide_count == 3
    assert [deck.chart_at(number) for number in (1, 2, 3)] == [None, FORUM_SLIDE, ChartRequest("ngo_counts")]
    alone = Deck("", (FORUM_SLIDE,))  # a chart presented from a link
    assert alone.slide_count == 1 and alone.chart_at(1) == FORUM_SLIDE


@pytest.mark.parametrize(("language", "lines"), [
    ("en", ["Figures as of 2025-12-19 (newest source behind these slides)", "Sources: 4"]),
    ("ru", ["Данные по состоянию на 2025-12-19 (дата самого свежего источника этих слайдов)", "Источников: 4"]),
    ("kk", ["Деректер 2025-12-19 жағдай бойынша (осы слайдтардағы ең жаңа дереккөз)", "Дереккөздер саны: 4"]),
])
def test_the_title_slide_says_its_date_and_source_count_in_the_readers_language(language, lines):
    with using(language):
        assert title_slide(Deck("Talk", (FORUM_SLIDE,))).lines == lines


def test_a_title_slide_without_a_dated_source_has_no_date_line():
    assert TitleSlide("Talk", None, 1).lines == ["Sources: 1"]

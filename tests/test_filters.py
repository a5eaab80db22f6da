"""The region filter's rules (dashboard/components/filters.py), without Streamlit running."""

import pytest

from dashboard.components.filters import region_notice_text, regions_to_compare
from i18n import using

NAMES = {"KZ": "Kazakhstan", "KZ-75": "Almaty", "KZ-71": "Astana", "KZ-19": "Almaty Region"}


@pytest.mark.parametrize(("before", "after", "kept"), [
    (["KZ"], ["KZ", "KZ-75"], ["KZ-75"]),  # a region added next to Kazakhstan takes its place
    (["KZ"], ["KZ", "KZ-75", "KZ-71"], ["KZ-75", "KZ-71"]),  # a link's or a test's several at once
    (["KZ-75"], ["KZ-75", "KZ"], ["KZ-75", "KZ"]),  # Kazakhstan added back on purpose stays
    (["KZ-75", "KZ"], ["KZ-75", "KZ", "KZ-71"], ["KZ-75", "KZ-71"]),  # until another region is added
    (["KZ", "KZ-75", "KZ-71"], ["KZ", "KZ-71"], ["KZ", "KZ-71"]),  # removing a region removes nothing else
    (["KZ-75"], [], []),
])
def test_a_region_added_next_to_kazakhstan_takes_its_place(before, after, kept):
    assert regions_to_compare(before, after) == kept


def test_charts_showing_the_country_instead_are_named_once_in_one_line():
    charts = [("State grants (national figures)", ("KZ-75", "KZ-71"), True),
              ("EU funding (national figures)", ("KZ-75", "KZ-71"), True)]
    with using("en"):
        text = region_notice_text(charts, NAMES)
    assert text == "Almaty and Astana: no figures on the charts marked “national figures”, which show Kazakhstan as a whole instead."
    with using("ru"):
        assert region_notice_text(charts, NAMES).startswith("Almaty и Astana: нет данных")


def test_charts_missing_some_of_the_regions_are_listed_by_the_regions_they_miss():
    charts = [("Social sector spending", ("KZ-71",), False), ("Social sector share", ("KZ-71",), False),
              ("Public councils (national figures)", ("KZ-75", "KZ-71"), True), ("Hearings", ("KZ-19",), False)]
    with using("en"):
        lines = region_notice_text(charts, NAMES).split("  \n")
    assert lines == [
        "Almaty and Astana: no figures on the charts marked “national figures”, which show Kazakhstan as a whole instead.",
        "Astana: no figures on these charts, which show the other regions chosen: Social sector spending; Social sector share.",
        "Almaty Region: no figures on these charts, which show the other regions chosen: Hearings.",
    ]
    assert region_notice_text([], NAMES) is None


def test_names_from_the_data_are_shown_as_written_never_as_markup():
    with using("en"):
        text = region_notice_text([("*Bold* [link](x)", ("KZ-75",), False)], NAMES)
    assert "\\*Bold\\* \\[link\\]\\(x\\)" in text


def test_an_oversized_link_value_is_refused_unread_and_named_short():
    from dashboard.components.param_checks import MAX_VALUE_CHARS, SHOWN_CHARS, parse_list, parse_one

    huge = "KZ-75" * 8000  # a 40 kB region= value
    chosen, issue = parse_list([huge, "KZ-71"], ["KZ", "KZ-71", "KZ-75"], ["KZ"])
    assert chosen == ["KZ-71"] and len(issue.raw) == SHOWN_CHARS + 1 and issue.raw.endswith("…")
    chosen, issue = parse_one(["2020" + "0" * MAX_VALUE_CHARS], ["2020"], "2020")
    assert chosen == "2020" and issue is not None
    # Thousands of repeated keys: only the first ones are read.
    chosen, issue = parse_list(["KZ-71"] * 500 + ["KZ-75"], ["KZ", "KZ-71", "KZ-75"], ["KZ"])
    assert chosen == ["KZ-71"] and issue is not None

"""The indicators the Overview page leads with, where each card's figure comes from, and when a figure is old.

No Streamlit here: the benchmark asks the same question, and the rules are unit-tested.
"""

from datetime import date
from typing import NamedTuple
from urllib.parse import urlencode


class ChartPlace(NamedTuple):
    """A chart on a page: the page's URL path and the chart id, which its panel carries as its anchor."""

    page: str
    chart: str


# Headline indicator -> the chart that draws its figure, in the order the cards are shown.
HEADLINE_CHARTS = {
    "ngos_registered": ChartPlace("ngos", "ngo_counts"),
    "ngos_operating": ChartPlace("ngos", "ngo_counts"),
    "public_councils": ChartPlace("public-councils", "public_councils"),
    "public_council_members": ChartPlace("public-councils", "public_council_members"),
    "state_social_order_amount": ChartPlace("funding", "state_social_order_amount"),
    "state_grants_amount": ChartPlace("funding", "state_grants_amount"),
    "eu_funding_amount": ChartPlace("funding", "eu_funding_amount"),
}
HEADLINE_INDICATORS = tuple(HEADLINE_CHARTS)
FORUM_CHART = ChartPlace("civil-forum", "forum_timeline")

# Annual national figures appear a year or two after the year they describe; a newest figure older
# than that is out of date, and its card says how old it is.
STALE_AFTER_YEARS = 2


def years_old_if_stale(year: int, today: date) -> int | None:
    """How many years old the newest figure (for `year`) is, when that is more than STALE_AFTER_YEARS; else None."""
    age = today.year - year
    return age if age > STALE_AFTER_YEARS else None


def chart_link(place: ChartPlace, language: str | None) -> str:
    """A link, relative to the app's root, that opens the page scrolled to the chart, in the language if one is given."""
    query = f"?{urlencode({'lang': language})}" if language else ""
    return f"{place.page}{query}#{place.chart}"

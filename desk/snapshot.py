"""The data files as the import checks a file against them, read once per preview.

Besides the facts and sources, it holds every spelling a file may use for a region, qualifier or tier,
so a row's names are looked up rather than parsed, and a near miss can be suggested.
"""

import csv
import difflib
from dataclasses import dataclass
from pathlib import Path

from desk.cells import folded
from i18n import Message, message, quoted
from queries import schema
from queries.validate import UnitRule, unit_rules

SUGGESTION_CUTOFF = 0.6
# Words for a qualifier in Russian and Kazakh files, besides the qualifiers.csv words and labels.
QUALIFIER_WORDS = {
    "более": "more than", "свыше": "more than", "больше": "more than", "астам": "more than",
    "около": "about", "примерно": "about", "порядка": "about", "шамамен": "about",
    "не менее": "at least", "кем дегенде": "at least",
    "почти": "nearly", "жуық": "nearly",
    "до": "up to", "дейін": "up to",
    "от и до": "between", "аралығында": "between",
}


def _read_rows(data_dir: Path, table: schema.Table) -> list[dict[str, str]]:
    with open(data_dir / table.file, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def region_key(text: str) -> str:
    """Region names match ignoring case, spaces, dots and dashes: "Г.НУР-СУЛТАН" = "г. Нур-Султан"."""
    return "".join(ch for ch in folded(text) if ch.isalnum())


@dataclass
class DataSnapshot:
    facts: list[dict[str, str]]
    sources: dict[str, dict[str, str]]
    indicators: dict[str, dict[str, str]]
    region_names: dict[str, str]  # code -> English name
    region_codes: dict[str, str]  # region_key(any name, alias or code) -> code
    region_spellings: dict[str, str]  # folded(any name, alias or code) -> code, for suggestions
    qualifiers: dict[str, str]  # folded(word or label) -> qualifier
    tiers: dict[str, str]  # folded(tier or label) -> tier
    events: set[str]
    units: dict[str, UnitRule]  # unit -> what a plausible figure in it is (units.csv)

    @classmethod
    def load(cls, data_dir: Path) -> "DataSnapshot":
        regions = _read_rows(data_dir, schema.REGIONS)
        names = [(row[column], row["iso_code"]) for row in regions
                 for column in ("iso_code", "name_en", "name_ru", "name_kk")]
        names += [(row["alias"], row["iso_code"]) for row in _read_rows(data_dir, schema.REGION_ALIASES)]
        codes: dict[str, set[str]] = {}
        for name, code in names:
            codes.setdefault(region_key(name), set()).add(code)
        qualifiers = {}
        for row in _read_rows(data_dir, schema.QUALIFIERS):
            qualifiers[folded(row["qualifier"])] = qualifiers[folded(row["label"])] = row["qualifier"]
        tiers = {}
        for row in _read_rows(data_dir, schema.TIERS):
            tiers[folded(row["tier"])] = tiers[folded(row["label"])] = row["tier"]
        return cls(
            facts=_read_rows(data_dir, schema.FACTS),
            sources={row["source_id"]: row for row in _read_rows(data_dir, schema.SOURCES)},
            indicators={row["indicator_id"]: row for row in _read_rows(data_dir, schema.INDICATORS)},
            region_names={row["iso_code"]: row["name_en"] for row in regions},
            # A spelling shared by two regions would be a guess: it is left out and reported as unknown.
            region_codes={key: next(iter(found)) for key, found in codes.items() if len(found) == 1},
            region_spellings={folded(name): code for name, code in names},
            qualifiers=qualifiers | {word: q for word, q in QUALIFIER_WORDS.items() if q in qualifiers.values()},
            tiers=tiers,
            events={row["event_id"] for row in _read_rows(data_dir, schema.EVENTS)},
            units=unit_rules(_read_rows(data_dir, schema.UNITS)),
        )


def suggest(text: str, candidates: dict[str, str]) -> str | None:
    """The value of the candidate whose key is closest to text, if one is close enough."""
    close = difflib.get_close_matches(folded(text), list(candidates), n=1, cutoff=SUGGESTION_CUTOFF)
    return candidates[close[0]] if close else None


def unknown(key: str, text: str, suggestion: str | None) -> Message:
    """That text names nothing the data knows, with the nearest name it does know, if any."""
    found = message(key, text=quoted(text))
    return message("ingest.did_you_mean", message=found, suggestion=suggestion) if suggestion else found

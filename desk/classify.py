"""Sorting a file's valid figures against the data: new, conflict, changed or duplicate (see desk/plan.py)."""

from decimal import Decimal

from desk.plan import CHANGED, CONFLICT, DUPLICATE, KEY_COLUMNS, PlannedFact
from desk.snapshot import DataSnapshot
from i18n import message
from queries.problem import Problem


def same_value(a: dict[str, str], b: dict[str, str]) -> bool:
    """Whether two facts give the same value and upper value ("23335" and "23335.0" do)."""
    def number(text: str) -> Decimal | None:
        return Decimal(text) if text else None
    return number(a["value"]) == number(b["value"]) and number(a["value_high"]) == number(b["value_high"])


def classify(facts: list[PlannedFact], snapshot: DataSnapshot, problems: list[Problem]) -> None:
    """Set the status of each fact of a valid row; a row that gives its key a second value is a problem."""
    by_key: dict[tuple, list[dict[str, str]]] = {}
    by_point: dict[tuple, list[dict[str, str]]] = {}  # (indicator, region, period, event)
    for row in snapshot.facts:
        by_key.setdefault(tuple(row[c] for c in KEY_COLUMNS), []).append(row)
        by_point.setdefault((row["indicator_id"], row["region"], row["period"], row["event_id"]), []).append(row)
    invalid = {problem.row for problem in problems}
    first_in_file: dict[tuple, PlannedFact] = {}
    for fact in facts:
        if fact.row in invalid:
            continue
        earlier = first_in_file.get(fact.key)
        if earlier is not None:
            if same_value(earlier.values, fact.values):
                fact.status, fact.repeats_row = DUPLICATE, earlier.row
            else:
                problems.append(Problem(message("ingest.same_key_in_file", other=earlier.row), row=fact.row,
                                        column="value"))
            continue
        first_in_file[fact.key] = fact
        same_key = by_key.get(fact.key, [])
        if same_key:
            repeated = [row for row in same_key if same_value(row, fact.values)]
            fact.status, fact.existing = (DUPLICATE, repeated) if repeated else (CHANGED, same_key)
            continue
        values = fact.values
        point = (values["indicator_id"], values["region"], values["period"], values["event_id"])
        others = [row for row in by_point.get(point, []) if not same_value(row, values)]
        if others:
            fact.status, fact.existing = CONFLICT, others

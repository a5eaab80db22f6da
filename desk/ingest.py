"""Import an office's CSV or XLSX file into data/: preview what it would do, commit it, undo it.

The Data desk page and the command line (`python -m desk`) share this module: `preview()` reads and
checks a file and sorts its figures against the data without writing anything; `commit()` does the
same again under the write lock (the data may have changed since the preview) and writes through
desk/storage.py.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from desk import mirror, postgres, storage
from desk.cells import clean_file_name
from desk.classify import classify
from desk.plan import CHANGED, CONFLICT, DUPLICATE, KEY_COLUMNS, NEW, Options, Plan
from desk.read import Limits, ReadError, read_table
from desk.rows import RowReader
from desk.snapshot import DataSnapshot
from i18n import message, t
from queries import schema
from queries.problem import Problem
from queries.validate import check

MAX_PROBLEMS_QUOTED = 5


@dataclass
class CommitResult:
    plan: Plan
    import_id: str | None  # None when nothing needed writing
    summary: dict[str, object]


class ImportRefused(Exception):
    """Nothing was written; `problems` say why."""

    def __init__(self, problems: list[Problem], plan: Plan | None = None):
        super().__init__(problems)
        self.problems = problems
        self.plan = plan

    def __str__(self) -> str:
        return "\n".join(t(problem.located) for problem in self.problems)


def preview(data_dir: Path, file_name: str, content: bytes, options: Options = Options(),
            limits: Limits = Limits()) -> Plan:
    """Read and check the file, and sort its figures against the data in data_dir. Writes nothing."""
    data_dir = Path(data_dir)
    plan = Plan(clean_file_name(file_name), storage.sha256(content))
    if plan.file_name != Path(file_name).name:
        plan.notices.append(message("ingest.file_name_cleaned", name=plan.file_name))
    existing_problems = check(data_dir)
    if existing_problems:
        quoted = [problem.located for problem in existing_problems[:MAX_PROBLEMS_QUOTED]]
        plan.problems.append(Problem(message("ingest.data_has_problems", problems=quoted)))
        return plan
    try:
        table = read_table(plan.file_name, content, limits)
    except ReadError as error:
        plan.problems.append(Problem(error.problem))
        return plan
    plan.notices.extend(table.notices)
    plan.problems.extend(Problem(problem) for problem in table.problems)
    if table.problems:
        return plan
    plan.problems.extend(Problem(problem, row=row, column=column) for row, column, problem in table.row_problems)
    snapshot = DataSnapshot.load(data_dir)
    reader = RowReader(snapshot, options, range(schema.FIRST_YEAR, date.today().year + 1))
    plan.facts = reader.facts(table, plan.file_name)
    plan.problems.extend(reader.problems)
    plan.notices.extend(reader.notices)
    classify(plan.facts, snapshot, plan.problems)
    used = {fact.values["source_id"] for fact in plan.valid_facts()}
    for source, source_id in reader.new_sources.items():
        if source_id in used:
            plan.new_sources[source_id] = {"source_id": source_id, **vars(source)}
    plan.problems.sort(key=lambda problem: (problem.row or 0))
    return plan


def _new_files(data_dir: Path, plan: Plan, confirm_changes: bool) -> tuple[dict[str, bytes], dict[str, object]]:
    """The new bytes of each data file the plan changes, in rename order, and a summary for the log."""
    header, rows = storage.csv_rows((data_dir / schema.FACTS.file).read_bytes())
    key_index = [header.index(column) for column in KEY_COLUMNS]
    added = replaced = kept_old = 0
    for fact in plan.valid_facts():
        new_row = [fact.values[column] for column in header]
        if fact.status in (NEW, CONFLICT):
            rows.append(new_row)
            added += 1
        elif fact.status == CHANGED and not confirm_changes:
            kept_old += 1
        elif fact.status == CHANGED:
            matching = [i for i, row in enumerate(rows) if tuple(row[k] for k in key_index) == fact.key]
            if len(matching) == 1:
                rows[matching[0]] = new_row
                replaced += 1
            else:
                rows.append(new_row)
                added += 1
    written_sources = {row[header.index("source_id")] for row in rows}
    new_sources = [row for source_id, row in plan.new_sources.items() if source_id in written_sources]
    files = {}
    if new_sources:
        # Sources first: a reader between the two renames sees the new sources, not facts citing nothing.
        source_header, source_rows = storage.csv_rows((data_dir / schema.SOURCES.file).read_bytes())
        source_rows += [[source[column] for column in source_header] for source in new_sources]
        files[schema.SOURCES.file] = storage.csv_bytes(source_header, source_rows)
    if added or replaced:
        files[schema.FACTS.file] = storage.csv_bytes(header, rows)
    summary = {
        "facts_added": added, "facts_replaced": replaced, "sources_added": [s["source_id"] for s in new_sources],
        "changes_not_confirmed": kept_old, "duplicates_skipped": len(plan.with_status(DUPLICATE)),
        "invalid_rows_skipped": len(plan.invalid_rows),
    }
    return files, summary


def commit(data_dir: Path, file_name: str, content: bytes, options: Options = Options(), *, user: str,
           via: str = storage.VIA_COMMAND_LINE, valid_only: bool = False, confirm_changes: bool = False) -> CommitResult:
    """Import the file: check it again against the data as it is now, under the write lock, and write.

    `via` says how `user` is known: storage.VIA_DESK (a checked login) or VIA_COMMAND_LINE (declared,
    not checked); the log records it. Raises ImportRefused when the file cannot be imported (nothing
    written), storage.ChangeUnfinished when the disk failed after the commit point. Returns the result
    with import_id None when every valid figure was already there.
    """
    with store(data_dir).change() as change:
        plan = preview(change.data_dir, file_name, content, options)
        if plan.file_problems:
            raise ImportRefused(plan.file_problems, plan)
        if plan.invalid_rows and not valid_only:
            raise ImportRefused([Problem(message("ingest.refused_invalid", count=len(plan.invalid_rows)))], plan)
        files, summary = _new_files(change.data_dir, plan, confirm_changes)
        if not files:
            return CommitResult(plan, None, summary)
        entry = {"op": "import", "at": datetime.now(UTC).isoformat(timespec="seconds"), "user": user, "via": via,
                 "file": plan.file_name, "sha256": plan.checksum, "rows_added": summary["facts_added"],
                 "summary": summary}
        try:
            logged = change.apply(storage.new_change_id(), files, entry)
        except storage.ChangeRefused as refused:
            raise ImportRefused([Problem(refused.problem)], plan) from None
    mirror.refresh()
    return CommitResult(plan, logged["id"], summary)


def undo(data_dir: Path, import_id: str, *, user: str, via: str = storage.VIA_COMMAND_LINE) -> dict:
    """Undo an import (or an undo); raises storage.ChangeRefused with the reason when it cannot be."""
    with store(data_dir).change() as change:
        entry = storage.undo_in(change, import_id, user=user, via=via)
    mirror.refresh()
    return entry


def history(data_dir: Path) -> list[dict]:
    """The change log, newest first, each entry with "undo_problem": why it cannot be undone, or None."""
    return store(data_dir).history()


def store(data_dir: Path) -> storage.FileStore | postgres.PostgresStore:
    """Where changes are made: PostgreSQL in cluster mode (data_dir is then this server's copy of it,
    which previews read), else the data files in data_dir."""
    url = postgres.database_url()
    return postgres.PostgresStore(url) if url else storage.FileStore(Path(data_dir))

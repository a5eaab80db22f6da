"""The Data desk on the command line: the same import as the page, for an official at a terminal.

    python -m desk FILE [--source ID | --publisher ... --title ... --language ru --tier government]
                        [--indicator ID] [--region NAME] [--year YYYY]
                        [--valid-only] [--confirm-changes] [--yes] [--user NAME]
    python -m desk --log | --undo IMPORT_ID | --recover

Without --yes it previews only. The command checks no password: --user is logged as self-declared.
Its own lines are English; the problems it reports come from the catalogues (i18n), in English.
"""

import argparse
import getpass
import sys
from pathlib import Path

from desk import storage
from desk.cells import clean_file_name
from desk.ingest import ImportRefused, commit, history, preview, undo
from desk.plan import (CHANGED, CONFLICT, DUPLICATE, NEW, SOURCE_COLUMNS, NewSource, Options, Plan, PlannedFact,
                       describe_existing, value_text)
from desk.read import ReadError, check_size
from desk.rows import DEFAULT_QUALIFIER
from i18n import printable, t
from queries import schema


def describe(fact: PlannedFact) -> str:
    """A planned fact on one line: where it comes from and what it says."""
    values = fact.values
    value = value_text(values)
    qualifier = "" if values["qualifier"] == DEFAULT_QUALIFIER else f"{values['qualifier']} "
    event = f" [{values['event_id']}]" if values["event_id"] else ""
    return (f"row {fact.row}: {values['indicator_id']} {values['region']} {values['period']}{event} = "
            f"{qualifier}{value} {values['unit']} ({values['source_id']})")


def _print_plan(plan: Plan) -> None:
    print(f"{plan.file_name} (sha256 {plan.checksum[:12]}…): {len(plan.facts)} figure(s) read")
    for notice in plan.notices:
        print(f"note: {t(notice)}")
    if plan.problems:
        print(f"{len(plan.problems)} problem(s) in {len(plan.invalid_rows)} row(s):" if plan.invalid_rows
              else "problem(s):")
        for problem in plan.problems:
            print(f"  {t(problem.located)}")
    headings = {NEW: "new", CONFLICT: "conflicts (both values kept)",
                CHANGED: "changed (applied only with --confirm-changes)",
                DUPLICATE: "duplicates (skipped)"}
    for status, heading in headings.items():
        facts = plan.with_status(status)
        if facts:
            print(f"{heading}: {len(facts)}")
            for fact in facts:
                other = f"; existing: {', '.join(describe_existing(row) for row in fact.existing)}" if fact.existing else ""
                print(f"  {describe(fact)}{other}")
    for source_id, source in plan.new_sources.items():
        print(f"new source {source_id}: {source['publisher']}, {source['title']} ({source['tier']})")


def _options(args: argparse.Namespace) -> Options:
    source: str | NewSource | None = args.source
    if args.publisher or args.title:
        source = NewSource(publisher=args.publisher or "", title=args.title or "", published=args.published or "",
                           url=args.url or "", language=args.language or "", tier=args.tier or "",
                           date_note=args.date_note or "")
    return Options(source=source, indicator=args.indicator, region=args.region, period=args.year)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desk", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="CSV or XLSX file to import")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--log", action="store_true", help="list the imports and undos, newest first")
    mode.add_argument("--undo", metavar="IMPORT_ID", help="undo an import")
    mode.add_argument("--recover", action="store_true", help="complete or roll back an import a crash interrupted")
    source = parser.add_argument_group("source of rows that name none (an existing one, or a new one)")
    source.add_argument("--source", metavar="SOURCE_ID")
    for name in SOURCE_COLUMNS:
        source.add_argument(f"--{name.replace('_', '-')}", dest=name)
    parser.add_argument("--indicator", help="indicator of rows that name none (id or name)")
    parser.add_argument("--region", help="region of rows that name none")
    parser.add_argument("--year", help="year (or YYYY-YYYY) of rows that give none")
    parser.add_argument("--valid-only", action="store_true", help="import the valid rows even if others have problems")
    parser.add_argument("--confirm-changes", action="store_true", help="let new values replace a source's old ones")
    parser.add_argument("--yes", action="store_true", help="write; without it the command only shows the preview")
    parser.add_argument("--user", default=getpass.getuser(),
                        help="name for the change log, logged as self-declared: the command line checks no password"
                             " (default: %(default)s)")
    parser.add_argument("--data-dir", type=Path, default=schema.data_dir(), help="default: %(default)s")
    args = parser.parse_args(argv)
    if args.source and (args.publisher or args.title):
        parser.error("give either --source or a new source (--publisher, --title, ...), not both")
    if args.file is None and not (args.recover or args.log or args.undo):
        parser.error("name a file to import, or use --log, --undo or --recover")
    try:
        return _run(args)
    except (storage.ChangeRefused, storage.ChangeUnfinished) as refused:  # the disk or the lock, in any mode
        print(refused, file=sys.stderr)
        return 1
    except OSError as error:  # reading the file to import, or the log
        print(t("ingest.fault_read", path=printable(str(error.filename or args.file)), reason=error.strerror),
              file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    data_dir = args.data_dir
    if args.recover:
        with storage.locked(data_dir):
            recovery = storage.recover(data_dir)
        if recovery.completed:
            print(f"completed interrupted change {recovery.completed}")
        if recovery.removed:
            print("removed what an interrupted change left behind (the data is as before it):")
            for path in recovery.removed:
                print(f"  {path}")
        if not recovery:
            print("nothing to recover")
        return 0
    if args.log:
        for entry in history(data_dir):
            what = (f"undo of {entry['undoes']}" if entry["op"] == "undo"
                    else f"{printable(entry['file'])}: {entry['rows_added']} fact(s) added")
            state = "can be undone" if entry["undo_problem"] is None else f"cannot be undone: {t(entry['undo_problem'])}"
            who = printable(entry["user"]) + (" (self-declared)" if entry.get("via") == storage.VIA_COMMAND_LINE else "")
            print(f"{entry['id']}  {entry['at']}  {who}  {what}  ({state})")
        return 0
    if args.undo:
        try:
            entry = undo(data_dir, args.undo, user=args.user)
        except storage.ChangeRefused as refused:
            print(refused, file=sys.stderr)
            return 1
        print(f"undone: {args.undo} (logged as {entry['id']}, by {printable(args.user)} (self-declared))")
        return 0

    try:
        check_size(args.file.stat().st_size)  # before reading: an oversized file is refused at once
    except ReadError as error:
        print(f"{clean_file_name(str(args.file))}: {error}", file=sys.stderr)
        return 1
    content = args.file.read_bytes()
    options = _options(args)
    if not args.yes:
        plan = preview(data_dir, str(args.file), content, options)
        _print_plan(plan)
        print("nothing written; run again with --yes to import")
        return 1 if plan.problems and not (args.valid_only and not plan.file_problems) else 0
    try:
        result = commit(data_dir, str(args.file), content, options, user=args.user, valid_only=args.valid_only,
                        confirm_changes=args.confirm_changes)
    except ImportRefused as refused:
        if refused.plan is not None:
            _print_plan(refused.plan)
        print(f"nothing written: {refused}", file=sys.stderr)
        return 1
    _print_plan(result.plan)
    if result.import_id is None:
        print(t("ingest.nothing_to_import"))
    else:
        summary = result.summary
        print(f"imported as {result.import_id}: {summary['facts_added']} fact(s) added, "
              f"{summary['facts_replaced']} replaced, {len(summary['sources_added'])} source(s) added")
    return 0


if __name__ == "__main__":
    sys.exit(main())


"""Data desk: officials import new figures from CSV or XLSX, check what would change, and undo imports.

Behind a login (desk/access.py); without configured credentials the page only says how to enable
it. Reading, checking and writing are desk/ingest.py, the same code as `python -m desk`.
Every open dashboard shows an import within seconds: the data files' fingerprint changes, so the
query layer reloads on the next query, and the overview re-queries every 5 seconds by itself.
Its texts are in the catalogues' [ingest.desk] table, beside the import's own messages.
"""

import math

import pandas as pd
import streamlit as st

from desk import access, ingest, storage
from desk.plan import (CHANGED, CONFLICT, DUPLICATE, KEY_COLUMNS, NEW, NewSource, Options, Plan, PlannedFact,
                       describe_existing)
from desk.read import MAX_FILE_BYTES
from desk.rows import TEXT_UNIT
from i18n import t
from queries import schema
from dashboard.components.tables import show_dataframe
from dashboard.formatting import markdown_text

USER_KEY = "desk_user"
UPLOAD_GENERATION_KEY = "desk_upload_generation"  # bumped after an import, which empties the uploader
OUTCOME_KEY = "desk_outcome"  # (kind, text) shown once after the rerun that follows an import or undo
PREVIEW_KEY = "desk_preview"  # (what the shown preview was made from, the preview)
SOURCE_CHOICES = ("ingest.desk.source_in_file", "ingest.desk.source_existing", "ingest.desk.source_new")
STATUS_HEADINGS = {
    NEW: "ingest.desk.status_new",
    CONFLICT: "ingest.desk.status_conflict",
    CHANGED: "ingest.desk.status_changed",
    DUPLICATE: "ingest.desk.status_duplicate",
}
LANGUAGES = ("ru", "kk", "en")
MAX_PROBLEMS_AS_TEXT = 20  # more are listed in a table
NONE_CHOSEN = ""


def _secrets_section():
    try:
        return st.secrets.get(access.SECRETS_SECTION)
    except FileNotFoundError:  # no secrets.toml at all: credentials may still come from the environment
        return None


def _login(users: dict[str, str]) -> None:
    with st.form("desk_login"):
        name = st.text_input(t("ingest.desk.name"), key="desk_login_name")
        password = st.text_input(t("ingest.desk.password"), type="password", key="desk_login_password")
        submitted = st.form_submit_button(t("ingest.desk.log_in"))
    if not submitted:
        return
    # Throttled per name and client, so failures from elsewhere never lock an official out.
    address = st.context.ip_address
    result = access.log_in(users, name, password, client=address if isinstance(address, str) else "")
    if result.ok:
        st.session_state[USER_KEY] = name
        st.rerun()
    elif result.wait_seconds:
        st.error(t("ingest.desk.wait", seconds=math.ceil(result.wait_seconds)))
    else:
        st.error(t("ingest.desk.wrong_login"))


def _options(sources: pd.DataFrame, indicators: pd.DataFrame) -> Options:
    st.subheader(t("ingest.desk.defaults"))
    left, right = st.columns(2)
    with left:
        how = st.radio(t("ingest.desk.source"), SOURCE_CHOICES, format_func=t, horizontal=True, key="desk_source_how")
        source: str | NewSource | None = None
        if how == "ingest.desk.source_existing":
            labels = dict(zip(sources["source_id"], sources["publisher"] + ": " + sources["title"]))
            source = st.selectbox(t("ingest.desk.existing_source"), list(labels), format_func=lambda s: f"{labels[s]} [{s}]",
                                  key="desk_source_id")
        elif how == "ingest.desk.source_new":
            source = NewSource(
                publisher=st.text_input(t("ingest.desk.publisher"), key="desk_new_publisher"),
                title=st.text_input(t("ingest.desk.source_title"), key="desk_new_title"),
                published=st.text_input(t("ingest.desk.published"), key="desk_new_published"),
                url=st.text_input(t("ingest.desk.url"), key="desk_new_url"),
                language=st.selectbox(t("ingest.desk.language"), LANGUAGES, key="desk_new_language"),
                tier=st.selectbox(t("ingest.desk.tier"), sorted(set(sources["tier"])), key="desk_new_tier"),
                date_note=st.text_input(t("ingest.desk.date_note"), key="desk_new_date_note"),
            )
    with right:
        names = dict(zip(indicators["indicator_id"], indicators["name"]))
        indicator = st.selectbox(t("ingest.desk.indicator"), [NONE_CHOSEN, *names], key="desk_indicator",
                                 format_func=lambda i: f"{names[i]} [{i}]" if i else t("ingest.desk.in_file"))
        region = st.text_input(t("ingest.desk.region"), key="desk_region", placeholder=t("ingest.desk.in_file"))
        period = st.text_input(t("ingest.desk.year"), key="desk_period", placeholder=t("ingest.desk.in_file"))
    return Options(source=source, indicator=indicator or None, region=region or None, period=period or None)


def _fact_table(facts: list[PlannedFact]) -> pd.DataFrame:
    def existing(fact: PlannedFact) -> str:
        if fact.repeats_row:
            return t("ingest.desk.repeats_row", row=fact.repeats_row)
        return ", ".join(describe_existing(row) for row in fact.existing)

    return pd.DataFrame([
        {t("ingest.desk.column_row"): fact.row, **{column: fact.values[column] for column in KEY_COLUMNS},
         t("ingest.desk.column_value"): fact.values["value"], t("ingest.desk.column_qualifier"): fact.values["qualifier"],
         t("ingest.desk.column_existing"): existing(fact)}
        for fact in facts
    ])


def _show_plan(plan: Plan) -> None:
    for notice in plan.notices:
        st.info(markdown_text(t(notice)), icon=":material/info:")  # it names sheets and columns of the file
    if plan.file_problems:
        # Nothing in the file can be imported: each reason in full, as plain text (it quotes the file).
        st.error(t("ingest.desk.file_refused"), icon=":material/block:")
        for problem in plan.file_problems:
            st.text(t(problem.located))
        return
    if plan.problems:
        rows = len(plan.invalid_rows)
        count = len(plan.problems)
        st.error(t("ingest.desk.problems_in_rows", count=count, rows=rows) if rows
                 else t("ingest.desk.problems", count=count))
        if count <= MAX_PROBLEMS_AS_TEXT:  # each in full, as plain text (it quotes the file)
            for problem in plan.problems:
                st.text(t(problem.located))
        else:  # a table to sort and scroll; a reason longer than its cell shows whole when the cell is opened
            show_dataframe(pd.DataFrame([{t("ingest.desk.column_row"): p.row, t("ingest.desk.column_column"): p.column,
                                        t("ingest.desk.column_problem"): t(p.message)} for p in plan.problems]))
    counts = plan.counts()
    for column, (status, heading) in zip(st.columns(len(STATUS_HEADINGS)), STATUS_HEADINGS.items()):
        column.metric(t(heading), counts[status])
    for status, heading in STATUS_HEADINGS.items():
        facts = plan.with_status(status)
        if facts:
            label = t("ingest.desk.status_count", status=t(heading), count=len(facts))
            with st.expander(label, expanded=status in (CONFLICT, CHANGED)):
                show_dataframe(_fact_table(facts))
    if plan.new_sources:
        listed = "; ".join(f"{s['publisher']}, {s['title']} [{i}]" for i, s in plan.new_sources.items())
        st.caption(t("ingest.desk.new_sources", sources=markdown_text(listed)))


def _fault_read(error: OSError) -> None:
    st.error(markdown_text(t("ingest.fault_read", path=str(error.filename), reason=error.strerror)))


def _preview(data_dir, name: str, content: bytes, options: Options) -> Plan:
    """The preview of an uploaded file, made once per file, options and version of the data files:
    the reruns that every click causes reuse it (a large file takes seconds to check)."""
    made_from = (storage.sha256(content), name, options, storage.files_version(data_dir))
    kept = st.session_state.get(PREVIEW_KEY)
    if kept is None or kept[0] != made_from:
        kept = st.session_state[PREVIEW_KEY] = (made_from, ingest.preview(data_dir, name, content, options))
    return kept[1]


def _import_tab(data_dir, user: str) -> None:
    try:
        sources = pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False)
        indicators = pd.read_csv(data_dir / "indicators.csv", dtype=str, keep_default_na=False)
    except OSError as error:
        _fault_read(error)
        return
    indicators = indicators[indicators["unit"] != TEXT_UNIT]
    generation = st.session_state.get(UPLOAD_GENERATION_KEY, 0)
    upload = st.file_uploader(t("ingest.desk.upload"), type=["csv", "xlsx"], key=f"desk_upload_{generation}",
                              max_upload_size=MAX_FILE_BYTES // 2**20)
    options = _options(sources, indicators)
    if upload is None:
        st.session_state.pop(PREVIEW_KEY, None)
        st.caption(t("ingest.desk.format_help"))
        return
    content = upload.getvalue()
    plan = _preview(data_dir, upload.name, content, options)
    _show_plan(plan)
    if plan.file_problems:
        return
    valid_only = bool(plan.invalid_rows) and st.checkbox(
        t("ingest.desk.valid_only", count=len(plan.invalid_rows)), key="desk_valid_only")
    changed = plan.with_status(CHANGED)
    confirm_changes = bool(changed) and st.checkbox(
        t("ingest.desk.confirm_changes", count=len(changed)), key="desk_confirm_changes")
    blocked = bool(plan.invalid_rows) and not valid_only
    if st.button(t("ingest.desk.import"), type="primary", disabled=blocked, key="desk_import"):
        try:
            result = ingest.commit(data_dir, upload.name, content, options, user=user, via=storage.VIA_DESK,
                                   valid_only=valid_only, confirm_changes=confirm_changes)
        except (ingest.ImportRefused, storage.ChangeRefused) as refused:
            st.error(t("ingest.desk.not_written", reason=markdown_text(str(refused))))
            return
        except storage.ChangeUnfinished as unfinished:
            st.warning(markdown_text(t(unfinished.problem)))
            return
        summary = result.summary
        if result.import_id is None:
            st.session_state[OUTCOME_KEY] = ("info", t("ingest.desk.nothing_new"))
        else:
            st.session_state[OUTCOME_KEY] = ("success", t(
                "ingest.desk.imported", import_id=result.import_id, added=summary["facts_added"],
                replaced=summary["facts_replaced"], sources=len(summary["sources_added"])))
        st.session_state[UPLOAD_GENERATION_KEY] = generation + 1
        st.rerun()


def _who(entry: dict) -> str:
    """The name a change is logged under; a command line's --user is only declared, never checked."""
    if entry.get("via") == storage.VIA_COMMAND_LINE:
        return t("ingest.desk.self_declared", user=entry["user"])
    return entry["user"]


def _log_tab(data_dir, user: str) -> None:
    try:
        entries = ingest.history(data_dir)
    except OSError as error:
        _fault_read(error)
        return
    except storage.ChangeRefused as refused:  # cluster mode: PostgreSQL cannot be reached
        st.warning(markdown_text(t(refused.problem)), icon=":material/cloud_off:")
        return
    if not entries:
        st.caption(t("ingest.desk.no_imports"))
        return
    show_dataframe(pd.DataFrame([{
        t("ingest.desk.log_id"): e["id"], t("ingest.desk.log_when"): e["at"], t("ingest.desk.log_who"): _who(e),
        t("ingest.desk.log_what"): t("ingest.desk.undo_of", import_id=e["undoes"]) if e["op"] == "undo"
        else t("ingest.desk.import_of", file=e["file"]),
        t("ingest.desk.log_added"): e.get("rows_added"),
        t("ingest.desk.log_undo"): t(e["undo_problem"] or "ingest.desk.undo_possible"),
    } for e in entries]))
    # The change the official chose stays offered when another change has made it not undoable since the
    # page was drawn (another official, perhaps on another server): the click then says why it cannot be
    # undone, where a choice missing from the options would fall back to the first one and undo that instead.
    chosen_before = st.session_state.get("desk_undo_id")
    undoable = [e["id"] for e in entries if e["undo_problem"] is None or e["id"] == chosen_before]
    if not undoable:
        return
    chosen = st.selectbox(t("ingest.desk.undo_choice"), undoable, key="desk_undo_id")
    if st.button(t("ingest.desk.undo_button"), key="desk_undo"):
        try:
            entry = ingest.undo(data_dir, chosen, user=user, via=storage.VIA_DESK)
        except storage.ChangeRefused as refused:
            st.error(markdown_text(t(refused.problem)))
            return
        except storage.ChangeUnfinished as unfinished:
            st.warning(markdown_text(t(unfinished.problem)))
            return
        st.session_state[OUTCOME_KEY] = ("success", t("ingest.desk.undone", import_id=chosen, undo_id=entry["id"]))
        st.rerun()


st.title(t("ingest.desk.title"))
users = access.configured_users(_secrets_section())
if not users:
    st.info(t("ingest.desk.disabled", env=access.USERS_ENV, section=access.SECRETS_SECTION), icon=":material/lock:")
    st.stop()
data_dir = schema.data_dir()
# An import a crash interrupted is completed (or rolled back) before anything is shown or written.
storage.recover_if_needed(data_dir)
if USER_KEY not in st.session_state:
    _login(users)
    st.stop()

user = st.session_state[USER_KEY]
signed_in, log_out = st.columns([4, 1])
signed_in.caption(t("ingest.desk.signed_in", user=user))
if log_out.button(t("ingest.desk.log_out"), key="desk_logout"):
    del st.session_state[USER_KEY]
    st.rerun()
# A slot in every run, shown or not, so the tabs below keep their place on the page and Streamlit keeps the
# official on the tab they were on; without it the tabs move up when the message goes, and the page jumps
# back to the first tab, hiding a refusal written in the change log's tab.
outcome_slot = st.container()
if outcome := st.session_state.pop(OUTCOME_KEY, None):
    getattr(outcome_slot, outcome[0])(outcome[1])
import_tab, log_tab = st.tabs([t("ingest.desk.tab_import"), t("ingest.desk.tab_log")])
with import_tab:
    _import_tab(data_dir, user)
with log_tab:
    _log_tab(data_dir, user)

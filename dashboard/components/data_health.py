"""What viewers see when the data files on disk are broken: a banner, or a page instead of a traceback.

A hand-edited file that breaks the data contract does not take the dashboard down. The query layer
keeps serving the last good data (the one it had loaded, or at start the newest database built from
good files), and `data_banner()` says which file has which problem. Only when there has never been
good data for this data directory does `data_guard()` show an explanation instead of the pages.
The problems come from the query layer as messages (codes with values); their words are the catalogues'.
"""

from collections.abc import Callable

import streamlit as st

import queries
from i18n import t
from queries import DataError, EvidenceBase
from dashboard.formatting import format_moment, markdown_text
from desk import mirror

MAX_PROBLEMS_SHOWN = 5
RECHECK_EVERY = "5s"


def _data_error(base: EvidenceBase) -> DataError | None:
    """Load the data if it changed (when not: a comparison of fingerprints), so last_error is current."""
    try:
        base.refresh()
    except DataError as error:
        return error
    return None


def _problem_list(error: DataError) -> str:
    """The data files' problems as a bullet list, each with its file and line."""
    problems = error.problems
    # A problem quotes the file (a backtick there would end a code span): escaped, never Markdown.
    shown = [f"- {markdown_text(t(problem.located))}" for problem in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"- {t('ingest.health.more', count=len(problems) - MAX_PROBLEMS_SHOWN)}")
    return "\n".join(shown)


def data_banner(base: EvidenceBase | None = None) -> None:
    """A warning naming each broken file and its problem while the last good data is being served, and,
    in cluster mode, one while the system of record cannot be reached.

    For pages drawn by data_guard, which has just checked the data in this run (last_error is current).
    """
    base = base or queries.default_base()
    if base.last_error:
        st.warning(t("ingest.health.banner", problems=_problem_list(base.last_error)), icon=":material/warning:")
    copy = mirror.status()
    if copy is not None and copy.unreachable_since is not None:
        since = format_moment(copy.unreachable_since, st.context.timezone)
        said = (t("ingest.health.store_unreachable", since=since, as_of=format_moment(copy.changed_at, st.context.timezone))
                if copy.changed_at else t("ingest.health.store_unreachable_no_copy", since=since))
        st.warning(said, icon=":material/cloud_off:")


def data_guard(render: Callable[[], None], base: EvidenceBase | None = None) -> None:
    """Run `render` when there is data to show; otherwise explain, and look again until the files change."""
    base = base or queries.default_base()
    # The whole run reads one version of the data (checked once here, not on every cached lookup).
    with base.one_version():
        error = _data_error(base)
        if error is None:
            render()
            return
        st.title(t("ingest.health.title"))
        st.error(t("ingest.health.no_data", problems=_problem_list(error)), icon=":material/error:")
        rerun_when_the_data_changes(base)


def rerun_when_the_data_changes(base: EvidenceBase | None = None) -> None:
    """Every few seconds, look at the data files; once they differ from the version drawn, run the app again.

    For views that must follow the files without a click: the overview's figures, and the explanation
    shown while there is no good data. Called inside data_guard's run, the version drawn is the one
    that run read. The fragment draws nothing: a fragment holding a page's elements costs Streamlit a
    copy of its containers on every rerun, and resends them all on each of its own runs.
    """
    base = base or queries.default_base()
    _rerun_on_change(base, base.fingerprint())


@st.fragment(run_every=RECHECK_EVERY)
def _rerun_on_change(base: EvidenceBase, drawn_version: str) -> None:
    if base.fingerprint() != drawn_version:
        st.rerun(scope="app")

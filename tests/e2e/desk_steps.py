"""What an official does on the Data desk in a real browser: log in, upload a file, import it, undo a change.

Shared by the desk's own browser tests and the cluster's; each step waits for what the page shows when it
has worked, and the caller asserts anything else.
"""

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import wait_for_idle
from tests.e2e.test_journalist import pick

STEP_TIMEOUT_MS = 30_000
IMPORTED = re.compile(r"Imported as (\S+):")  # ingest.desk.imported
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


def log_in(page: Page, name: str, password: str) -> None:
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {name}")).to_be_visible(timeout=STEP_TIMEOUT_MS)


def upload(page: Page, path: Path, preview_says: str) -> None:
    """Choose the file in the uploader and wait for its preview, which shows `preview_says`."""
    page.locator(UPLOAD_INPUT).set_input_files(str(path))
    expect(page.get_by_text(preview_says).first).to_be_visible(timeout=STEP_TIMEOUT_MS)
    wait_for_idle(page)


def import_file(page: Page) -> None:
    """Click Import under the preview (the caller looks for the outcome)."""
    page.get_by_role("button", name="Import", exact=True).click()


def imported_id(page: Page) -> str:
    """The id of the import the page has just reported, once it has."""
    expect(success(page)).to_contain_text(IMPORTED, timeout=STEP_TIMEOUT_MS)
    return IMPORTED.search(success(page).inner_text()).group(1)


def undo(page: Page, change_id: str) -> None:
    """On the change log's tab, choose the change and click to undo it (the caller looks for the outcome)."""
    page.get_by_role("tab", name="Change log").click()
    pick(page, "Undo", change_id, wait_for_idle)
    page.get_by_role("button", name="Undo this change").click()


def success(page: Page) -> Locator:
    """The message of an import or undo that went through."""
    return page.get_by_test_id("stAlertContentSuccess")


def national_figure_file(folder: Path, indicator: str, value: int) -> Path:
    """An office's CSV with one national figure for this year, citing a source the data already has."""
    as_written = f"{value:,}".replace(",", " ")  # as offices write numbers: a space between thousands
    path = folder / f"{indicator}_{value}.csv"
    path.write_text("Показатель;Регион;Год;Значение;Источник\n"
                    f"{indicator};РЕСПУБЛИКА КАЗАХСТАН;{date.today().year};{as_written};govkz_akk_ngos\n", encoding="utf-8")
    return path

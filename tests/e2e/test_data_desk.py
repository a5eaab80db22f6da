"""An official logs in to the Data desk, uploads a file, and another open dashboard shows the new figure;
hostile files are refused on the desk while the public pages go on."""

import re
import shutil
import time
from datetime import date
from pathlib import Path

from ingest_corpus import build
from playwright.sync_api import Browser, Page, expect

from desk import access
from tests.e2e.desk_steps import import_file, imported_id, log_in, upload

PROJECT_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "a long passphrase for the e2e test"
NEW_VALUE = 31415  # shown as "31,415": a number found nowhere in the shipped data
LIVE_WITHIN_MS = 10_000


def test_import_on_the_desk_shows_up_in_another_open_session(
    tmp_path: Path, monkeypatch, start_streamlit_server, browser: Browser, page: Page, open_page
):
    data_dir = tmp_path / "data"
    shutil.copytree(PROJECT_DIR / "data", data_dir, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))
    monkeypatch.setenv(access.USERS_ENV, f"aigerim:{access.hash_password(PASSWORD)}")
    url = start_streamlit_server(data_dir)

    # A viewer has the overview open in another browser session the whole time.
    viewer_context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        viewer = viewer_context.new_page()
        open_page(viewer, url)
        expect(viewer.get_by_text("31,415")).to_have_count(0)

        open_page(page, f"{url}/data-desk")
        log_in(page, "aigerim", PASSWORD)

        today = date.today()
        office_file = tmp_path / "bns_registered_ngos.csv"
        office_file.write_text(
            "Показатель;Регион;Год;Значение;Издатель;Заголовок;Дата публикации;Ссылка;Язык;Уровень источника\n"
            f"ngos_registered;РЕСПУБЛИКА КАЗАХСТАН;{today.year};31 415;Bureau of National Statistics;"
            f"Некоммерческие организации на {today:%d.%m.%Y};{today:%d.%m.%Y};https://stat.gov.kz/ru/ngo-{today.year}/;"
            "русский;Official statistics\n",
            encoding="cp1251",
        )
        upload(page, office_file, "New source(s): Bureau of National Statistics")
        import_file(page)
        imported_id(page)
        imported_at = time.monotonic()

        expect(viewer.get_by_text("31,415").first).to_be_visible(timeout=LIVE_WITHIN_MS)
        assert time.monotonic() - imported_at < LIVE_WITHIN_MS / 1000
        assert f"ngos_registered,KZ,{today.year},{NEW_VALUE}," in (data_dir / "facts.csv").read_text()
    finally:
        viewer_context.close()


def test_hostile_files_are_refused_on_the_desk_and_the_server_stays_up(
    tmp_path: Path, monkeypatch, start_streamlit_server, page: Page, open_page, wait_for_idle
):
    """A workbook with a stray cell at XFD1048576 (a billion declared cells) and a file of misread
    figures: each is refused with a message in the official's language, nothing is written, and the
    public pages go on answering."""
    data_dir = tmp_path / "data"
    shutil.copytree(PROJECT_DIR / "data", data_dir, ignore=shutil.ignore_patterns(".desk", "changes.jsonl"))
    monkeypatch.setenv(access.USERS_ENV, f"aigerim:{access.hash_password(PASSWORD)}")
    url = start_streamlit_server(data_dir)
    before = {name: (data_dir / name).read_bytes() for name in ("facts.csv", "sources.csv")}

    open_page(page, f"{url}/?lang=ru")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Импорт данных", exact=True).click()
    page.get_by_role("textbox", name="Имя пользователя").fill("aigerim")
    page.get_by_role("textbox", name="Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_text("Вы вошли как aigerim")).to_be_visible(timeout=30_000)

    stray = tmp_path / "отчет_НПО.xlsx"
    stray.write_bytes(build.stray_cell_workbook())
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(stray))
    expect(page.get_by_text("доходит до ячейки XFD1048576")).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    expect(page.get_by_role("button", name="Импортировать")).to_have_count(0)

    misread = tmp_path / "grants_and_ngos.csv"  # a thousands comma read as a decimal one, and billions without scale
    misread.write_text("Показатель;Регион;Год;Значение;Источник\n"
                       "ngos_registered;РЕСПУБЛИКА КАЗАХСТАН;2022;23,335;govkz_akk_ngos\n"
                       "state_grants_amount;РЕСПУБЛИКА КАЗАХСТАН;2024;11;govkz_akk_ngos\n"
                       "state_grants_amount;РЕСПУБЛИКА КАЗАХСТАН;2023;2 500 000 000;govkz_akk_ngos\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(misread))
    expect(page.get_by_text("Ошибок: 2; строк с ошибками: 2")).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    expect(page.get_by_role("button", name="Импортировать")).to_be_disabled()

    assert {name: (data_dir / name).read_bytes() for name in before} == before
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="НПО", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ngos"), timeout=30_000)
    wait_for_idle(page)
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)

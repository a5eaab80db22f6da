"""The entry page renders the facts of an indicator with their sources."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def test_entry_page_lists_facts_with_sources():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    at.selectbox(key="indicator").set_value("ngos_registered").run()
    assert not at.exception
    table = at.dataframe[0].value
    gov = table[table["publisher"].str.startswith("Committee for Civil Society Affairs")]
    assert 23335 in gov["value"].tolist()
    assert {"title", "published", "tier_label", "url"} <= set(table.columns)

"""The read-only API (/api/v1/) over HTTP against a real `streamlit run dashboard/server.py`, as `make run` starts it.

Chart CSVs are compared with the Download menu's "CSV of the view" made in this process by the same
function for the same request (evidence.view_csv), in English and Russian; the last test clicks the
Download menu as a reader does and fetches the address it shows.
"""

import csv
import io
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

import i18n
from dashboard import catalog
from dashboard.components import evidence

# No proxy: an http_proxy set for package registries must not catch requests to 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Refusing a bad parameter reads no data: far under this even on a busy machine (it is a sanity bound,
# not a benchmark; bench/ measures).
REFUSAL_BOUND_S = 2.0


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def get(url: str, headers: dict[str, str] | None = None) -> Reply:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=60) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def api(base: str, route: str, params: list[tuple[str, str]] | None = None, **headers) -> Reply:
    query = urlencode(params or [])
    return get(f"{base}/api/v1/{route}" + (f"?{query}" if query else ""), headers)


def view_csv(request: catalog.ChartRequest, language: str) -> bytes:
    """What the chart panel's "Download this view (CSV)" gives for this request and language."""
    with i18n.using(language):
        return evidence.view_csv(catalog.build(request).facts)


@pytest.mark.parametrize("route, content_type", [
    ("index.json", "application/json"),
    ("facts.csv", "text/csv; charset=utf-8"),
    ("sources.json", "application/json"),
    ("indicators.json", "application/json"),
    ("regions.json", "application/json"),
    ("events.json", "application/json"),
    ("charts/ngos_registered.csv", "text/csv; charset=utf-8"),
    ("charts/ngos_registered.json", "application/json"),
])
def test_every_route_answers_with_its_content_type_and_caching_headers(streamlit_server, route, content_type):
    reply = api(streamlit_server, route)
    assert reply.status == 200, reply.body[:300]
    assert reply.headers["Content-Type"] == content_type
    assert reply.headers["ETag"].startswith('"') and "max-age" in reply.headers["Cache-Control"]
    if content_type == "application/json":
        assert reply.json()
    else:
        assert len(list(csv.reader(io.StringIO(reply.body.decode("utf-8-sig"))))) > 1


def test_the_index_lists_every_route_and_every_chart_and_each_route_it_lists_answers(streamlit_server):
    index = api(streamlit_server, "index.json").json()
    assert index["charts"] == catalog.chart_ids()
    for route in index["routes"]:
        path = route.removeprefix("/api/v1/").replace("{chart_id}", index["charts"][0])
        assert api(streamlit_server, path).status == 200, route


def test_regions_have_their_names_in_the_three_languages(streamlit_server):
    regions = {region["iso_code"]: region for region in api(streamlit_server, "regions.json").json()}
    assert regions["KZ-75"]["name_en"] == "Almaty" and regions["KZ-75"]["name_ru"] and regions["KZ-75"]["name_kk"]
    assert regions["KZ-75"]["name_ru"] != regions["KZ-75"]["name_en"]


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("params, request_made", [
    ([("region", "KZ-75")], catalog.ChartRequest("ngos_registered", regions=("KZ-75",))),
    ([("region", "KZ-75"), ("region", "KZ-71"), ("from", "2015")],
     catalog.ChartRequest("ngo_counts", regions=("KZ-75", "KZ-71"), year_from=2015)),
    ([("to", "2023"), ("tier", "international_body")],
     catalog.ChartRequest("ngos_registered", year_to=2023, tiers=("official_statistics", "government", "international_body"))),
    ([], catalog.ChartRequest("ngos_operating_map")),
    ([("source", "govkz_akk_ngos")], catalog.ChartRequest("ngo_fields", source="govkz_akk_ngos")),
])
def test_a_chart_csv_is_the_panels_csv_of_the_view_for_the_same_filters(streamlit_server, params, request_made, language):
    reply = api(streamlit_server, f"charts/{request_made.chart}.csv", [*params, ("lang", language)])
    assert reply.status == 200, reply.body[:300]
    expected = view_csv(request_made, language)
    assert expected.count(b"\n") > 1, "the view has rows to compare"
    assert reply.body == expected


def test_a_chart_json_carries_the_rows_with_their_title_definitions_sources_and_licence(streamlit_server):
    request_made = catalog.ChartRequest("ngo_counts", regions=("KZ-75",))
    document = api(streamlit_server, "charts/ngo_counts.json", [("region", "KZ-75"), ("lang", "ru")]).json()
    with i18n.using("ru"):
        built = catalog.build(request_made)
        csv_rows = list(csv.DictReader(io.StringIO(view_csv(request_made, "ru").decode("utf-8-sig"))))
    assert document["title"] == built.title and document["language"] == "ru"
    assert [(row["source_id"], row["period"], row["region"]) for row in document["rows"]] == \
           [(row["source_id"], row["period"], row["region"]) for row in csv_rows]
    assert {indicator["indicator_id"] for indicator in document["indicators"]} == set(built.facts["indicator_id"])
    assert all(indicator["definition"] for indicator in document["indicators"])
    assert {source["source_id"] for source in document["sources"]} == set(built.facts["source_id"])
    assert document["last_figure_published"] == max(s["published"] for s in document["sources"] if s["published"])
    assert document["licence"] and document["units"] == ["organizations"]


def test_points_where_sources_disagree_are_listed_with_every_value(streamlit_server):
    document = api(streamlit_server, "charts/ngo_counts.json").json()
    assert document["conflicts"], "the national NGO counts have disagreeing sources"
    for point in document["conflicts"]:
        assert len({(value["value"], value["value_high"]) for value in point["values"]}) > 1
        assert sum(value["is_preferred"] for value in point["values"]) == 1


def test_the_etag_names_the_view_and_a_client_with_it_gets_304(streamlit_server):
    first = api(streamlit_server, "charts/ngos_registered.csv", [("region", "KZ-75")])
    second = api(streamlit_server, "charts/ngos_registered.csv", [("region", "KZ-75")])
    assert first.headers["ETag"] == second.headers["ETag"]
    # The same view asked for with its defaults spelled out is the same answer.
    spelled_out = api(streamlit_server, "charts/ngos_registered.csv", [("region", "KZ-75"), ("lang", "en"), ("tier", "unverified_compilation")])
    assert spelled_out.headers["ETag"] == first.headers["ETag"]
    unchanged = api(streamlit_server, "charts/ngos_registered.csv", [("region", "KZ-75")], **{"If-None-Match": first.headers["ETag"]})
    assert unchanged.status == 304 and unchanged.body == b""
    in_russian = api(streamlit_server, "charts/ngos_registered.csv", [("region", "KZ-75"), ("lang", "ru")], **{"If-None-Match": first.headers["ETag"]})
    assert in_russian.status == 200 and in_russian.headers["ETag"] != first.headers["ETag"]
    other_region = api(streamlit_server, "charts/ngos_registered.csv", [("region", "KZ-71")])
    assert other_region.headers["ETag"] != first.headers["ETag"]


def test_a_data_file_change_changes_the_etag_and_the_answer(start_streamlit_server, mini_data: Path):
    base = start_streamlit_server(mini_data)
    before = api(base, "charts/ngos_registered.csv")
    assert before.status == 200 and api(base, "charts/ngos_registered.csv").headers["ETag"] == before.headers["ETag"]
    with open(mini_data / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write('ngos_registered,KZ,2024,24100,,organizations,exact,gov_page,,"=HYPERLINK(""http://x"")",test:new\n')
    after = api(base, "charts/ngos_registered.csv", **{"If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    rows = list(csv.DictReader(io.StringIO(after.body.decode("utf-8-sig"))))
    assert "24100" not in before.body.decode("utf-8-sig")
    # The new figure is there, and its note is neutralised as the Download menu does it.
    assert [row["note"] for row in rows if row["value"] == "24100"] == ["'=HYPERLINK(\"http://x\")"]


def test_broken_data_files_with_no_earlier_good_version_are_a_json_503_naming_the_problem(start_streamlit_server, mini_data: Path):
    (mini_data / "facts.csv").write_text("indicator_id,region\nngos_registered,KZ\n", encoding="utf-8")
    base = start_streamlit_server(mini_data)
    for route in ("charts/ngos_registered.csv", "regions.json", "index.json"):
        reply = api(base, route)
        assert reply.status == 503 and "facts.csv" in reply.json()["error"], reply.body[:300]


@pytest.mark.parametrize("params, parameter", [
    ([("region", "KZ' OR '1'='1")], "region"),
    ([("region", "KZ-75'); DROP TABLE facts; --")], "region"),
    ([("from", "2015 OR 1=1")], "from"),
    ([("from", "２０１５")], "from"),
    ([("to", "1e3")], "to"),
    ([("from", "2024"), ("to", "2016")], "from"),
    ([("tier", "government' --")], "tier"),
    ([("source", "x' UNION SELECT * FROM sources --")], "source"),
    ([("lang", "de")], "lang"),
    ([("lang", "en"), ("lang", "ru")], "lang"),
    ([("region", "K" * 10_000)], "region"),
    ([("region", "KZ")] * 500, "region"),
    ([("from", "2015")] * 2, "from"),
    ([("regions", "KZ-75")], "regions"),
])
def test_hostile_parameters_get_a_400_naming_the_parameter_quickly(streamlit_server, params, parameter):
    started = time.monotonic()
    reply = api(streamlit_server, "charts/ngos_registered.csv", params)
    elapsed = time.monotonic() - started
    assert reply.status == 400, reply.body[:300]
    error = reply.json()
    assert error["parameter"] == parameter and error["error"] and isinstance(error["allowed"], list)
    assert elapsed < REFUSAL_BOUND_S


def test_an_unknown_value_lists_the_allowed_ones_in_the_readers_language(streamlit_server):
    error = api(streamlit_server, "charts/ngos_registered.csv", [("region", "XX"), ("lang", "ru")]).json()
    assert "KZ-75" in error["allowed"] and error["error"].startswith("Неизвестное значение")


def test_data_routes_take_only_the_language(streamlit_server):
    assert api(streamlit_server, "facts.csv", [("region", "KZ-75")]).status == 400
    assert api(streamlit_server, "regions.json", [("lang", "kk")]).status == 200


@pytest.mark.parametrize("route", ["charts/no_such_chart.csv", "charts/ngos_registered.xlsx", "charts/ngos_registered",
                                   "nothing.json", "charts/", "charts/%27%20OR%201%3D1.csv"])
def test_unknown_charts_and_routes_get_a_json_404(streamlit_server, route):
    reply = api(streamlit_server, route)
    assert reply.status == 404 and reply.headers["Content-Type"] == "application/json" and reply.json()["error"]


def test_the_download_menu_shows_the_api_address_of_the_view_that_answers_with_its_csv(page, streamlit_server, open_page, wait_for_idle):
    open_page(page, f"{streamlit_server}/ngos?region=KZ-75&lang=en")
    page.get_by_role("button", name="Download", exact=True).first.click()
    page.get_by_text("This view over the API").wait_for()
    codes = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    address, snippet = codes.nth(0).inner_text().strip(), codes.nth(1).inner_text().strip()
    assert address == f"{streamlit_server}/api/v1/charts/ngo_counts.csv?region=KZ-75"
    assert snippet.startswith("<iframe ") and "chart=ngo_counts&amp;region=KZ-75" in snippet
    with page.expect_download() as download:
        page.locator(".st-key-counts_csv_view").get_by_role("button", name="Download this view (CSV)").click()
    assert get(address).body == Path(download.value.path()).read_bytes()

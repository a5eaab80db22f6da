"""The read-only HTTP API under /api/v1/: the numbers behind every chart, for people and programs that do not click.

Served by the same process as the dashboard (dashboard/server.py mounts `routes()` in Streamlit's
st.App) and answered from the same chart registry and named queries the pages use: a chart's CSV is
made by the function behind its Download menu's "CSV of the view" (evidence.view_csv), so both give
the same rows. Every answer carries an ETag made of the data version, the language and the request as
the chart reads it, so an unchanged view is a 304 and a new import a new answer.

A link's values are checked like the pages check theirs (param_checks' limits) and a bad one is a 400
naming the parameter and the allowed values; values reach SQL only as bound parameters, through
catalog and queries. Answers are made on worker threads, in the reader's language; one already made
for the same link and data version is answered on the event loop, as cheaply as the health check.
"""

import functools
import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

import anyio
import pandas as pd
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import i18n
import queries
from dashboard import catalog
from dashboard.components import evidence, reference
from dashboard.components.param_checks import MAX_VALUE_CHARS, MAX_VALUES
from dashboard.decks import request_to_slide, tier_list
from dashboard.memo import per_data_version
from i18n import localized_column, t

PREFIX = "/api/v1"
CSV_TYPE = "text/csv; charset=utf-8"
# A proxy or browser may keep an answer this long without asking; after that the ETag makes asking cheap.
CACHE_CONTROL = "public, max-age=60"
# The filters a chart route reads, as page links name them, and the language.
CHART_PARAMETERS = ("region", "from", "to", "tier", "source", "lang")
REPEATABLE = {"region"}


class BadParameter(ValueError):
    """A query parameter that cannot be used: answered with 400 and what is allowed."""

    def __init__(self, parameter: str, error: str, allowed: list | None = None):
        super().__init__(error)
        self.parameter, self.error, self.allowed = parameter, error, allowed or []


class NotFound(LookupError):
    """A chart id or route that names nothing: answered with 404."""


class Unavailable(RuntimeError):
    """No data to answer from (the files are broken and there is no earlier good version): answered with 503."""


@dataclass(frozen=True)
class Answer:
    version: str  # the data version the body was made from
    etag: str
    body: bytes
    media_type: str


# ----------------------------------------------------------------------------- reading a link


def _values(items: list[tuple[str, str]], allowed_names: tuple[str, ...]) -> dict[str, list[str]]:
    """The query's values by name; unknown names, too many values or too long ones are a BadParameter."""
    values: dict[str, list[str]] = {}
    for name, value in items:
        if name not in allowed_names:
            raise BadParameter(name[:MAX_VALUE_CHARS], t("api.unknown_parameter"), list(allowed_names))
        values.setdefault(name, []).append(value)
        if len(values[name]) > (MAX_VALUES if name in REPEATABLE else 1):
            raise BadParameter(name, t("api.too_many", n=MAX_VALUES if name in REPEATABLE else 1))
        if len(value) > MAX_VALUE_CHARS:
            raise BadParameter(name, t("api.too_long", n=MAX_VALUE_CHARS))
    return values


def _one_of(name: str, value: str, options: list[str]) -> str:
    if value not in options:
        raise BadParameter(name, t("api.unknown_value", value=value), options)
    return value


def _year(name: str, values: dict[str, list[str]], years: list[int]) -> int | None:
    if name not in values:
        return None
    text = values[name][0]
    if not (text.isascii() and text.isdigit()) or int(text) not in years:
        raise BadParameter(name, t("api.bad_year", value=text, first=years[0], last=years[-1]), [years[0], years[-1]])
    return int(text)


def language_of(items: list[tuple[str, str]]) -> str:
    """The `lang` asked for (English without one); checked here, before anything else is read in it."""
    asked = [value for name, value in items if name == "lang"]
    if not asked:
        return i18n.DEFAULT_LANGUAGE
    if len(asked) > 1 or asked[0] not in i18n.LANGUAGES:
        with i18n.using(i18n.DEFAULT_LANGUAGE):
            raise BadParameter("lang", t("api.unknown_value", value=asked[-1][:MAX_VALUE_CHARS]), list(i18n.LANGUAGES))
    return asked[0]


def chart_request(chart_id: str, items: list[tuple[str, str]]) -> catalog.ChartRequest:
    """The request a page with these filters would make, as the chart reads it; BadParameter or NotFound otherwise.

    A year range or tier equal to "everything" is no filter, as on the pages, so equal views share
    one answer and one ETag.
    """
    values = _values(items, CHART_PARAMETERS)
    chart = catalog.registry().get(chart_id)
    if chart is None:
        raise NotFound(t("api.unknown_chart", chart=chart_id[:MAX_VALUE_CHARS]))
    regions = [_one_of("region", region, reference.linkable_regions()) for region in values.get("region", [])]
    years = reference.year_span()
    year_from, year_to = _year("from", values, years), _year("to", values, years)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise BadParameter("from", t("api.years_reversed", first=year_from, last=year_to), [years[0], years[-1]])
    tiers = list(reference.tier_ids())
    tier = _one_of("tier", values["tier"][0], tiers) if "tier" in values else None
    source = values["source"][0] if "source" in values else None
    if source is not None:
        _one_of("source", source, list(queries.run("sources")["source_id"]))
    request = catalog.ChartRequest(
        chart=chart_id,
        regions=tuple(dict.fromkeys(regions)) or (reference.COUNTRY,),
        year_from=None if year_from == years[0] else year_from,
        year_to=None if year_to == years[-1] else year_to,
        tiers=None if tier in (None, tiers[-1]) else tier_list(tier),
        source=source,
    )
    return chart.request_as_read(request)


def link_query(request: catalog.ChartRequest, language: str) -> str:
    """The query string of a link to this view (the page filters, then `lang` unless English); no `?`."""
    slide = request_to_slide(request)
    slide.pop("chart")
    if language != i18n.DEFAULT_LANGUAGE:
        slide["lang"] = language
    return urlencode(slide, doseq=True)


def chart_path(request: catalog.ChartRequest, file_format: str, language: str) -> str:
    """/api/v1/charts/<id>.<csv|json> with the view's filters."""
    query = link_query(request, language)
    return f"{PREFIX}/charts/{request.chart}.{file_format}" + (f"?{query}" if query else "")


def embed_path(request: catalog.ChartRequest, language: str) -> str:
    """The dashboard's own link that shows this chart alone, for an iframe (presenter.show_embed)."""
    query = link_query(request, language)
    return "/?embed=true&" + urlencode({"chart": request.chart}) + (f"&{query}" if query else "")


def iframe_snippet(url: str, title: str) -> str:
    """HTML to paste into a web page to show the chart at `url`; the title is escaped, as it may quote the data."""
    return f'<iframe src="{escape(url)}" title="{escape(title)}" width="960" height="600" style="border:0"></iframe>'


# ----------------------------------------------------------------------------- what each route answers


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: missing values are null, numbers and text as they are."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


@per_data_version()
def chart_csv(request: catalog.ChartRequest) -> bytes:
    """The view's CSV: exactly the Download menu's "CSV of the view" of the same chart."""
    return evidence.view_csv(catalog.build(request).facts)


def _conflicts(facts: pd.DataFrame) -> list[dict]:
    """Points where sources disagree: every value reported for each, the preferred one marked."""
    if "n_distinct_values" not in facts:
        return []
    disputed = facts[facts["n_distinct_values"] > 1]
    points = []
    for (indicator_id, region, period), rows in disputed.groupby(["indicator_id", "region", "period"], sort=False, dropna=False):
        points.append({"indicator_id": indicator_id, "region": region, "period": period,
                       "values": _records(rows[["value", "value_high", "qualifier", "source_id", "is_preferred"]])})
    return points


@per_data_version()
def chart_json(request: catalog.ChartRequest) -> bytes:
    """The view's rows (as in its CSV) with its title, indicators, units, sources, tiers, notes and conflicts."""
    built = catalog.build(request)
    facts = built.facts
    shown = evidence.chart_evidence(built.request)
    rows = evidence.download_rows(facts)
    for column in ("value", "value_high"):
        if column in rows:
            rows[column] = pd.to_numeric(rows[column].replace("", None))
    catalogue = reference.indicators()
    indicator_ids = list(dict.fromkeys(facts["indicator_id"])) if "indicator_id" in facts else []
    names, definitions = reference.indicator_texts("name"), reference.indicator_texts("definition")
    sources = [dict(source) for source in shown.source_records]
    published = [source["published"] for source in sources if isinstance(source["published"], str) and source["published"]]
    tiers = list(dict.fromkeys(facts["tier"])) if "tier" in facts else []
    return _json({
        "chart": request.chart,
        "title": built.title,
        "language": i18n.current(),
        "filters": {name: value for name, value in request_to_slide(request).items() if name != "chart"},
        "indicators": [{"indicator_id": indicator, "name": names[indicator], "definition": definitions[indicator],
                        "unit": catalogue.loc[indicator, "unit"]} for indicator in indicator_ids],
        "units": list(dict.fromkeys(facts["unit"])) if "unit" in facts else [],
        "tiers": [{"tier": tier, "label": t(f"tier.{tier}")} for tier in tiers],
        "sources": _records(pd.DataFrame(sources)) if sources else [],
        "notes": list(shown.notes),
        "conflicts": _conflicts(facts),
        "last_figure_published": max(published) if published else None,
        "licence": t("footer.licence"),
        "rows": _records(rows),
    })


@per_data_version()
def facts_csv() -> bytes:
    """Every fact, as the Sources & method page's download of all facts."""
    return evidence.view_csv(queries.run("all_facts"))


@per_data_version()
def sources_json() -> bytes:
    sources = queries.run("sources")
    return _json(_records(sources.assign(tier_name=[t(f"tier.{tier}") for tier in sources["tier"]])))


@per_data_version()
def indicators_json() -> bytes:
    catalogue = queries.run("indicator_catalogue")
    return _json(_records(catalogue.assign(name_shown=localized_column(catalogue, "name"),
                                           definition_shown=localized_column(catalogue, "definition"))))


@per_data_version()
def regions_json() -> bytes:
    return _json(_records(reference.regions()[["iso_code", "name_en", "name_ru", "name_kk", "type", "created_year", "split_from"]]))


@per_data_version()
def events_json() -> bytes:
    editions = queries.run("forum_editions")
    names = catalog.forum_edition_names()
    return _json(_records(editions.assign(name_shown=[names[event_id] for event_id in editions["event_id"]])))


def index_json() -> bytes:
    return _json({
        "routes": [f"{PREFIX}/{route}" for route in (*DATA_ROUTES, "charts/{chart_id}.csv", "charts/{chart_id}.json")],
        "chart_parameters": {"region": t("api.help.region"), "from": t("api.help.from"), "to": t("api.help.to"),
                             "tier": t("api.help.tier"), "source": t("api.help.source"), "lang": t("api.help.lang")},
        "languages": list(i18n.LANGUAGES),
        "regions": reference.linkable_regions(),
        "tiers": list(reference.tier_ids()),
        "charts": catalog.chart_ids(),
    })


# The routes that take only `lang`: file name -> what makes the body.
DATA_ROUTES: dict[str, Callable[[], bytes]] = {
    "index.json": index_json,
    "facts.csv": facts_csv,
    "sources.json": sources_json,
    "indicators.json": indicators_json,
    "regions.json": regions_json,
    "events.json": events_json,
}


def _etag(*parts: object) -> str:
    return '"' + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32] + '"'


def answer(route: str, items: list[tuple[str, str]]) -> Answer:
    """The data version, ETag, body and type of a route for a query.

    Runs in a worker thread: in the query's language and one data version throughout, so the ETag
    names exactly the data the body was made from.
    """
    language = language_of(items)
    with i18n.using(language), queries.default_base().one_version():
        try:
            return _answer(route, items, language)
        except queries.DataError as error:
            # Said here, in the reader's language; the pages explain it the same way (data_health).
            raise Unavailable(str(error)) from error


def _answer(route: str, items: list[tuple[str, str]], language: str) -> Answer:
    """answer() within its language and data version."""
    version = queries.fingerprint()
    if route.startswith("charts/"):
        chart_id, dot, file_format = route.removeprefix("charts/").rpartition(".")
        if not dot or file_format not in ("csv", "json"):
            raise NotFound(t("api.unknown_route"))
        request = chart_request(chart_id, items)
        make = (lambda: chart_csv(request)) if file_format == "csv" else (lambda: chart_json(request))
        key = (route, request)
    elif route in DATA_ROUTES:
        _values(items, ("lang",))
        make, key = DATA_ROUTES[route], (route,)
    else:
        raise NotFound(t("api.unknown_route"))
    media_type = CSV_TYPE if route.endswith(".csv") else "application/json"
    return Answer(version, _etag(version, language, *key), make(), media_type)


def client_has(etag: str, if_none_match: str | None) -> bool:
    """Whether the If-None-Match header names this ETag (weak or strong): then a 304 is the answer."""
    return if_none_match is not None and etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]


def _error(status: int, error: str, parameter: str | None = None, allowed: list | None = None) -> JSONResponse:
    content = {"error": error}
    if status == 400:
        content |= {"parameter": parameter, "allowed": allowed or []}
    return JSONResponse(content, status_code=status)


@functools.cache
def _workers() -> anyio.CapacityLimiter:
    """Answers are made on as many threads as the machine has cores: more threads would only take turns
    at Python's interpreter lock, and every turn delays the server's event loop, whose answers wait."""
    return anyio.CapacityLimiter(os.cpu_count() or 1)


# Answers already made, by data version, route and query as sent: the same link asked again is answered
# on the event loop, without waiting for a worker thread. Only the event loop reads and writes it.
READY_ANSWERS = 256
_ready: OrderedDict[tuple, Answer] = OrderedDict()


async def serve(request: Request) -> Response:
    route = request.path_params["route"]
    items = request.query_params.multi_items()
    found = _ready.get((queries.fingerprint(), route, tuple(items)))
    if found is None:
        try:
            found = await anyio.to_thread.run_sync(answer, route, items, limiter=_workers())
        except BadParameter as bad:
            return _error(400, bad.error, bad.parameter, bad.allowed)
        except NotFound as missing:
            return _error(404, str(missing))
        except Unavailable as unavailable:
            return _error(503, str(unavailable))
        _ready[(found.version, route, tuple(items))] = found
        while len(_ready) > READY_ANSWERS:
            _ready.popitem(last=False)
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": found.etag}
    if client_has(found.etag, request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


def routes() -> list[Route]:
    """Every API route: one handler for all paths under /api/v1/, so an unknown one is a JSON 404."""
    return [Route(PREFIX + "/{route:path}", serve, methods=["GET", "HEAD"])]

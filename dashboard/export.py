"""Decks and charts as files to take to a talk: one self-contained HTML deck, and slide images.

- `deck_html(deck)`: a single HTML file with plotly.js inside it. It opens from a USB stick (file://)
  without a single network request, shows one slide at a time and moves with the keys a clicker sends.
- `chart_image(request_or_built, fmt)`: one slide (see charts.presentation.slide_figure) as PNG, SVG
  or PDF; `deck_pdf(deck)`: every slide of a deck as one page of a PDF.
  A deck with a title opens with its title slide (decks.title_slide) in every format.
  Images are drawn by kaleido in Debian's chromium. One kaleido server (one browser) serves the whole
  process: starting a browser per image costs about 4 s, a warm server about 0.3 s per image.

Command line (`python -m dashboard.export --help`):

    python -m dashboard.export deck decks/civil_forum_2025.toml --html out.html --pdf out.pdf --png-dir slides/
    python -m dashboard.export chart ngos_registered --region KZ-75 --from 2020 --to 2025 --png out.png
"""

import argparse
import html
import io
import json
import os
import sys
import time
from pathlib import Path

import kaleido
import plotly.io as pio
import plotly.offline
from pypdf import PdfReader, PdfWriter

from dashboard import catalog
from dashboard.catalog import BuiltChart, ChartRequest, UnknownChart
from dashboard.charts.presentation import present_figure, slide_figure, title_slide_figure
from dashboard.components import reference
from dashboard.decks import Deck, DeckError, load_deck, tier_list, title_slide
from dashboard.formatting import slug
from i18n import LANGUAGES, current, t, using

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "KZNGO_CHROMIUM"  # another browser binary, e.g. a missing one in tests
STATIC_DIR = Path(__file__).resolve().parent / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
# plotly.js names a geo subplot's base map "<scope>_<resolution>m"; the catalog's maps use the defaults.
BASE_MAP = "world_110m"
IMAGE_FORMATS = ("png", "svg", "pdf")
KALEIDO_TIMEOUT_S = 60
EXIT_USER_ERROR = 2
EXIT_EXPORT_ERROR = 1


class ExportError(RuntimeError):
    """An export that cannot be made on this machine; the message says what to do."""


# ----------------------------------------------------------------------------- images


def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)


def chromium_available() -> bool:
    path = chromium_path()
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _missing_chromium() -> ExportError:
    return ExportError(
        f"Image export needs Chromium at {chromium_path()}: install Debian's chromium package "
        "(apt-get install chromium). The HTML export works without it."
    )


def start_image_server() -> None:
    """Start this process's kaleido server, unless it runs already; ExportError without Chromium.

    The browser itself starts with the first image. Checked first: kaleido would otherwise suggest
    downloading Chrome from Google, which is neither wanted nor reachable here.
    """
    if not chromium_available():
        raise _missing_chromium()
    # plotly 7 sends an X-Requested-With header by default, which a running server cannot take and
    # warns about on every image.
    pio.defaults.headers = {}
    # Maps fetch their base map from here instead of Plotly's CDN (a 43-byte empty topology: the
    # catalog's maps draw only their own regions).
    pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    kaleido.start_sync_server(n=1, mathjax=False, timeout=KALEIDO_TIMEOUT_S, path=chromium_path(), silence_warnings=True)


def stop_image_server() -> None:
    """Stop the kaleido server and its browser (a no-op when none runs)."""
    kaleido.stop_sync_server(silence_warnings=True)


def _image(figure, fmt: str) -> bytes:
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; one of {', '.join(IMAGE_FORMATS)}")
    start_image_server()
    return pio.to_image(figure, format=fmt, width=figure.layout.width, height=figure.layout.height, scale=1)


def chart_image(request_or_built: ChartRequest | BuiltChart, fmt: str, width: int = 1920, height: int = 1080) -> bytes:
    """The chart's whole slide (title, headline, chart, sources) as PNG, SVG or PDF bytes."""
    built = request_or_built if isinstance(request_or_built, BuiltChart) else catalog.build(request_or_built)
    return _image(slide_figure(built, width=width, height=height), fmt)


def _title_slide_image(deck: Deck, fmt: str) -> bytes:
    return _image(title_slide_figure(title_slide(deck)), fmt)


def deck_pdf(deck: Deck) -> bytes:
    """Every slide of the deck as one 1920x1080 page, in order, the title slide first."""
    merged = PdfWriter()
    pages = [_title_slide_image(deck, "pdf")] if deck.title else []
    pages += [chart_image(request, "pdf") for request in deck.slides]
    for page in pages:
        merged.append(PdfReader(io.BytesIO(page)))
    out = io.BytesIO()
    merged.write(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- the HTML deck

HTML_STYLE = (STATIC_DIR / "deck.css").read_text(encoding="utf-8")

# Slides are built from the data with textContent only, so no text from the data is ever parsed as HTML.
# A slide's chart is drawn the first time it is shown: Plotly measures its container, and a hidden
# one has no size.
HTML_SCRIPT = (STATIC_DIR / "deck.js").read_text(encoding="utf-8")


def _script_json(data) -> str:
    """JSON safe inside a <script> element: no "<" can end the element or open a comment there."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _slide_data(built: BuiltChart) -> dict:
    figure = present_figure(built.figure)
    # The chart fills what the window leaves under the headline, whatever the screen.
    figure.update_layout(width=None, height=None, autosize=True)
    headline = built.headline
    return {
        "title": built.title,
        "value": headline.value if headline else "",
        "label": headline.label if headline else "",
        "source": built.source_line,
        "figure": json.loads(figure.to_json()),
    }


def _inline_plotlyjs() -> str:
    # plotly.js has no "</script" today; escaping it keeps the file intact should a release add one.
    return plotly.offline.get_plotlyjs().replace("</script", "<\\/script")


def _title_slide_data(deck: Deck) -> dict:
    slide = title_slide(deck)
    return {"title": slide.title, "lines": slide.lines}


def deck_html(deck: Deck) -> str:
    """One self-contained HTML file presenting the deck; no request leaves the file when it is opened."""
    # A slide with "lines" and no "figure" is the title slide.
    slides = [_title_slide_data(deck)] if deck.title else []
    slides += [_slide_data(catalog.build(request)) for request in deck.slides]
    data = {
        "slides": slides,
        # JS fills in {n} and {total}: "Slide 3 of 6" in the deck's language.
        "slideLabel": t("deck_html.slide_label", n="{n}", total="{total}"),
    }
    base_map = json.loads((TOPOJSON_DIR / f"{BASE_MAP}.json").read_text(encoding="utf-8"))
    # plotly.js looks up a geo subplot's base map in window.PlotlyGeoAssets.topojson before fetching
    # it from Plotly's CDN, and keeps an object defined before it loads.
    geo_assets = _script_json({"topojson": {BASE_MAP: base_map}})
    return f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(deck.title)}</title>
<link rel="icon" href="data:,">
<style>{HTML_STYLE}</style>
<script>window.PlotlyGeoAssets = {geo_assets};</script>
<script>{_inline_plotlyjs()}</script>
</head>
<body>
<div class="counter" aria-live="polite"></div>
<script type="application/json" id="deck-data">{_script_json(data)}</script>
<script>{HTML_SCRIPT}</script>
</body>
</html>
"""


# ----------------------------------------------------------------------------- command line


class UsageError(ValueError):
    """A command line asking for something that does not exist."""


def _size(data: bytes | str) -> str:
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} KB"


def _write(path: Path, data: bytes | str, started: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    print(f"wrote {path} ({_size(data)}) in {time.perf_counter() - started:.2f} s")


def _export_deck(args: argparse.Namespace) -> None:
    deck = load_deck(args.path)
    if args.html:
        started = time.perf_counter()
        _write(args.html, deck_html(deck), started)
    if args.pdf:
        started = time.perf_counter()
        _write(args.pdf, deck_pdf(deck), started)
    if args.png_dir:
        if deck.title:
            started = time.perf_counter()
            _write(args.png_dir / f"01-{slug(deck.title)}.png", _title_slide_image(deck, "png"), started)
        for number, request in enumerate(deck.slides, start=1 + bool(deck.title)):
            started = time.perf_counter()
            built = catalog.build(request)
            _write(args.png_dir / f"{number:02d}-{built.file_stem}.png", chart_image(built, "png"), started)


def _chart_request(args: argparse.Namespace) -> ChartRequest:
    regions = tuple(args.region or [reference.COUNTRY])
    unknown = [region for region in regions if region not in reference.region_names()]
    if unknown:
        raise UsageError(f"unknown region {unknown[0]!r}; use a code such as KZ or KZ-75")
    tiers = list(reference.tier_ids())
    if args.tier is not None and args.tier not in tiers:
        raise UsageError(f"unknown tier {args.tier!r}; one of {', '.join(tiers)}")
    return ChartRequest(args.chart, regions=regions, year_from=args.year_from, year_to=args.year_to,
                        tiers=tier_list(args.tier), source=args.source)


def _export_chart(args: argparse.Namespace) -> None:
    request = _chart_request(args)
    try:
        built = catalog.build(request)
    except UnknownChart:
        raise UsageError(f"unknown chart {request.chart!r}; the chart ids are listed in dashboard/catalog.py") from None
    for fmt in IMAGE_FORMATS:
        path = getattr(args, fmt)
        if path:
            started = time.perf_counter()
            _write(path, chart_image(built, fmt), started)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the slides (kk, ru or en)")
    commands = parser.add_subparsers(dest="command", required=True)

    deck = commands.add_parser("deck", help="a deck file as one HTML file, a PDF and/or one PNG per slide")
    deck.add_argument("path", type=Path, help="deck file, e.g. decks/civil_forum_2025.toml")
    deck.add_argument("--html", type=Path, help="self-contained HTML presentation (needs no Chromium)")
    deck.add_argument("--pdf", type=Path, help="PDF with one page per slide")
    deck.add_argument("--png-dir", type=Path, help="folder for one PNG per slide")

    chart = commands.add_parser("chart", help="one chart's slide as PNG, SVG and/or PDF")
    chart.add_argument("chart", help="chart id, e.g. ngo_counts or ngos_registered_map")
    chart.add_argument("--region", action="append", help="region code (repeat for several); default KZ")
    chart.add_argument("--from", dest="year_from", type=int, help="first year")
    chart.add_argument("--to", dest="year_to", type=int, help="last year")
    chart.add_argument("--tier", help="least reliable source tier to include")
    chart.add_argument("--source", help="whose breakdown, for ngo_fields")
    for fmt in IMAGE_FORMATS:
        chart.add_argument(f"--{fmt}", type=Path, help=f"{fmt.upper()} file to write")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    outputs = ("html", "pdf", "png_dir") if args.command == "deck" else IMAGE_FORMATS
    if not any(getattr(args, name) for name in outputs):
        parser.error("name at least one output: " + ", ".join("--" + name.replace("_", "-") for name in outputs))
    try:
        with using(args.lang):
            (_export_deck if args.command == "deck" else _export_chart)(args)
    except DeckError as error:
        print(error, file=sys.stderr)  # "file:line: message", the form editors jump to
        return EXIT_USER_ERROR
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_EXPORT_ERROR
    finally:
        stop_image_server()
    return 0


if __name__ == "__main__":
    sys.exit(main())

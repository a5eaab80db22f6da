"""Kazakh, Russian and English: complete catalogues, no stray English in the code, every page in each language."""

import ast
import json
import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from desk import ingest
from desk.plan import Options
from i18n import LANGUAGES, catalogue, choose_language, t, using

PROJECT = Path(__file__).resolve().parent.parent
APP = str(PROJECT / "dashboard" / "app.py")
PAGES = ["overview", "ngos", "public_councils", "funding", "civil_forum", "regions", "search", "indicator", "sources"]
# Code whose strings reach users: pages, components, charts and what builds them, and the validator's
# and the import's problems. The command-line tools (dashboard.export, python -m desk) talk to operators
# at a terminal and stay English; desk/read.py and desk/snapshot.py hold the words office files use.
USER_FACING = ["dashboard/app.py", "dashboard/app_pages", "dashboard/components", "dashboard/charts",
               "dashboard/catalog.py", "dashboard/presenter.py", "dashboard/formatting.py", "dashboard/decks.py",
               "queries/validate.py", "desk/ingest.py", "desk/rows.py", "desk/cells.py", "desk/classify.py",
               "desk/plan.py", "desk/storage.py"]
# Two words of letters in a row, in any of our alphabets: what a sentence or label looks like.
PHRASE = re.compile(r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{2,}[,.:;!?'’-]*\s+[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{2,}")
# Strings that look like words but are never shown: Plotly option values and the qualifier
# vocabulary of data/qualifiers.csv (mapped to catalogue keys before display).
NOT_TEXT = {"top center", "bottom center", "middle right", "natural earth", "more than", "at least", "up to", "Arial, Helvetica, sans-serif"}


def placeholders(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_key_is_translated_with_the_same_placeholders(language):
    english, other = catalogue("en"), catalogue(language)
    assert set(other) == set(english), sorted(set(other) ^ set(english))
    empty = [key for key, text in other.items() if not text.strip()]
    assert not empty, empty
    mismatched = [key for key in english if placeholders(english[key]) != placeholders(other[key])]
    assert not mismatched, mismatched


def test_kazakh_uses_kazakh_cyrillic_letters_only():
    mixed = [key for key, text in catalogue("kk").items() if re.search(r"[а-яәғқңөұүһі][a-z]|[a-z][а-яәғқңөұүһі]", text)]
    assert not mixed, mixed


def _user_facing_files() -> list[Path]:
    files = []
    for entry in USER_FACING:
        path = PROJECT / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_user_visible_text_is_written_in_the_code():
    found = []
    for path in _user_facing_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                # Markup ("<p class='…'>") is layout, not text.
                if PHRASE.search(node.value) and node.value not in NOT_TEXT and not node.value.lstrip().startswith("<"):
                    found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "text belongs in i18n/*.toml:\n" + "\n".join(found)


def _keys_named(call: ast.Call) -> list[ast.Constant]:
    """The catalogue keys a call to t() or message() names literally: its first argument, or each
    branch of a conditional one ("ingest.a" if ... else "ingest.b")."""
    if not call.args:
        return []
    first = call.args[0]
    branches = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
    return [branch for branch in branches if isinstance(branch, ast.Constant) and isinstance(branch.value, str)]


def test_every_key_the_code_names_is_in_the_catalogue():
    english = catalogue("en")
    unknown = []
    for layer in ("dashboard", "desk", "queries", "i18n"):
        for path in sorted((PROJECT / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "message"):
                    unknown += [f"{path.relative_to(PROJECT)}:{key.lineno}: {key.value}" for key in _keys_named(node)
                                if key.value not in english]
    assert not unknown, "\n".join(unknown)


def test_the_scan_would_catch_a_literal(tmp_path):
    tree = ast.parse('st.header("Registered NGOs")')
    assert any(isinstance(n, ast.Constant) and PHRASE.search(n.value) for n in ast.walk(tree))


@pytest.mark.parametrize(
    ("link", "browser", "language"),
    [("kk", "en-US", "kk"), (None, "ru-RU", "ru"), (None, "kk_KZ", "kk"), (None, "de-DE", "en"), ("xx", "ru", "ru"), (None, None, "en")],
)
def test_the_link_decides_then_the_browser_then_english(link, browser, language):
    assert choose_language(link, browser) == language


def run_page(page: str, language: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = language
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(page, language):
    at = run_page(page, language)
    with using(language):
        assert at.title[0].value == t({"overview": "overview.title", "ngos": "ngos.title", "public_councils": "councils.title",
                                       "funding": "funding.title", "civil_forum": "forum_page.title",
                                       "regions": "regions_page.title", "search": "search.title",
                                       "indicator": "indicator_page.title", "sources": "sources_page.title"}[page])


def test_chart_titles_and_figures_follow_the_language():
    titles = {}
    for language in LANGUAGES:
        at = run_page("ngos", language)
        figure = json.loads(at.get("plotly_chart")[0].proto.spec)
        titles[language] = figure["layout"]["title"]["text"]
        if language != "en":
            assert figure["layout"]["separators"][0] == ","  # decimal comma
    assert len(set(titles.values())) == 3, titles
    with using("kk"):
        assert titles["kk"] == t("chart.ngo_counts.title")


def test_overview_cards_in_kazakh_put_the_qualifier_after_the_number():
    at = run_page("overview", "kk")
    figures = [metric.value.partition("](")[0] for metric in at.metric]  # "[figure](link to its chart)"
    assert any(figure.endswith("астам") for figure in figures), figures


@pytest.mark.parametrize(("language", "words"), [("ru", "неизвестный регион"), ("kk", "белгісіз өңір"), ("en", "is not a known region")])
def test_import_problems_are_reported_in_the_readers_language(language, words):
    content = (PROJECT / "tests" / "ingest_corpus" / "unknown_region.csv").read_bytes()
    plan = ingest.preview(PROJECT / "data", "unknown_region.csv", content,
                          Options(source="govkz_akk_ngos", indicator="ngos_registered"))
    with using(language):
        texts = [t(problem.located) for problem in plan.problems]
    assert any(words in text and "Almaty Region (KZ-19)" in text for text in texts), texts

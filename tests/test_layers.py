"""Layers that point one way: dashboard -> desk -> queries -> i18n, and no other library's internals.

Read from the source with `ast` (every import statement, also inside functions), not by searching text.
"""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PRODUCT = ("dashboard", "desk", "queries", "i18n")
# What each layer may not import: the layers above it, and the UI framework below the dashboard.
FORBIDDEN = {
    "i18n": ("dashboard", "desk", "queries", "streamlit"),
    "queries": ("dashboard", "desk", "streamlit"),
    "desk": ("dashboard", "streamlit"),
    "dashboard": (),
}
# Everywhere in the product: a library's internals, which change without notice between its versions.
PRIVATE_MODULES = ("streamlit.runtime",)


def modules(layer: str) -> list[Path]:
    return sorted((PROJECT / layer).rglob("*.py"))


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of every module an import statement names, and of every name it takes from one."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def is_private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def private_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of each `_`-prefixed name of another library that the code imports or reads off a module
    it imported (`from streamlit import _x`, `import pandas._libs`, `st._config`)."""
    found = []
    library_names = set()  # local names bound to another library's modules
    for line, name in imported(tree):
        if name.split(".")[0] not in PRODUCT and any(is_private(part) for part in name.split(".")):
            found.append((line, name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            library_names |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                              if alias.name.split(".")[0] not in PRODUCT}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] not in PRODUCT:
            library_names |= {alias.asname or alias.name for alias in node.names}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in library_names
                and is_private(node.attr)):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
        # A `_`-prefixed keyword argument (go.Figure(..., _validate=False)) is another library's internals too;
        # the product's own functions take none.
        if isinstance(node, ast.Call):
            found += [(node.lineno, f"{keyword.arg}=") for keyword in node.keywords
                      if keyword.arg is not None and is_private(keyword.arg)]
    return found


def violations(source: str, where: str, layer: str) -> list[str]:
    """What is wrong with the imports of one module of `layer` (its source; `where` names it in the messages)."""
    tree = ast.parse(source)
    found = [f"{where}:{line}: {layer} imports {name}" for line, name in imported(tree)
             if any(is_within(name, banned) for banned in FORBIDDEN[layer])]
    found += [f"{where}:{line}: imports {name}, a library's internals" for line, name in imported(tree)
              if any(is_within(name, private) for private in PRIVATE_MODULES)]
    found += [f"{where}:{line}: uses {name}, a private name of another library" for line, name in private_uses(tree)]
    return found


@pytest.mark.parametrize("layer", PRODUCT)
def test_each_layer_imports_only_the_layers_below_it_and_no_private_api(layer):
    files = modules(layer)
    assert files, f"no modules under {layer}/"
    found = [problem for path in files
             for problem in violations(path.read_text(encoding="utf-8"), str(path.relative_to(PROJECT)), layer)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("layer", "code"), [
    ("queries", "from dashboard.formatting import markdown_text"),
    ("desk", "import streamlit as st"),
    ("i18n", "def f():\n    from queries import schema"),
    ("queries", "import desk.storage"),
    ("dashboard", "from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx"),
    ("dashboard", "from streamlit.elements.lib.utils import _shown_default_value_warning"),
    ("dashboard", "import streamlit as st\nst._config.get_option('x')"),
    ("desk", "import pandas._libs.lib"),
    ("dashboard", "import plotly.graph_objects as go\ngo.Figure({}, _validate=False)"),
])
def test_the_check_would_catch_each_kind_of_wrong_import(layer, code):
    assert violations(code, f"{layer}/example.py", layer), code


def test_the_layers_own_private_names_and_dunders_are_no_violation():
    tree = ast.parse("from queries.db import _pinned_version\nimport streamlit as st\nst.__version__")
    assert private_uses(tree) == []

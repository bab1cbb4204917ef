"""The apps import each other in one order only (docs/architecture.md).

Each app has core modules (models, querysets, services, the code they use) and
edge modules (admin, views, URLs, forms, imports and exports, demo loaders,
commands, start-up hooks). Core modules import only the core of apps below
their own, never an edge; the edges of every app form the top layer together.
A lower app that must react to a higher one offers a hook the higher one
registers with at start-up.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top; apps on one line know nothing of each other.
LAYERS = [
    ("versions", "caching", "pages"),
    ("drugs",),
    ("editorial",),
    ("dictionary", "leaflets"),
    ("interactions",),
    ("reviews",),
    ("insights",),
    ("search",),
    ("config",),
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

EDGE_NAMES = {
    "admin.py",
    "apps.py",
    "views.py",
    "urls.py",
    "forms.py",
    "resources.py",
    "content_io.py",
    "importing.py",
    "feeds.py",
    "sitemaps.py",
    "middleware.py",
    "demo.py",
    "evaluation.py",
}
EDGE_FOLDERS = {"management", "demo", "templatetags", "migrations"}


def is_edge(path):
    parts = path.relative_to(ROOT).parts
    return path.name in EDGE_NAMES or bool(EDGE_FOLDERS & set(parts[1:-1]))


def imports(path):
    """(module, line) for every import of a project app in `path`, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def module_is_edge(module):
    """Whether an imported module (e.g. "editorial.admin") is an edge module."""
    parts = module.split(".")
    return (len(parts) > 1 and f"{parts[1]}.py" in EDGE_NAMES) or bool(
        EDGE_FOLDERS & set(parts[1:])
    )


def violations():
    found = []
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            edge = is_edge(path)
            for module, line in imports(path):
                target = module.split(".")[0]
                if target not in RANK or target == app:
                    continue
                if edge:
                    continue
                if module_is_edge(module) or RANK[target] >= RANK[app]:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_apps_import_each_other_in_the_documented_order_only():
    assert violations() == []


def test_every_app_has_a_place_in_the_order():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(RANK), f"Add {sorted(apps - set(RANK))} to LAYERS and docs/architecture.md"

"""Where the time of one uncached page goes: cProfile over repeated renders, by layer.

    python bench/profile_page.py [URL] [--repeats 50]

Renders the page (the seed article by default) through Django's test client
with the page cache off, under cProfile, and splits the time by the layer each
function belongs to: the database driver, the ORM, templates, the view code
and the rest of Django. Twice: rendered whole (what every request cost before
pages were prerendered, and what the first request after a publish costs now)
and prerendered (every other request). Writes bench/results/profile.md.
"""

import argparse
import cProfile
import io
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.traffic import RESULTS, compared_pages, ensure_database, setup_django  # noqa: E402

# Entry points whose cumulative time says where a render goes (they nest: the
# ORM runs inside the view and inside templates, SQL inside the ORM).
MARKERS = [
    ("whole request (test client)", "django/test/client.py", "request"),
    ("view: get_context_data", str(ROOT), "get_context_data"),
    ("template rendering", "caching/prerender.py", "rendered_content"),
    ("ORM: compiling and running queries", "django/db/models/sql/compiler.py", "execute_sql"),
    ("ORM: making model instances", "django/db/models/query.py", "__iter__"),
    ("SQL round trips (driver)", "django/db/backends/utils.py", "_execute"),
    ("includes ({% include %})", "django/template/loader_tags.py", "render"),
]


def cumulative(stats, path_part, function):
    """The largest cumulative time of a function matching (file, name), and its call count."""
    best, calls = 0.0, 0
    for (filename, _line, name), (_cc, count, _tt, cum, _callers) in stats.stats.items():
        if name == function and path_part in filename:
            if cum > best:
                best = cum
            calls += count
    return best, calls


def profile(url, repeats, prerendered):
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    with override_settings(PAGE_CACHE_ENABLED=False, PRERENDER_ENABLED=prerendered):
        assert client.get(url).status_code == 200
        started = time.perf_counter()
        for _ in range(repeats):
            client.get(url)
        wall_ms = (time.perf_counter() - started) * 1000 / repeats
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeats):
            client.get(url)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total, _calls = cumulative(stats, *MARKERS[0][1:])
    parts = {}
    for label, path_part, function in MARKERS:
        seconds, calls = cumulative(stats, path_part, function)
        parts[label] = {
            "ms_per_render": round(1000 * seconds / repeats, 1),
            "share": round(100 * seconds / total, 1) if total else None,
            "calls_per_render": round(calls / repeats, 1),
        }
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return {
        "url": url,
        "repeats": repeats,
        "wall_ms": round(wall_ms, 1),
        "queries": parts["SQL round trips (driver)"]["calls_per_render"],
        "parts": parts,
        "top": out.getvalue(),
    }


def _short(line):
    """A profile line with file names relative to the project or to site-packages."""
    return re.sub(r"\S*/site-packages/", "", line).replace(f"{ROOT}/", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?")
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    ensure_database()
    url = args.url or compared_pages()[0][1]
    lines = ["# Profile of one uncached page", ""]
    for title, prerendered in (
        (
            "Rendered whole (every request before prerendering; a new content state's first now)",
            False,
        ),
        ("Prerendered (every other request)", True),
    ):
        result = profile(url, args.repeats, prerendered)
        lines += [
            f"## {title}",
            "",
            f"{result['url']}, page cache off, {result['repeats']} renders in process: "
            f"{result['wall_ms']} ms a render without the profiler, {result['queries']} SQL "
            "queries a render.",
            "",
            "Cumulative time under each entry point (under the profiler, which slows",
            "calls down; they nest, so shares do not add up):",
            "",
            "| part | ms a render | share | calls a render |",
            "| --- | ---: | ---: | ---: |",
            *(
                f"| {name} | {part['ms_per_render']} | {part['share']} % | "
                f"{part['calls_per_render']} |"
                for name, part in result["parts"].items()
            ),
            "",
            "Heaviest calls, cumulative:",
            "",
            "```",
            *[_short(line)[:140] for line in result["top"].splitlines() if line.strip()][:45],
            "```",
            "",
        ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profile.md").write_text("\n".join(lines))
    print("\n".join(line for line in lines if line.startswith(("#", "/", "|"))))


if __name__ == "__main__":
    main()

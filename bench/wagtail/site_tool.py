"""Runs inside the Wagtail virtualenv: `load PAGES.json` creates the pages, `queries URL...`
prints the SQL query count of each page as JSON."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagbench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagbench.models import ArticlePage  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

# Pages with no content of their own, so "related articles" and the menu have rows to read.
SIBLINGS = 24


def body(blocks):
    return [
        {"type": kind, "value": value if kind != "paragraph" else f"<p>{value}</p>"}
        for kind, value in blocks
    ]


def load(path):
    pages = json.loads(open(path).read())
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = root.add_child(instance=ArticlePage(title="Home", slug="home", show_in_menus=True))
    Site.objects.all().delete()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True)
    section = home.add_child(
        instance=ArticlePage(title="Articles", slug="articles", show_in_menus=True)
    )
    for index in range(SIBLINGS):
        tags = [pages[index % len(pages)]["tags"][0]] if pages[index % len(pages)]["tags"] else []
        sibling = ArticlePage(
            title=f"Sibling article {index}",
            slug=f"sibling-{index}",
            intro="A short page sharing a tag with a measured one.",
            show_in_menus=index < 6,
        )
        section.add_child(instance=sibling)
        sibling.tags.add(*tags)
        sibling.save_revision().publish()
    for spec in pages:
        page = ArticlePage(
            title=spec["title"], slug=spec["slug"], intro=spec["intro"], body=body(spec["blocks"])
        )
        section.add_child(instance=page)
        page.tags.add(*spec["tags"])
        page.save_revision().publish()
        print(page.url, flush=True)


def queries(urls):
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        counts[url] = {"status": status, "queries": len(captured)}
    print(json.dumps(counts))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "load":
        load(args[0])
    else:
        queries(args)

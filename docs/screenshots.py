"""Save desktop and phone screenshots of the main pages into docs/screenshots/.

Run it with `make screenshots`, which loads the demo content first. It serves
the site from the configured database on a free local port (in this process,
static files included), opens each page in headless Chromium and writes
<page>-desktop.png (1280 px wide) and <page>-phone.png (375 px wide).

    python docs/screenshots.py [--out DIR] [--only NAME ...] [--full-page]
"""

import argparse
import logging
import os
import sys
import threading
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

# Static files come from the source folders here, never from collectstatic's output.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.servers.basehttp import (  # noqa: E402
    ThreadedWSGIServer,
    WSGIRequestHandler,
)
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import reverse  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is the base class's
        pass


def serve():
    """Start the site on a free port in a background thread; return its base URL."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def main_pages():
    """(name, path) for each page type, picked from the content in the database."""
    from drugs.models import Condition, Drug, DrugClass, Indication

    pages = [
        ("home", reverse("pages:home")),
        ("drugs-a-z", _reverse("drugs:drug-list")),
        ("conditions", _reverse("drugs:condition-list")),
    ]

    indications = Indication.objects.for_cards()
    indication = (
        indications.filter(drug__slug="isotretinoin").order_by("approval_status").first()
        or indications.first()
    )
    drug = indication.drug if indication else Drug.objects.published().first()
    if drug:
        pages.append(("drug", drug.get_absolute_url()))
        pages.append(("side-effects", _reverse("drugs:drug-side-effects", slug=drug.slug)))
        pages.append(("drug-reviews", _reverse("reviews:drug-reviews", slug=drug.slug)))
        pages.append(("review-form", _reverse("reviews:review-create", slug=drug.slug)))
    if indication:
        pages.append(("indication", indication.get_absolute_url()))
        pages.append(
            (
                "indication-reviews",
                _reverse(
                    "reviews:indication-reviews",
                    drug_slug=indication.drug.slug,
                    condition_slug=indication.condition.slug,
                ),
            )
        )
        pages.append(("condition", indication.condition.get_absolute_url()))
    elif condition := Condition.objects.published().first():
        pages.append(("condition", condition.get_absolute_url()))
    drug_class = (drug.drug_classes.first() if drug else None) or DrugClass.objects.filter(
        drugs__in=Drug.objects.published()
    ).first()
    if drug_class:
        pages.append(("drug-class", drug_class.get_absolute_url()))
    tag = indication.tags.first() if indication else None
    if tag:
        pages.append(("tag", _reverse("drugs:tag-detail", slug=tag.slug)))
    if drug:
        search = _reverse("search:search")
        pages.append(("search", search and f"{search}?q={drug.name[:4].lower()}"))
        other = Drug.objects.published().exclude(pk=drug.pk).first()
        if other:
            pages.append(("compare", _reverse("search:compare", a=drug.slug, b=other.slug)))
    pages.append(("page-not-found", "/this-page-does-not-exist/"))
    return [(name, path) for name, path in pages if path]


def _reverse(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 - a page type that is not built yet is left out
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", help="page names to take (default: all)")
    parser.add_argument(
        "--full-page", action="store_true", help="the whole page, not only the first screen"
    )
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = main_pages()
    if options.only:
        pages = [(name, path) for name, path in pages if name in options.only]
    # Readers' pages, not Django's debug pages, even when DEBUG is on for development.
    settings.DEBUG = False
    # The deliberate 404 would log a warning; the list printed below says enough.
    logging.disable(logging.WARNING)
    base_url, server = serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size_name, viewport in SIZES.items():
                context = browser.new_context(base_url=base_url, viewport=viewport)
                tab = context.new_page()
                for name, path in pages:
                    response = tab.goto(path, wait_until="networkidle")
                    target = out / f"{name}-{size_name}.png"
                    tab.screenshot(path=str(target), full_page=options.full_page)
                    status = response.status if response else "?"
                    shown = (
                        target.relative_to(BASE_DIR) if target.is_relative_to(BASE_DIR) else target
                    )
                    print(f"{shown}  ({path} → {status})")
                context.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()

"""Demo editorial content: staff accounts per role, sources and medical sign-offs.

The accounts and sources are data, in `editorial/demo_data/` (see
`read_demo_data`). Runs after the content core's demo loader (`python manage.py
load_demo`), on the pages it created, and is idempotent: users are found by username, sources
by page and title, and a page is signed off only when its current content has
no sign-off yet.

The demo staff accounts have published passwords, so they are only created
while DEBUG is on, unless the caller passes `allow_demo_users=True`.
"""

import datetime
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from caching import generation
from drugs.demo import files
from drugs.demo.files import Shape
from drugs.models import Condition, Drug, Indication, PublicationStatus
from editorial import content, services
from editorial.models import Citation, ReviewerProfile

DATA_DIR = Path(__file__).parent / "demo_data"

STAFF = Shape(
    required={
        "username": files.text,
        "password": files.text,
        "first_name": files.text,
        "last_name": files.text,
        "groups": files.string_list,
    },
    optional={
        "profile": Shape(
            required={"display_name": files.text, "credentials": files.text, "role": files.text},
            optional={},
        )
    },
)
SOURCE = Shape(
    required={"key": files.slug, "title": files.text, "publisher": files.text},
    optional={"year": files.whole_number, "url": files.text, "doi": files.text},
)
PAGE_SOURCES = Shape(
    required={"drug": files.slug, "sources": files.slug_list},
    optional={"condition": files.slug},
)


def read_demo_data(data_dir=DATA_DIR):
    """The demo staff accounts and each page's sources, from the files in `demo_data/`.

    `staff.json` lists the accounts; `sources.json` the sources, each under a
    key; `page-sources.json` the keys of the sources each drug page (by slug)
    or article (by drug and condition slug) cites, in order. The files are
    checked as they are read: a mistake raises `DataFileError` naming the entry.
    Returns the accounts, the drug pages' sources by slug and the articles'
    sources by (drug slug, condition slug).
    """
    users = [
        entry.data for entry in files.read(data_dir / "staff.json", STAFF, key_fields=["username"])
    ]
    sources = files.unique(files.read(data_dir / "sources.json", SOURCE, key_fields=["key"]), "key")
    pages = files.read(
        data_dir / "page-sources.json", PAGE_SOURCES, key_fields=["drug", "condition"]
    )
    drug_sources, indication_sources = {}, {}
    for key, entry in files.unique(pages, "sources of this page").items():
        unknown = [name for name in entry["sources"] if (name,) not in sources]
        if unknown:
            raise files.DataFileError(
                f"{entry}: unknown source {unknown[0]!r} (not in sources.json)."
            )
        listed = [
            {field: value for field, value in sources[(name,)].data.items() if field != "key"}
            for name in entry["sources"]
        ]
        if "condition" in entry.data:
            indication_sources[key] = listed
        else:
            drug_sources[entry["drug"]] = listed
    return users, drug_sources, indication_sources


DEMO_USERS, DRUG_SOURCES, INDICATION_SOURCES = read_demo_data()

# Signed off 13 months ago, so the demo shows an overdue review to staff.
OVERDUE_DRUG = "minocycline"


class _Tally:
    """Stands in for the content loader's tally when this loader runs on its own."""

    def create(self, label, key):
        pass

    def touch(self, label, key):
        pass


def _ensure_users(tally, stdout, verbosity):
    users = {}
    for spec in DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": f"{spec['username']}@example.org",
                "is_staff": True,
            },
        )
        if created:
            tally.create("demo staff users", user.username)
        if not user.check_password(spec["password"]) or not user.is_staff:
            user.set_password(spec["password"])
            user.is_staff = True
            user.save()
            if not created:
                tally.touch("demo staff users", user.username)
        user.groups.add(*Group.objects.filter(name__in=spec["groups"]))
        if "profile" in spec:
            profile, made = ReviewerProfile.objects.update_or_create(
                user=user, defaults=spec["profile"]
            )
            if made:
                tally.create("reviewer profiles", user.username)
        users[spec["username"]] = user
        if verbosity >= 1:
            stdout.write(f"  {spec['groups'][0]:<18} {spec['username']} / {spec['password']}\n")
    return users


def _ensure_sources(tally):
    """Add the listed sources the pages lack, found by page and title (bulk)."""
    wanted = []
    drugs = Drug.objects.in_bulk(DRUG_SOURCES, field_name="slug")
    for slug, sources in DRUG_SOURCES.items():
        if slug in drugs:
            wanted.append(("drug", drugs[slug], sources))
    indications = Indication.objects.select_related("drug", "condition").filter(
        drug__slug__in={key[0] for key in INDICATION_SOURCES},
        condition__slug__in={key[1] for key in INDICATION_SOURCES},
    )
    for indication in indications:
        sources = INDICATION_SOURCES.get((indication.drug.slug, indication.condition.slug))
        if sources:
            wanted.append(("indication", indication, sources))
    existing = set(
        Citation.objects.filter(
            Q(drug__in=[page for field, page, _s in wanted if field == "drug"])
            | Q(indication__in=[page for field, page, _s in wanted if field == "indication"])
        ).values_list("drug_id", "indication_id", "title")
    )
    new = []
    for field, page, sources in wanted:
        key = (page.pk, None) if field == "drug" else (None, page.pk)
        for position, source in enumerate(sources):
            if (*key, source["title"]) in existing:
                continue
            citation = Citation(**{field: page}, position=position, **source)
            # The data is ours, its pages were just read and the database checks
            # the constraints; this still catches a malformed URL or DOI.
            citation.clean_fields(exclude=["drug", "indication"])
            citation.clean()
            new.append(citation)
            tally.create("sources", f"{page}: {source['title']}")
    Citation.objects.bulk_create(new)
    # Bulk writes send no signal: pages list their sources.
    generation.bump()


def publish_demo_pages(models, tally):
    """Take demo pages of `models` live the editors' way (when the demo staff exist)."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["demo-editor", "demo-reviewer"])
    }
    if len(users) == 2:
        _ensure_live_versions(users["demo-editor"], users["demo-reviewer"], tally, models)


def _ensure_live_versions(editor, reviewer, tally, models=(Drug, Condition, Indication)):
    """Take every demo page through the editors' path: draft, sign-off, publish.

    The loader wrote the rows; each page whose rows differ from its working
    version is saved as a draft by the demo editor, signed off by the demo
    medical reviewer (four eyes) and, when the demo marks it published,
    published by the editor. Drugs and conditions go first, so articles link to
    live pages; similar drugs are published together when both are ready.
    """
    wanted_live = {}
    for model in models:
        pages = model.objects.select_related("live_version", "draft_version").prefetch_related(
            *content.content_relations(model)
        )
        for page in pages:
            current = services.working_version(page)
            if current is None or current.fingerprint != content.fingerprint(
                content.snapshot(page)
            ):
                services.page_rows_written(page=page, user=editor, comment="Demo content.")
                tally.create("page versions", str(page))
            page = model.objects.select_related("live_version", "draft_version").get(pk=page.pk)
            if page.status not in (PublicationStatus.PUBLISHED, PublicationStatus.IN_REVIEW):
                continue
            if not services.is_signed_off(page):
                at = None
                if getattr(page, "slug", "") == OVERDUE_DRUG:
                    # Signed off 13 months ago, so staff see an overdue review in the demo.
                    at = timezone.now() - datetime.timedelta(days=395)
                services.page_sign_off(page=page, reviewer=reviewer, at=at)
                tally.create("medical sign-offs", str(page))
            if page.status == PublicationStatus.PUBLISHED:
                wanted_live.setdefault(model, []).append(page.pk)
    for model, ids in wanted_live.items():
        for page in model.objects.select_related("live_version", "draft_version").filter(
            pk__in=ids
        ):
            if page.live_version_id and not page.draft_version_id:
                continue
            services.page_publish(page=page, user=editor, with_dependencies=True)
            tally.create("published versions", str(page))


def load(*, tally=None, stdout=None, verbosity=1, allow_demo_users=None):
    """Create the demo staff accounts, sources and sign-offs (idempotent).

    With DEBUG off the accounts (and so the sign-offs) are skipped unless
    `allow_demo_users` is true, since their passwords are printed here.
    """
    tally = tally or _Tally()
    stdout = stdout or sys.stdout
    if allow_demo_users is None:
        allow_demo_users = settings.DEBUG
    _ensure_sources(tally)
    if not allow_demo_users:
        if verbosity >= 1:
            stdout.write(
                "Demo staff accounts and sign-offs skipped: DEBUG is off, and their "
                "passwords are public. Pass --demo-users to create them anyway.\n"
            )
        return tally
    if verbosity >= 1:
        stdout.write("Demo staff accounts for /admin/ (demo only, never in production):\n")
    users = _ensure_users(tally, stdout, verbosity)
    _ensure_live_versions(users["demo-editor"], users["demo-reviewer"], tally)
    return tally

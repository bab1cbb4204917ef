"""Pages rendered in two passes: what changes only when content is published, once; the rest per request.

Most of a drug page or an article is its published content: the text, the
side-effect table, the sources, the similar drugs and related articles. That
part changes only when something is published. The rest (rating figures, the
top review, what patients mention) changes with every approved review.

A template marks what must be rendered on every request:

    {% load prerender %}
    {% per_request "rating" %}{% include "reviews/_rating_badge.html" %}{% endper_request %}

The first request for a page in a given state renders the whole template with
those parts left as markers and keeps the result in the worker's memory; later
requests render only the marked parts and stitch them in. The state is:

- the versions the view names: the live version ids of the pages it shows,
  read in its own query, so publishing one page changes that page's state;
- `CONTENT`, moved by every write to published content (caching/signals.py),
  for what the page shows of other pages (similar drugs, related articles);
- `SITE`, moved when everything must go.

A marked part is rendered on its own from the view's context: it may read the
view's context but no loop variable or `with` around it. Staff, and pages whose
view names no versions, are rendered whole on every request.

Views say what only the prerendered parts need in `get_static_context()`, which
is called only when the whole page is rendered; see `PrerenderMixin`.
"""

import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.template.context import make_context
from django.template.response import TemplateResponse

from . import generation
from .dependencies import keys_from_context, page_depends_on

CONTENT = generation.CONTENT
MARK = "\x00per-request:{}\x00"
_MARKS = re.compile("\x00per-request:([^\x00]+)\x00")
# Each entry holds one page's HTML (30–60 kB): a few hundred keep the pages
# readers actually ask for, at tens of megabytes a worker.
MAX_PAGES = getattr(settings, "PRERENDER_MAX_PAGES", 400)


class Prerendered:
    """A page rendered once: its HTML in pieces, and the parts to render between them."""

    def __init__(self, pieces, names, nodes, keys, carried):
        self.pieces = pieces
        self.names = names
        self.nodes = nodes
        self.keys = keys
        self.carried = carried

    def fill(self, template, context, request):
        """The whole page, with the per-request parts rendered from `context`."""
        engine = template.backend.engine
        context = make_context(context, request, autoescape=engine.autoescape)
        base = template.template
        with context.render_context.push_state(base), context.bind_template(base):
            parts = {name: node.nodelist.render(context) for name, node in self.nodes.items()}
        out = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            out.append(parts[name])
            out.append(piece)
        return "".join(out)


class MemoryStore:
    """What this worker keeps in memory (pages, cards), least recently used dropped first."""

    def __init__(self, size):
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self):
        with self.lock:
            self.pages.clear()


store = MemoryStore(MAX_PAGES)


def _eligible(request):
    if not getattr(settings, "PRERENDER_ENABLED", True):
        return False
    if request.method not in ("GET", "HEAD") or not generation.cache_available():
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


def content_state():
    """(site, content) versions, in one round trip to the shared cache."""
    site, _any, _stored, found = generation.lookup(None, (CONTENT,))
    content = found.get(CONTENT)
    if content is None:
        content = generation.versions([CONTENT], time.time_ns())[CONTENT]
    return site, content


def _key(request, versions):
    # A page that never went live as a version (a legacy page) has None here:
    # `CONTENT` still moves with every write to it.
    # A write refreshing pages before its content version moves renders them whole (refresh.py).
    if versions is None or not _eligible(request) or getattr(request, "prerender_off", False):
        return None
    try:
        site, content = content_state()
    except Exception as exc:
        generation.cache_failed(exc)
        return None
    state = ".".join(str(version) for version in versions)
    return f"{request.get_host()}{request.get_full_path()}|{state}|{site}.{content}"


def prerender(template, context, request, carried=()):
    """Render `template` whole, leaving the per-request parts as markers.

    `carried` names values of the context kept with the page for its
    per-request parts (what they show of the published content).
    """
    engine = template.backend.engine
    render_context = make_context(context, request, autoescape=engine.autoescape)
    render_context.per_request_nodes = {}
    html = template.template.render(render_context)
    split = _MARKS.split(html)
    return Prerendered(
        pieces=split[0::2],
        names=split[1::2],
        nodes=render_context.per_request_nodes,
        keys=frozenset(keys_from_context(context)),
        carried={name: context[name] for name in carried if name in context},
    )


def render(template, context, request, versions, static_context, carried=()):
    """The page: from this worker's prerendered copy when it has one for the current state."""
    key = _key(request, versions)
    if key is None:
        context.update(static_context())
        return template.render(context, request)
    page = store.get(key)
    if page is None:
        context.update(static_context())
        page = prerender(template, context, request, carried)
        store.put(key, page)
    else:
        context.update(page.carried)
        # What the prerendered parts show, for the whole-page cache above.
        page_depends_on(request, *page.keys)
    return page.fill(template, context, request)


class PrerenderedTemplateResponse(TemplateResponse):
    """A TemplateResponse whose content comes from `render()` above."""

    prerender_versions = None
    static_context = staticmethod(dict)
    carried_context = ()

    @property
    def rendered_content(self):
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        return render(
            template,
            context,
            self._request,
            self.prerender_versions,
            self.static_context,
            self.carried_context,
        )


class PrerenderMixin:
    """For a class-based view rendering a template: prerender what publishing changes.

    `prerender_versions()` returns the versions the page's published parts
    depend on (a tuple; None renders the page whole every time);
    `get_static_context()` returns what only those parts need, and is called
    only when they are rendered; the values it names in `carried_context` are
    kept with the prerendered page for the per-request parts.
    """

    response_class = PrerenderedTemplateResponse
    carried_context = ()

    def prerender_versions(self):
        return None

    def get_static_context(self):
        return {}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.prerender_versions = self.prerender_versions()
        response.static_context = self.get_static_context
        response.carried_context = self.carried_context
        return response

"""Old URLs of renamed drugs and conditions, and brand-name URLs of drugs
(/drugs/accutane/), answer with a 301 to the current one."""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse

from dictionary.keys import name_key
from dictionary.models import DrugName
from drugs.models import Condition, Drug

from .models import SlugRedirect

# Which URL argument names which kind of page; `slug` depends on the page.
_DRUG, _CONDITION = SlugRedirect.Kind.DRUG, SlugRedirect.Kind.CONDITION
_NAMED_ARGUMENTS = {"drug_slug": _DRUG, "condition_slug": _CONDITION}
_SLUG_ARGUMENT = {
    "drugs:drug-detail": _DRUG,
    "drugs:drug-side-effects": _DRUG,
    "drugs:condition-detail": _CONDITION,
    "reviews:drug-reviews": _DRUG,
    "reviews:review-create": _DRUG,
    "search:drug-review-feed": _DRUG,
    "search:drug-review-feed-atom": _DRUG,
}
_MODELS = {_DRUG: Drug, _CONDITION: Condition}


def redirect_url_for(path, query_string=""):
    """The current URL for a path naming an old slug, or None.

    Only asked on a 404, so pages that exist never pay for the lookup.
    """
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kinds = {name: kind for name, kind in _NAMED_ARGUMENTS.items() if name in match.kwargs}
    if "slug" in match.kwargs and match.view_name in _SLUG_ARGUMENT:
        kinds["slug"] = _SLUG_ARGUMENT[match.view_name]
    kwargs, changed = dict(match.kwargs), False
    for name, kind in kinds.items():
        redirect = SlugRedirect.objects.for_old_slug(kind, kwargs[name])
        if redirect is not None:
            ids = [redirect.object_id]
        elif kind == _DRUG:
            # A brand or other name in the address: the drug's page is the one true URL.
            ids = DrugName.objects.in_use().filter(key=name_key(kwargs[name])).values("drug_id")
        else:
            continue
        current = (_MODELS[kind].objects.published().filter(pk__in=ids).values_list("slug")).first()
        if current:
            kwargs[name], changed = current[0], True
    if not changed:
        return None
    url = reverse(match.view_name, args=match.args, kwargs=kwargs)
    return f"{url}?{query_string}" if query_string else url


class SlugRedirectMiddleware:
    """On a 404, look the path up among old slugs (like Django's redirects app, but automatic)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        url = redirect_url_for(request.path_info, request.META.get("QUERY_STRING", ""))
        if url is None:
            return response
        return HttpResponsePermanentRedirect(url)

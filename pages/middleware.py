"""Requests that cannot be valid text are refused before any view reads them, and a
database that is away answers 503 (try again), not 500."""

import logging
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

# How long a client (or a load balancer) should wait before retrying a 503.
RETRY_AFTER_SECONDS = 10

# Form bodies whose text we check ourselves.
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
FORM_CONTENT_TYPES = {FORM_CONTENT_TYPE, "multipart/form-data"}


def _text_problem(raw):
    """Why percent-encoded `raw` (str or bytes) is not text we can store, or None."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", "replace")
    decoded_bytes = unquote_to_bytes(raw.replace(b"+", b" "))
    try:
        # Strict UTF-8 also refuses encoded lone surrogates (ED A0 80 and the like).
        text = decoded_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return "is not valid UTF-8"
    if "\x00" in text:
        return "contains a NUL character"
    return None


class MalformedRequestMiddleware:
    """Answer 400 when the path, a header, a cookie, the query string or a form body
    holds NUL, or the query string or form body is not valid UTF-8.

    Django replaces undecodable bytes and passes NUL through, so without this a
    `?q=%00` reaches PostgreSQL (which refuses NUL in any query: a 500) and a
    `%FF` quietly becomes U+FFFD. No browser sends either; refusing them here,
    once, spares every view and queryset from checking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            raise BadRequest(problem)
        return self.get_response(request)

    @staticmethod
    def process_view(request, view_func, view_args, view_kwargs):
        # Parsed before any view runs, so DATA_UPLOAD_MAX_NUMBER_FIELDS applies to
        # every page whether or not its view reads the query (TooManyFieldsSent is
        # a 400). Not earlier: a page served from the page cache never needs it.
        request.GET  # noqa: B018

    @staticmethod
    def problem(request):
        if "\x00" in request.path:
            return "The address contains a NUL character."
        # Headers and cookies reach the database too: the session key, the user
        # agent a failed sign-in records. A quoted cookie can smuggle "\000" in.
        for name, value in request.META.items():
            if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return "A request header contains a NUL character."
        if any("\x00" in value for value in request.COOKIES.values()):
            return "A cookie contains a NUL character."
        query_problem = _text_problem(request.META.get("QUERY_STRING", ""))
        if query_problem:
            return f"The query string {query_problem}."
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if request.method == "POST" and content_type in FORM_CONTENT_TYPES:
            # Reading the form here costs nothing extra (CSRF checks read it anyway) and
            # its limits and parse errors become a 400 before any view has written
            # anything: RequestDataTooBig, TooManyFieldsSent, MultiPartParserError.
            if content_type == FORM_CONTENT_TYPE:
                body_problem = _text_problem(request.body)
                if body_problem:
                    return f"The form data {body_problem}."
            elif any("\x00" in value for _, values in request.POST.lists() for value in values):
                # Multipart values are decoded already; a NUL could still reach a
                # column unchecked (the sign-in records keep the posted fields).
                return "The form data contains a NUL character."
            request.POST  # noqa: B018
        return None


def _a_database_is_unreachable():
    """True when a connection this request opened, or tried to open, is not usable."""
    for wrapper in connections.all(initialized_only=True):
        # No connection after an OperationalError: connecting failed (not retried here,
        # which could wait connect_timeout again).
        if wrapper.connection is None or not wrapper.is_usable():
            return True
    return False


class DatabaseUnavailableMiddleware:
    """A view that lost the database answers 503 with Retry-After, and says nothing was saved.

    A connection refused, dropped or timed out (a restart, a failover) raises
    OperationalError or InterfaceError. The transaction is rolled back by then,
    so telling the visitor to try again is true: a review is acknowledged only
    by the redirect that follows a commit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if not _a_database_is_unreachable():
            # The database answered: a bad query is our bug, a 500 like any other.
            return None
        logger.error(
            "Database unavailable: %s %s", request.method, request.path, exc_info=exception
        )
        from .views import service_unavailable

        response = service_unavailable(request)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

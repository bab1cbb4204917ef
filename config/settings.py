"""Formulary settings, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set one.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or .env); "
            "only DEBUG=true runs with a development key."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "versions",
    "pages",
    "drugs",
    "dictionary",
    "leaflets",
    "interactions",
    "reviews",
    "editorial",
    "search",
    "insights",
    "caching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Near the top, so every response gets its headers, including the 400s the
    # middleware below raise (a bad Host, a NUL in the query string).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pages.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pages.middleware.MalformedRequestMiddleware",
    # ETags and 304s for every response, cached or not.
    "django.middleware.http.ConditionalGetMiddleware",
    # Scheduled versions go live before any cached copy of their page is served.
    "editorial.middleware.ScheduledPublishingMiddleware",
    # Before sessions and auth, so a cached page costs no SQL.
    "caching.middleware.PageCacheMiddleware",
    "config.routers.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Answers the final 404 of a renamed drug or condition with a 301 to its new URL.
    "search.middleware.SlugRedirectMiddleware",
    # Near the view, so a database error raised there becomes a 503, not a 500.
    "pages.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default so a newcomer needs no server; production and CI use PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# Optional read replica: anonymous public reads go there (see config/routers.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # In tests the replica alias mirrors the primary, as replication would.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# The longest replication lag to expect: for this long after a change, pages are
# rendered from the primary, so the page cache never stores a replica's old copy.
REPLICA_LAG_SECONDS = env.float("REPLICA_LAG_SECONDS", default=10.0)
DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set, process memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache for anonymous readers (see caching/). How long a CDN may
# keep a page; our own cache is invalidated on every change instead.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
# Requests publish page versions whose scheduled time has come (at most one
# query a minute per cache); turn off only where cron runs `publish_scheduled`.
SCHEDULED_PUBLISHING_ON_REQUEST = env.bool("SCHEDULED_PUBLISHING_ON_REQUEST", default=True)
PAGE_CACHE_SHARED_MAX_AGE = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=60)
PAGE_CACHE_SKIP = ("/admin/", "/healthz", "/readyz", "/staff/")
# Scheduled publication columns: when one comes due, every cached page is refreshed.
PAGE_CACHE_SCHEDULED_FIELDS = [
    f"drugs.{model}.{field}"
    for model in ("Drug", "Condition", "Indication")
    for field in ("publish_at", "unpublish_at")
]
# Readers of a page nobody has cached wait for one render instead of each rendering it.
PAGE_CACHE_SINGLE_FLIGHT = env.bool("PAGE_CACHE_SINGLE_FLIGHT", default=True)
# Pages each worker keeps from its last hits, so a hit reads only version numbers.
PAGE_CACHE_LOCAL_PAGES = env.int("PAGE_CACHE_LOCAL_PAGES", default=200)
# Cached pages a write renders again before it commits, those read most first, so
# readers find them current rather than cold (caching/refresh.py); 0: none. Reviews
# and votes come often and should be quick; a publish is rare and an editor can wait.
PAGE_CACHE_REFRESH_PAGES = env.int("PAGE_CACHE_REFRESH_PAGES", default=15)
PAGE_CACHE_PUBLISH_REFRESH_PAGES = env.int("PAGE_CACHE_PUBLISH_REFRESH_PAGES", default=60)
# The published parts of drug, article and condition pages are rendered once per
# content state and kept in each worker's memory (caching/prerender.py); only
# review figures are rendered per request. Independent of the page cache.
PRERENDER_ENABLED = env.bool("PRERENDER_ENABLED", default=True)
PRERENDER_MAX_PAGES = env.int("PRERENDER_MAX_PAGES", default=400)

# Sessions live in the database, never only in the cache, so a Redis outage
# logs nobody out and app servers stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TAGGIT_CASE_INSENSITIVE = True

# Production-safe defaults when DEBUG is off; TLS-dependent ones are configurable
# so a deployment without a certificate yet can still start.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

CSRF_FAILURE_VIEW = "pages.views.csrf_failure"

# No inline script or style anywhere on the public site: scripts and styles are
# files under static/, JSON-LD blocks are data, not code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

# Client address: the socket peer, unless the site runs behind that many
# trusted reverse proxies, each appending to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Staff login throttling: after AXES_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for the cool-off time.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "pages.client.axes_client_ip"
AXES_USERNAME_CALLABLE = "pages.client.axes_username"
AXES_LOCKOUT_TEMPLATE = "pages/lockout.html"

# A second factor (TOTP) for the admin; on by default in production.
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Formulary")

# Salt for hashing visitor addresses; reviews never store a raw IP.
VISITOR_HASH_SALT = env.str("VISITOR_HASH_SALT", default=SECRET_KEY)

# --- Review abuse controls ---------------------------------------------------------
# Counted in the database, so every worker process sees the same counts.
# Submissions: per visitor (address) and per network (/24 IPv4, /48 IPv6) in a window.
REVIEW_SUBMIT_WINDOW_SECONDS = env.int("REVIEW_SUBMIT_WINDOW_SECONDS", default=60 * 60)
REVIEW_SUBMIT_LIMIT_PER_VISITOR = env.int("REVIEW_SUBMIT_LIMIT_PER_VISITOR", default=5)
REVIEW_SUBMIT_LIMIT_PER_NETWORK = env.int("REVIEW_SUBMIT_LIMIT_PER_NETWORK", default=20)
# Reports: a review is held for a moderator once credible reports from at least
# REVIEW_REPORT_HOLD_REPORTERS distinct networks weigh REVIEW_REPORT_HOLD_WEIGHT together.
REVIEW_REPORT_HOLD_WEIGHT = env.float("REVIEW_REPORT_HOLD_WEIGHT", default=3.0)
REVIEW_REPORT_HOLD_REPORTERS = env.int("REVIEW_REPORT_HOLD_REPORTERS", default=3)
# A visitor reporting more than this many reviews of one drug within the pattern
# window weighs a quarter; more than the daily limit of reports is refused.
REVIEW_REPORT_SAME_DRUG_LIMIT = env.int("REVIEW_REPORT_SAME_DRUG_LIMIT", default=2)
REVIEW_REPORT_PATTERN_DAYS = env.int("REVIEW_REPORT_PATTERN_DAYS", default=30)
REVIEW_REPORT_DAILY_LIMIT = env.int("REVIEW_REPORT_DAILY_LIMIT", default=20)
# Reports on a review public for longer than this many days weigh half.
REVIEW_REPORT_SETTLED_DAYS = env.int("REVIEW_REPORT_SETTLED_DAYS", default=90)
# Helpful votes: past this many on one review within the window, votes are damped.
REVIEW_VOTE_BURST_LIMIT = env.int("REVIEW_VOTE_BURST_LIMIT", default=20)
REVIEW_VOTE_BURST_SECONDS = env.int("REVIEW_VOTE_BURST_SECONDS", default=10 * 60)
# --- end of review abuse controls ----------------------------------------------------

SITE_NAME = env.str("SITE_NAME", default="Formulary")

# The region's numbers patient information gives for an overdose: the emergency
# services, and a non-emergency medical helpline (empty to leave it out).
EMERGENCY_NUMBER = env.str("EMERGENCY_NUMBER", default="999")
MEDICAL_HELPLINE = env.str("MEDICAL_HELPLINE", default="111")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

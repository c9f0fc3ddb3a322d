"""Settings for Bolig for velferd – tiltaksoppfølging.

Every value comes from the environment (or a `.env` file beside manage.py) through
django-environ. The defaults are for local development on SQLite; with
`BOLIG_ENV=production` the secret key and the database must be given, and the app
refuses to start without them.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

BOLIG_ENV = env.str("BOLIG_ENV", default="development")
PRODUCTION = BOLIG_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only")
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    }

# Rotating the key: the new one in SECRET_KEY, the old ones here (comma-separated) until the
# sessions and links signed with them have expired (SESSION_COOKIE_AGE), then removed.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
# The demonstration's date (tiltak.clock): set by `make run` unless DEMO=0; never in production.
_demo_today = env.str("DEMO_TODAY", default="")
DEMO_TODAY = date.fromisoformat(_demo_today) if _demo_today else None
if PRODUCTION and DEMO_TODAY:
    raise ImproperlyConfigured("DEMO_TODAY sets the demonstration's date; production has none.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# SQLite (the default, `make run`, and any sqlite:/// DATABASE_URL) with simultaneous users.
# Every request that may write is one transaction (ATOMIC_REQUESTS). Begun the default way
# (DEFERRED) it reads first and asks for the write lock at its first write, when another request
# may hold it; SQLite then answers "database is locked" at once instead of waiting, and
# SELECT … FOR UPDATE, which guards the status form's compare-and-save on PostgreSQL, does
# nothing here. IMMEDIATE takes the write lock at BEGIN, so writers queue for it (up to `timeout`
# seconds) and each reads and writes alone. Views that only read run outside a transaction
# (bolig.views.read_only), and WAL lets them read while one request writes. synchronous=NORMAL
# is the usual setting with WAL (safe against a crash of the application, fewer disk syncs).
# Options given in the URL (e.g. ?timeout=30) win. README: "Simultaneous use on SQLite".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "tiltak",
    "rapportering",
    "identity",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
]

MIDDLEWARE = [
    "bolig.logs.RequestLogMiddleware",  # first: each request's id and its line in the log
    "django.middleware.security.SecurityMiddleware",
    "bolig.middleware.StaticFilesMiddleware",  # whitenoise: static files, before the rest
    "bolig.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bolig.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "tiltak.session_time.SessionTimeMiddleware",  # before LoginRequiredMiddleware: it signs out
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "identity.mfa.middleware.SecondFactorMiddleware",  # after it: signed in, then verified
    "django.contrib.messages.middleware.MessageMiddleware",
    "bolig.middleware.RefuseNulInQueryMiddleware",  # after the above: its 400 page needs them
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bolig.urls"
WSGI_APPLICATION = "bolig.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tiltak.context_processors.permissions",
                "tiltak.context_processors.demo",
            ],
        },
    },
]

AUTH_USER_MODEL = "tiltak.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes checks every sign-in first and refuses it while its user name and address are
# locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "bolig.signin.LocalLoginSwitch",  # LOCAL_LOGIN=False: no password is accepted anywhere
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tiltak.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["bolig.formats"]  # English dates day first: bolig/formats/en/formats.py
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Oslo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Static files are served by the application itself (whitenoise), so that any instance serves
# them with no web server beside it. In production from STATIC_ROOT, filled by `manage.py
# collectstatic` (deploy/collectstatic, at build time): names with the content's hash, gzip and
# Brotli copies, and a year's caching; a page naming a file that was not collected fails at
# once. In development straight from static/, as runserver does.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions in the database, each with its user, so that deactivating a user ends them.
SESSION_ENGINE = "tiltak.sessions"

# Cookies, HTTPS and the headers browsers act on. In production every request is HTTPS: behind
# a proxy that ends TLS, set SECURE_PROXY_SSL_HEADER_NAME (e.g. HTTP_X_FORWARDED_PROTO).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # a working day
# Session time (WCAG 2.2.1, ASVS V7.3; tiltak/session_time.py): a session ends after
# SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT seconds after
# signing in whatever happens; the page warns SESSION_WARNING_BEFORE seconds before either. The
# cookie and the stored session outlive the idle timeout (SESSION_COOKIE_AGE after the last
# request), so that the server sees a session that ended, signs it out and keeps a late form.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=SESSION_COOKIE_AGE)
SESSION_WARNING_BEFORE = env.int("SESSION_WARNING_BEFORE", default=5 * 60)
if not (
    0 < SESSION_WARNING_BEFORE < SESSION_IDLE_TIMEOUT <= SESSION_ABSOLUTE_TIMEOUT
    and SESSION_IDLE_TIMEOUT < SESSION_COOKIE_AGE
):
    raise ImproperlyConfigured(
        "Session times: 0 < SESSION_WARNING_BEFORE < SESSION_IDLE_TIMEOUT <= "
        "SESSION_ABSOLUTE_TIMEOUT, and SESSION_IDLE_TIMEOUT < SESSION_COOKIE_AGE."
    )
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# The balancer's and the platform's probes ask each instance directly, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^helse/$", r"^klar/$"]
if env.str("SECURE_PROXY_SSL_HEADER_NAME", default=""):
    SECURE_PROXY_SSL_HEADER = (env.str("SECURE_PROXY_SSL_HEADER_NAME"), "https")
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60 if PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Checks of `manage.py check --deploy` that a deployment has reasons to silence, e.g.
# security.W008 for `make prod`, which serves plain http on localhost.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# Content Security Policy (django-csp): only this site's own files, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures, that user name from that
# address is locked out for AXES_COOLOFF_MINUTES. Locking the pair, not the user name alone,
# keeps one attacker from locking out everyone else.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bolig.signin.locked_out"
# The client's address. Without a proxy it is the connection's own (REMOTE_ADDR) and headers are
# ignored, so a client cannot pick its address. Behind AXES_PROXY_COUNT proxies, each appending
# the address it was reached from to X-Forwarded-For, the client is the header's
# AXES_PROXY_COUNT-th address from the right; whatever a client wrote further left is ignored
# (django-ipware, not strict). ipware counts only the proxies named in the header, one fewer.
proxy_count = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",) if proxy_count else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = proxy_count - 1 if proxy_count else None
IPWARE_STRICT = False
AXES_VERBOSE = False

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Bolig for velferd <ikke-svar@bolig-for-velferd.local>"
)
# The address of the application, for links in emails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Where the accessibility statement tells users to report a problem (the service owner).
ACCESSIBILITY_CONTACT = env.str("ACCESSIBILITY_CONTACT", default="post@husbanken.no")

# Logs go to standard output, for the platform to collect. LOG_FORMAT=json writes one JSON
# object per line (python-json-logger) for central logging; the default is plain text. Each
# request has its line (bolig.request: request id, user id, method, path, status, duration; in
# production or with JSON, else only runserver's own line), and the audit events theirs
# (bolig.audit: sign-in, failed sign-in, lock-out, status change, finalised report, role change).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bolig.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "bolig.request": {"level": "INFO" if PRODUCTION or LOG_FORMAT == "json" else "WARNING"},
        "bolig.audit": {"level": "INFO"},
        # runserver's own line per request is the request log in development.
        "django.server": {"level": "WARNING" if LOG_FORMAT == "json" else "INFO"},
        # WeasyPrint and the font subsetter it uses report every step of making a PDF.
        **{name: {"level": "ERROR"} for name in ("weasyprint", "fontTools")},
    },
}

# Local accounts and two-factor authentication (identity.mfa; README: "Two-factor
# authentication"). LOCAL_LOGIN=False removes the password form and refuses every password, so
# people sign in only through single sign-on. A local account of a role in MFA_REQUIRED_ROLES
# must use a second factor (it is made to set one up at its next sign-in), as must anyone who has
# set one up; `MFA_REQUIRED_ROLES=` (empty) requires it of no role (development, automated checks).
LOCAL_LOGIN = env.bool("LOCAL_LOGIN", default=True)
_role_values = ("coordinator", "directorate", "reader", "admin")  # tiltak.roles.Role
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=["coordinator", "admin"])
if not set(MFA_REQUIRED_ROLES) <= set(_role_values):
    raise ImproperlyConfigured(f"MFA_REQUIRED_ROLES: roles are {', '.join(_role_values)}.")
# Passkeys (django-otp-webauthn) belong to a host name, the relying party, and browsers offer
# them only on https:// addresses and on http://localhost (not 127.0.0.1). In production the
# default is the first of ALLOWED_HOSTS over https; in development http://localhost:8000.
_webauthn_host = ALLOWED_HOSTS[0].lstrip(".") if PRODUCTION and ALLOWED_HOSTS else "localhost"
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=_webauthn_host)
OTP_WEBAUTHN_RP_NAME = "Bolig for velferd"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS",
    default=[f"https://{_webauthn_host}"] if PRODUCTION else ["http://localhost:8000"],
)
# A passkey is a second factor after the password here, never a sign-in on its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_TOTP_ISSUER = "Bolig for velferd"

# Single sign-on over OpenID Connect (identity.sso; README: "Single sign-on"). The providers
# come from OIDC_* variables (identity/sso/config.py); with none, the sign-in page has no SSO
# button and the SSO addresses answer 404.
from identity.sso.config import providers_from_env, role_map_from_env  # noqa: E402

OIDC_PROVIDERS_CONFIG = providers_from_env(production=PRODUCTION)
OIDC_ROLE_MAP = role_map_from_env()
OIDC_DIRECTORATE_CLAIM = env.str("OIDC_DIRECTORATE_CLAIM", default="directorate")
# Who people without access (no role in their claims) are told to contact.
OIDC_ACCESS_CONTACT = env.str("OIDC_ACCESS_CONTACT", default=ACCESSIBILITY_CONTACT)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("identity.sso.context_processors.sso")
# LOCAL_LOGIN=False (identity.mfa above) leaves single sign-on as the only way in.
if not LOCAL_LOGIN and not OIDC_PROVIDERS_CONFIG:
    raise ImproperlyConfigured(
        "LOCAL_LOGIN=False needs a single sign-on provider (OIDC_*): else nobody can sign in."
    )

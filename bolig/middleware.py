from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import translation
from django.utils.cache import patch_cache_control
from whitenoise.middleware import WhiteNoiseMiddleware


class ChosenLanguageMiddleware:
    """Bokmål for everyone, unless the user has chosen another language with the switch.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: a Norwegian
    public service speaks Norwegian by default, whatever the browser is set to.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer of the application, so that no browser or
    proxy keeps a private page, a download or a calendar feed (whose address is its only key).

    All of it, not only the signed-in pages: the few public answers (the sign-in page, the
    accessibility statement, the health check) gain nothing from a cache, and one rule leaves
    no list of exceptions to keep right. Static files are answered before this middleware
    (StaticFilesMiddleware) and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response


class NulInQuery(SuspiciousOperation):
    """A NUL byte in the address's query: no browser sends one, and PostgreSQL refuses it."""


class RefuseNulInQueryMiddleware:
    """Answers 400 to a request whose query parameters hold a NUL byte, before any page reads
    them. Form fields are checked by their forms (Django's CharField refuses NUL), and the
    address's own parts by their path converters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise NulInQuery("A NUL byte in the query string")
        return self.get_response(request)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, serving a static file whose name holds its content's hash with a year's
    caching (whitenoise's own is ten): the longest that HTTP caches are asked to honour
    (RFC 9111 §5.2.2.1 suggests no more), and a new release names new files anyway."""

    FOREVER = 365 * 24 * 60 * 60

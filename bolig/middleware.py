from django.conf import settings
from django.utils import translation


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

"""Bahasa Indonesia unless the user chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, and office PCs often run an
English Windows: the office still expects Indonesian first. A program calling the API has no
language switch: there the request's Accept-Language is followed (Indonesian by default).
"""

from django.conf import settings
from django.utils import translation


class LanguageChoiceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        if chosen not in self.available and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response

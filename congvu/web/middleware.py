import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext


class CookieLocaleMiddleware:
    """Vietnamese unless the user chose English with the switch (the language cookie).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: the system is
    Vietnamese by default, whatever language the workstation's browser was installed in."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class QueryStringGuardMiddleware:
    """A query string holding a NUL or another control character is refused with a 400 and a
    message. Such a value is never a real search, and PostgreSQL cannot hold a NUL in text: passed
    on to a filter it would end in a 500 (issue #14, item 5). Tab and line breaks are allowed."""

    # Every character below the space but tab, line feed and carriage return. One regular expression
    # scan: a query string may be 150 KB, and a Python loop over its characters cost ~5 ms.
    CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            for text in (key, *values):
                if self.CONTROL.search(text):
                    return HttpResponseBadRequest(
                        gettext("Địa chỉ trang có ký tự điều khiển không hợp lệ (tham số “%(name)s”).")
                        % {"name": key[:50].replace("\x00", "")},
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)

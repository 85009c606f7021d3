"""The JavaScript catalogue (django.views.i18n.JavaScriptCatalog, domain djangojs) at one URL per language.

The language is in the path, not only in the cookie, so a browser that cached the Chinese catalogue fetches the
English one after the reader switches language. Cached per language on the server (cache_page keys on the active
language), with Last-Modified at the process start so a deploy with new strings is picked up.
"""

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.views.decorators.cache import cache_page
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

STARTED = timezone.now()
CACHE_SECONDS = 60 * 60

# A browser that asks again with If-Modified-Since gets 304 before the cache is even looked at.
_catalogue = last_modified(lambda request: STARTED)(
    cache_page(CACHE_SECONDS, key_prefix=f"jsi18n-{STARTED.timestamp():.0f}")(JavaScriptCatalog.as_view())
)


def javascript_catalogue(request, language):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return _catalogue(request)

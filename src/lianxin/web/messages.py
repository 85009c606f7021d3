"""Django's messages middleware, made lazy: the message storage (a cookie signer and the session's storage) is built
only when a request adds or reads a message, and only then written back on the answer.

django.contrib.messages.middleware.MessageMiddleware builds the storage for every request (the API's and the public
intake's too); its update() then touches nothing when no message was added or read, so skipping an unbuilt storage
changes no answer."""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    """A subclass, so the admin's check for the messages middleware (admin.E409) still finds it."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response  # no message added or read: nothing to write back
        return super().process_response(request, response)

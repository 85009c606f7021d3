"""The JSON API (django-ninja). Each domain app contributes a router from its own api.py."""

from lianxin.api.base import api  # noqa: F401  (routers are attached in base)

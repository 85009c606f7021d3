"""The JSON API (django-ninja). Each domain app contributes a router from its own api.py."""

import lianxin.api.routers  # noqa: F401  (attaches the routers)
from lianxin.api.base import api

__all__ = ["api"]

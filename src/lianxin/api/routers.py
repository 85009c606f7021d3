"""Attach each app's router to the API. Paths are an external contract: see docs/api.md."""

from lianxin.accounts.api import router as accounts_router
from lianxin.api.base import api
from lianxin.cases.api import router as cases_router
from lianxin.organisation.api import router as organisation_router

api.add_router("", accounts_router)
api.add_router("", organisation_router)
api.add_router("", cases_router)

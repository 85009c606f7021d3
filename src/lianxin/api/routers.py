"""Attach each app's router to the API. Paths are an external contract: see docs/api.md."""

from lianxin.accounts.api import router as accounts_router
from lianxin.api.base import api
from lianxin.appraisal.api import router as appraisal_router
from lianxin.cases.api import router as cases_router
from lianxin.cockpit.api import router as cockpit_router
from lianxin.consultations.api import router as consultations_router
from lianxin.duty.api import router as duty_router
from lianxin.events.api import router as events_router
from lianxin.finder.api import router as finder_router
from lianxin.organisation.api import router as organisation_router
from lianxin.points.api import router as points_router
from lianxin.suggestions.api import router as suggestions_router
from lianxin.throttle.api import router as throttle_router
from lianxin.triage.api import router as triage_router
from lianxin.voters.api import router as voters_router

api.add_router("", accounts_router)
api.add_router("", organisation_router)
api.add_router("", cases_router)
api.add_router("", suggestions_router)
api.add_router("", duty_router)
api.add_router("", events_router)
api.add_router("", consultations_router)
api.add_router("", voters_router)
api.add_router("", finder_router)
api.add_router("", cockpit_router)
api.add_router("", points_router)
api.add_router("", appraisal_router)
api.add_router("", throttle_router)
api.add_router("", triage_router)

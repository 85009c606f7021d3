"""System check: manage.py runserver, qcluster, migrate … refuse to start with keys that do not open the data."""

from django.core.checks import Error, register

from lianxin.maintenance.keys import key_problem


@register()
def field_key_opens_the_data(app_configs=None, **kwargs):
    problem = key_problem()
    if problem is None:
        return []
    return [Error(problem, id="lianxin.E010")]

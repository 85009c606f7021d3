import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with a field key that does not open this database's
# personal data (every name and phone would show as blank). lianxin/maintenance/keys.py
from django.db import connections  # noqa: E402

from lianxin.maintenance.keys import refuse_wrong_key  # noqa: E402 — after the app registry is ready

refuse_wrong_key()
connections.close_all()  # no connection opened here is inherited by forked workers (gunicorn --preload)

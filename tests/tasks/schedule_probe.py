"""The task two qclusters run from the test schedules of tests/tasks/test_schedules_once.py (and
bench/cluster.py): each run writes one row, naming the schedule and the due time django-q passed it."""

import os

from django.db import connection

TABLE = "schedule_probe_run"
CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (id serial PRIMARY KEY, name text NOT NULL, due text NOT NULL, pid int)"


def record(name: str, due: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (name, due, pid) VALUES (%s, %s, %s)", [name, due, os.getpid()])

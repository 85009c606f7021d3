"""Writers on a SQLite file queue for its write lock here instead of in SQLite's busy handler.

SQLite lets one writer at a time hold the database (transaction_mode IMMEDIATE takes the lock at
BEGIN). A writer that finds it taken sleeps in SQLite's busy handler for 1, 2, 5, 10, 15, 20, 25 …
100 ms between tries, so under load the lock sits idle while writers sleep: the intake bench
answered ~100 cases/s with the server using half a core. Queued here, a writer is woken the moment
the previous one is done: threads of a process wait on a lock, processes on flock() of a file
beside the database (`<database>-writers.lock`).

Only writers that use this queue are ordered by it; any other writer still meets them at SQLite's
lock with busy_timeout, as before. Nothing is done on PostgreSQL (row locks, no database lock), for
an in-memory database, or inside an outer transaction (it may already hold the write lock; waiting
here for a writer that waits for that lock would deadlock until busy_timeout).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator

from django.db import connection as default_connection


class _Queue:
    def __init__(self, path: str):
        self.path = path
        # re-entrant: a writer's on-commit work (a task run inline, its rate-limit counts) may write again
        # from the thread that still holds the queue; it goes on, it holds the file lock already
        self.threads = threading.RLock()
        self.depth = 0  # how deep the holding thread is in; changed only by it
        self.pid = 0
        self.fd = -1

    def file(self) -> int:
        """This process's open lock file (a forked worker opens its own: flock belongs to the open file)."""
        pid = os.getpid()
        if self.pid != pid:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self.pid = pid
        return self.fd


_queues: dict[str, _Queue] = {}
_queues_lock = threading.Lock()


def _queue(path: str) -> _Queue:
    queue = _queues.get(path)
    if queue is None:
        with _queues_lock:
            queue = _queues.setdefault(path, _Queue(path))
    return queue


@contextlib.contextmanager
def one_writer_at_a_time(db=None) -> Iterator[None]:
    """Hold the writers' queue of `db` (default: the default connection) for the block; enter it before
    transaction.atomic()."""
    db = db or default_connection
    if db.vendor != "sqlite" or db.in_atomic_block or db.is_in_memory_db():
        yield
        return
    queue = _queue(f"{db.settings_dict['NAME']}-writers.lock")
    with queue.threads:
        queue.depth += 1
        fd = queue.file()
        if queue.depth == 1:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            queue.depth -= 1
            if queue.depth == 0:
                fcntl.flock(fd, fcntl.LOCK_UN)

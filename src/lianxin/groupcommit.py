"""Group commit: the concurrent writers of one process share one write transaction.

Every citizen intake is a short write transaction whose COMMIT waits for the disk (on SQLite with
synchronous=FULL an fsync of the WAL, with the database's one write lock held meanwhile). Under load
those commits queue one behind the other and the disk, not the CPU, sets the pace. Here the threads
of a process that want to write at the same moment hand their writes to one of them, the leader,
which runs them all in one transaction and one COMMIT, then wakes the others with their results —
what PostgreSQL does for its own WAL flushes, and what a batching writer in any queue does.

- A group has one `store(items) -> results` function; `run(item)` hands an item to it and returns
  the item's result. The leader calls `store` with the whole batch inside the shared transaction, in
  its own thread and on its own database connection, so `store` works only through Django's
  `connection`/ORM and the items (never the request's thread-locals). Taking the batch at once lets
  it write each table's rows in one statement.
- Nothing is answered before its transaction has committed: a follower waits for the COMMIT, and
  gets its item's result or the exception.
- One write's failure must not sink the others: if the shared transaction fails (a unique key taken,
  a lock timeout, anything), it is rolled back and each item of the batch is stored again alone, in its
  own transaction, exactly as without group commit; each caller then sees only its own outcome.
- With one request at a time the leader's batch is just its own item: same statements, same single
  transaction as before. Inside an outer transaction (a test, a view that is already atomic) the
  item is stored there directly (in a savepoint): it commits or rolls back with that transaction.
  `LIANXIN_GROUP_COMMIT=false` stores every item alone.
- The batch is as large as what arrived while the previous one was committing, up to MAX_BATCH.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from lianxin.writers import one_writer_at_a_time

MAX_BATCH = 32


class _Write:
    __slots__ = ("error", "finished", "item", "lead", "result", "wake")

    def __init__(self, item: Any):
        self.item = item
        self.wake = threading.Event()  # set when finished, or when this thread is to lead the next batch
        self.lead = False
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None

    def finish(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error, self.finished = result, error, True
        self.wake.set()

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """A queue of writes for one process; `run(item)` returns the item's result from `store` once committed."""

    def __init__(self, store: Callable[[list[Any]], list[Any]], max_batch: int = MAX_BATCH):
        self.store = store
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Write] = []
        self._leading = False
        self.batches = 0  # counters for benchmarks and tests
        self.writes = 0
        self.retried = 0

    def run(self, item: Any) -> Any:
        if connection.in_atomic_block or not settings.GROUP_COMMIT:
            # alone; inside the caller's transaction, a savepoint of it that commits or rolls back with it
            with one_writer_at_a_time(), transaction.atomic():
                return self.store([item])[0]
        write = _Write(item)
        with self._lock:
            self._queue.append(write)
            if not self._leading:
                self._leading = write.lead = True
        if not write.lead:
            write.wake.wait()  # until our batch is committed, or we are to lead the next one
        if not write.finished:
            self._lead()
        return write.outcome()

    def _lead(self) -> None:
        """Commit one batch (it holds this thread's own write), then hand over to the next waiting writer."""
        with self._lock:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
        try:
            self._commit(batch)
        except BaseException as exc:  # the worker is being stopped: no follower may wait for ever
            for write in batch:
                if not write.finished:
                    write.finish(None, exc)
            raise
        finally:
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.wake.set()
                else:
                    self._leading = False

    def _commit(self, batch: list[_Write]) -> None:
        try:
            with one_writer_at_a_time(), transaction.atomic():
                results = self.store([write.item for write in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0].finish(None, exc)
                return
            self.retried += len(batch)
            for write in batch:  # each alone, in its own transaction, as without group commit
                write.finish(*self._alone(write))
            return
        self.batches += 1
        self.writes += len(batch)
        for write, result in zip(batch, results, strict=True):
            write.finish(result)

    def _alone(self, write: _Write) -> tuple[Any, BaseException | None]:
        try:
            with one_writer_at_a_time(), transaction.atomic():
                return self.store([write.item])[0], None
        except Exception as exc:  # handed to the write's own caller
            return None, exc


_groups: dict[str, GroupCommit] = {}
_groups_lock = threading.Lock()


def group(name: str, store: Callable[[list[Any]], list[Any]]) -> GroupCommit:
    """The process's group-commit queue called `name` (one per kind of write), storing with `store`."""
    found = _groups.get(name)
    if found is None:
        with _groups_lock:
            found = _groups.setdefault(name, GroupCommit(store))
    return found

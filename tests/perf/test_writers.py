"""lianxin.writers: SQLite writers queue on a lock file; nothing happens where it is not needed."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from lianxin.writers import one_writer_at_a_time


def sqlite_file_db(tmp_path) -> DatabaseWrapper:
    """A SQLite connection object for a file (never opened: the queue needs no query)."""
    return DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3")}, alias="writers-test")


def held_by_someone_else(path) -> bool:
    """flock() belongs to an open file: another open file of the same path sees the lock, even in this process."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_a_writer_holds_the_lock_file_beside_the_database_for_its_block(tmp_path):
    db = sqlite_file_db(tmp_path)
    lock_path = tmp_path / "db.sqlite3-writers.lock"
    with one_writer_at_a_time(db):
        assert held_by_someone_else(lock_path)  # another process's writer would wait here
    assert not held_by_someone_else(lock_path)


def test_a_failing_block_releases_the_queue(tmp_path):
    db = sqlite_file_db(tmp_path)
    with pytest.raises(RuntimeError), one_writer_at_a_time(db):
        raise RuntimeError("insert failed")
    assert not held_by_someone_else(tmp_path / "db.sqlite3-writers.lock")
    with one_writer_at_a_time(db):  # and the next writer gets in
        pass


def test_threads_of_one_process_take_turns(tmp_path):
    db = sqlite_file_db(tmp_path)
    order: list[str] = []
    first_inside, second_started = threading.Event(), threading.Event()

    def first():
        with one_writer_at_a_time(db):
            order.append("first in")
            first_inside.set()
            second_started.wait(5)
            order.append("first out")

    def second():
        first_inside.wait(5)
        second_started.set()
        with one_writer_at_a_time(db):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]


def test_nothing_is_queued_in_memory_or_inside_an_outer_transaction(tmp_path):
    memory = DatabaseWrapper({**connection.settings_dict, "NAME": ":memory:"}, alias="writers-memory")
    with one_writer_at_a_time(memory):
        pass
    db = sqlite_file_db(tmp_path)
    db.in_atomic_block = True  # an outer transaction may hold SQLite's lock already: never wait under it
    with one_writer_at_a_time(db):
        pass
    assert list(tmp_path.iterdir()) == []  # no lock file was even opened


def test_the_holder_may_write_again_from_its_on_commit_work(tmp_path):
    """A group commit's on-commit work (a task run inline, its rate-limit counts) may queue again from the thread
    that holds the queue: it goes on at once, and the file lock stays held until the outer block ends."""
    db = sqlite_file_db(tmp_path)
    lock_path = tmp_path / "db.sqlite3-writers.lock"
    with one_writer_at_a_time(db):
        with one_writer_at_a_time(db):
            assert held_by_someone_else(lock_path)
        assert held_by_someone_else(lock_path)
    assert not held_by_someone_else(lock_path)

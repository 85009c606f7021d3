"""The classifier in use: the newest active model retrained on the district's cases (database), else the file
built from the repository's data at set-up (settings.TRIAGE_MODEL_PATH).

Each process keeps the one it loaded and looks again for a newer one at most every `RECHECK_SECONDS` (a read
cache with bounded staleness, as the station and calendar caches): a retraining on a worker reaches every web
node within a minute, without a restart.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

from lianxin.triage import engine
from lianxin.triage.models import TriageModel

logger = logging.getLogger("lianxin.triage")

RECHECK_SECONDS = 60


class Unavailable(Exception):
    """No model: the set-up did not build one (`manage.py triage_train`) and none was retrained."""


_lock = threading.Lock()
_state: dict = {"key": None, "classifier": None, "checked": 0.0}


def _wanted_key():
    row = TriageModel.objects.filter(active=True).order_by("-id").values_list("pk", "sha256").first()
    if row is not None:
        return ("db", row[0], row[1])
    path = settings.TRIAGE_MODEL_PATH
    try:
        return ("file", str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


def _load(key) -> engine.Classifier:
    if key[0] == "db":
        blob = TriageModel.objects.values_list("blob", flat=True).get(pk=key[1])
        try:
            classifier = engine.loads(bytes(blob))
        except ValueError:  # retrained by an older version (another format): the repository's model serves
            logger.warning("triage: model %s was saved in an older format; using the repository's model", key[1])
        else:
            classifier.meta.setdefault("name", f"cases-{key[1]}")
            return classifier
    classifier = engine.load(settings.TRIAGE_MODEL_PATH)
    classifier.meta.setdefault("name", "repository")
    return classifier


def classifier() -> engine.Classifier:
    """The classifier in use; raises Unavailable when there is none."""
    now = time.monotonic()
    if _state["classifier"] is not None and now - _state["checked"] < RECHECK_SECONDS:
        return _state["classifier"]
    with _lock:
        key = _wanted_key()
        if key is None:
            _state.update(key=None, classifier=None, checked=0.0)
            raise Unavailable
        if key != _state["key"]:
            _state.update(key=key, classifier=_load(key))
        _state["checked"] = now
        return _state["classifier"]


def forget() -> None:
    """Drop the loaded model (after a retraining in this process, and in tests)."""
    with _lock:
        _state.update(key=None, classifier=None, checked=0.0)


def model_name() -> str:
    return str(classifier().meta.get("name", ""))

"""Periodic jobs of suggestions (django-q schedules in migration 0003_schedules). Safe to run twice; each job
re-reads everything from the database and calls the services."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from lianxin.cases.enums import Light
from lianxin.suggestions import deadlines, drafting, outcome
from lianxin.suggestions.enums import CLOCK_STATES, State
from lianxin.suggestions.models import Assignment, Suggestion


def recompute_lights(now=None) -> dict[str, list[int]]:
    """Set Suggestion.light from the running clock (signing, answering, rating); only changed rows are written."""
    now = now or timezone.now()
    changed: dict[str, list[int]] = defaultdict(list)
    rows = list(Suggestion.objects.filter(state__in=sorted(CLOCK_STATES)))
    parts = defaultdict(list)
    for a in Assignment.objects.filter(suggestion__in=[s.pk for s in rows]):
        parts[a.suggestion_id].append(a)
    for s in rows:
        start, due = deadlines.current_phase(s, parts[s.pk])
        light = deadlines.light_for(start, due, now)
        if light != s.light or due != s.due_at:
            Suggestion.objects.filter(pk=s.pk).update(light=light, due_at=due, phase_started_at=start)
            if light != s.light:
                changed[str(light)].append(s.pk)
    Suggestion.objects.exclude(state__in=sorted(CLOCK_STATES)).exclude(light=Light.NONE).update(light=Light.NONE)
    return dict(changed)


def release_queued() -> int:
    """Queued suggestions enter review when their window opens."""
    ids = Suggestion.objects.filter(state=State.QUEUED).values_list("pk", flat=True)
    return sum(1 for pk in list(ids) if drafting.suggestion_release_queued(suggestion_id=pk) is not None)


def close_unrated(now=None) -> int:
    """Answers the deputy did not rate in time: closed as 'not rated' (or kept open for B/C follow-up)."""
    now = now or timezone.now()
    ids = Suggestion.objects.filter(state=State.ANSWERED, rating_due_at__lt=now).values_list("pk", flat=True)
    return sum(1 for pk in list(ids) if outcome.suggestion_close_unrated(suggestion_id=pk) is not None)

"""Thin tasks of the triage area (django-q2 schedules, migration 0002_schedules)."""

from __future__ import annotations

from lianxin.triage import services


def classify_new_cases() -> dict:
    """Every minute: a category proposal for each new case, and auto-dispatch when it is switched on."""
    return services.classify_new_cases()


def retrain() -> int | None:
    """Weekly: retrain on the district's closed cases; the new model is kept only if it scores better."""
    model = services.model_retrain()
    return model.pk if model else None

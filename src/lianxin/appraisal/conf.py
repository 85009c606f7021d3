"""Limits of the department appraisal: each is a setting read from the environment by settings.py, which lists it
with its default and unit (docs/configuration.md; domain.md: every number is a setting). The settings keep the
names they had in the performance app (`PERFORMANCE_APPRAISAL_*`, from `LIANXIN_PERFORMANCE_APPRAISAL_*`) so no
deployment's environment changes. Appraisal items and weights are data (models), edited by the office."""

from __future__ import annotations

from django.conf import settings


def appraisal_min_sample() -> int:
    """Matters (cases or suggestions) handled, or survey ratings given, before a rate-based item is scored
    and the unit can be ranked: one quick item must not top the list."""
    return settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE


def appraisal_min_scorers() -> int:
    """Entered scores (standing-committee members, office) needed before an entered item counts."""
    return settings.PERFORMANCE_APPRAISAL_MIN_SCORERS

"""Thin job of the audit area (django-q schedule in migration 0005_schedules, daily)."""

from __future__ import annotations

from lianxin.audit.retention import purge_expired


def purge_expired_entries() -> int:
    return purge_expired().count

"""Searching the audit log (the auditor's reader and its exports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.dateparse import parse_date

from lianxin.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditSearch:
    """What the auditor asks for; every part optional. Bad dates or ids are ignored, never an error page."""

    action: str = ""
    actor: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    result: str = ""

    @classmethod
    def from_query(cls, query) -> AuditSearch:
        def text(name: str, limit: int) -> str:
            return str(query.get(name, "")).strip()[:limit]

        def date(name: str) -> dt.date | None:
            try:
                return parse_date(text(name, 10))
            except ValueError:
                return None

        subject_id = text("subject_id", 18)
        return cls(
            action=text("action", 60),
            actor=text("actor", 150),
            subject_type=text("subject_type", 30),
            subject_id=int(subject_id) if subject_id.isdigit() else None,
            date_from=date("date_from"),
            date_to=date("date_to"),
            result=text("result", 20),
        )

    def as_query(self) -> dict[str, str]:
        values = {
            "action": self.action,
            "actor": self.actor,
            "subject_type": self.subject_type,
            "subject_id": "" if self.subject_id is None else str(self.subject_id),
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "result": self.result,
        }
        return {key: value for key, value in values.items() if value}


def search(criteria: AuditSearch) -> QuerySet[AuditEntry]:
    """Entries matching every given part, newest first. Dates are local calendar days, both ends included."""
    entries = AuditEntry.objects.order_by("-id")
    if criteria.action:
        entries = entries.filter(action__startswith=criteria.action)
    if criteria.actor:
        entries = entries.filter(actor_username__icontains=criteria.actor)
    if criteria.subject_type:
        entries = entries.filter(subject_type=criteria.subject_type)
    if criteria.subject_id is not None:
        entries = entries.filter(subject_id=criteria.subject_id)
    if criteria.date_from:
        entries = entries.filter(created_at__date__gte=criteria.date_from)
    if criteria.date_to:
        entries = entries.filter(created_at__date__lte=criteria.date_to)
    if criteria.result:
        entries = entries.filter(result=criteria.result)
    return entries


def results() -> list[str]:
    return list(AuditEntry.objects.order_by("result").values_list("result", flat=True).distinct())

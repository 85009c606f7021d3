"""What every app's API schemas share: the strict input base and the bounds on ids and pages. Each app keeps its own
schemas next to its `api.py` (`cases/schemas.py`, `accounts/schemas.py`, …); inputs are strict about types, the
services check meaning (required fields, lengths, references)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from pydantic import BaseModel

# Ids beyond a 64-bit integer would overflow the database driver: bound every id we accept.
MAX_ID = 2**63 - 1


class Input(BaseModel):
    """Request bodies are plain pydantic models: a JSON array or string is rejected, never read as an object."""


PAGE_SIZE_MAX = 100


def page_of(rows: QuerySet, *, page: int, page_size: int, item: Callable[[Any], Any]) -> dict[str, Any]:
    """Page `page` of `rows` (ordered) in the list shape every app's API answers: `items` (each through `item`),
    `total`, `page`, `page_size`."""
    total = rows.count()
    start = (page - 1) * page_size
    items = [item(row) for row in rows[start : start + page_size]]
    return {"items": items, "total": total, "page": page, "page_size": page_size}

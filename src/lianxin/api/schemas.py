"""What every app's API schemas share: the strict input base and the bounds on ids and pages. Each app keeps its own
schemas next to its `api.py` (`cases/schemas.py`, `accounts/schemas.py`, …); inputs are strict about types, the
services check meaning (required fields, lengths, references)."""

from __future__ import annotations

from pydantic import BaseModel

# Ids beyond a 64-bit integer would overflow the database driver: bound every id we accept.
MAX_ID = 2**63 - 1


class Input(BaseModel):
    """Request bodies are plain pydantic models: a JSON array or string is rejected, never read as an object."""


PAGE_SIZE_MAX = 100

"""Domain errors shared by services, views and the API. Messages are in the user's language."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.fields = {key: [str(m) for m in value] for key, value in (fields or {}).items()}


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class NotAllowed(DomainError):
    """The object is visible to the actor but this action is not theirs or not possible now."""

    status = 409
    code = "not_allowed"


class RevealRefused(NotAllowed):
    """A role that may not see the personal data in a text asked to reveal it (403; the refusal is audited)."""

    status = 403
    code = "reveal_not_allowed"


class NotFound(DomainError):
    """Missing, or not the actor's to see: both look the same from outside."""

    status = 404
    code = "not_found"


class Refused(DomainError):
    """Abuse control said no (lianxin.throttle: a limit, the challenge, a form's bot trap)."""

    status = 429
    code = "refused"


# The errors a page explains next to its form or as a message; a NotFound is left to the 404
# (web/errors.py: DomainErrorMiddleware), so views catch these instead of DomainError.
REFUSALS = (InvalidInput, NotAllowed)
# A public form behind abuse control also shows its refusals (429) with what was typed.
PUBLIC_REFUSALS = (InvalidInput, NotAllowed, Refused)

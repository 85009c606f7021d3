"""The "show the personal data in the texts" step of a work screen: the page shows free text masked; a user who
may reveal (audit/reveal.py) follows `?reveal=1`, the view calls its app's reveal service (which audits it, and
refuses other roles with a 403 that is audited too) and the template shows `text|hide_personal_data:revealed`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lianxin import privacy
from lianxin.audit.reveal import may_reveal_text

PARAM = "reveal"


def reveal_requested(request) -> bool:
    return request.GET.get(PARAM) == "1"


def reveal_context(request, texts: Iterable[str], reveal: Callable[[], object]) -> dict:
    """Context for `web/_reveal_link.html` and the `hide_personal_data:revealed` filter. When the request asks
    for the reveal, `reveal()` (the app's audited service) runs first: its RevealRefused is the page's 403."""
    revealed = False
    if reveal_requested(request):
        reveal()
        revealed = True
    query = request.GET.copy()
    query[PARAM] = "1"
    return {
        "revealed": revealed,
        "can_reveal_text": not revealed and may_reveal_text(request.user) and privacy.has_personal_data(*texts),
        "reveal_url": "?" + query.urlencode(),
    }

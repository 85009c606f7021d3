"""The office's view of the outbox: the newest messages with their state, and why a message was withheld
(over the SMS caps per number). Messages' bodies and addresses are not shown: they may carry a citizen's
follow-up link or phone number.

The outbox imports no app, not even accounts: the project's urls.py mounts this view behind
`accounts.selectors.top_office_required`, which marks the request; mounted without it, the view answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from lianxin.notifications.models import Notification
from lianxin.notifications.selectors import LIST_LIMIT, outbox_rows


@login_required
def outbox(request):
    if not getattr(request, "lianxin_top_office", False):
        raise Http404
    state = request.GET.get("state", "")
    state = state if state in Notification.State.values else ""
    rows = list(outbox_rows(state=state)[:LIST_LIMIT])
    return render(
        request,
        "notifications/outbox.html",
        {"rows": rows, "state": state, "states": Notification.State.choices, "limit": LIST_LIMIT},
    )

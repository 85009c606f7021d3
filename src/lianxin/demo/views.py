"""The demo's message page (/demo/messages/): what the console channel "sent", so a person trying the demo without
a phone can read the SMS codes (voter-report ratings, tracking-link recovery) and the citizens' messages. Only for
the office, only when the console channel delivers and the demo district exists; a 404 otherwise."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from lianxin.accounts.selectors import holds_top_office
from lianxin.demo.seed import demo_exists
from lianxin.notifications.selectors import console_channel_on, console_messages


@login_required
def messages(request):
    if not (holds_top_office(request.user) and console_channel_on() and demo_exists()):
        raise Http404
    return render(request, "demo/messages.html", {"rows": console_messages()})

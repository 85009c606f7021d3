"""Pluggable delivery channels. Each takes a Notification and the recipient address, and raises on failure."""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone

from lianxin import privacy
from lianxin.notifications.caps import sms_claim
from lianxin.notifications.selectors import CONSOLE_KEY

logger = logging.getLogger("lianxin.notifications")


class Channel:
    name = "base"

    def send(self, notification, address: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleChannel(Channel):
    """Default: writes the message to the log (the development and intranet-demo set-up)."""

    name = "console"

    def send(self, notification, address: str) -> None:
        sms_claim(address)  # stands in for SMS when the citizen channel is the log: the same caps
        # Logs are masked like every other place (domain.md section 9): never a full phone number.
        shown = privacy.mask_phone(address) if address[:1].isdigit() else address
        logger.info("notify %s -> %s: %s", notification.event, shown, notification.body)
        console_remember(event=notification.event, address=shown, body=notification.body)


# The console channel's last messages, in the shared cache (every worker and node sees the same list) for the demo
# page /demo/messages/ (lianxin.demo.views): with no phone to receive them, a person trying the demo reads the SMS
# codes there. Only the console channel writes here, and only what its log line already holds (the address masked).
CONSOLE_KEEP = 100
CONSOLE_SECONDS = 24 * 3600


def console_remember(*, event: str, address: str, body: str) -> None:
    entry = {"at": timezone.now().isoformat(), "event": event, "to": address, "body": body}
    kept = cache.get(CONSOLE_KEY) or []
    cache.set(CONSOLE_KEY, [entry, *kept][:CONSOLE_KEEP], CONSOLE_SECONDS)


class EmailChannel(Channel):
    name = "email"

    def send(self, notification, address: str) -> None:
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [address])


def post_json(url: str, payload: dict, *, what: str) -> None:
    """POST JSON to a configured http(s) URL (an intranet gateway); raise on anything but 2xx."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise RuntimeError(f"{what} URL must be http or https")
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - scheme checked above
        if response.status >= 300:
            raise RuntimeError(f"{what} answered {response.status}")


class WebhookChannel(Channel):
    name = "webhook"

    def send(self, notification, address: str) -> None:
        if not settings.NOTIFY_WEBHOOK_URL:
            raise RuntimeError("LIANXIN_NOTIFY_WEBHOOK_URL is not set")
        payload = {"event": notification.event, "to": address, "text": notification.body}
        post_json(settings.NOTIFY_WEBHOOK_URL, payload, what="webhook")


class SmsGatewayChannel(Channel):
    """An SMS gateway reached over HTTP (JSON {"phone", "text"}); the gateway itself is the deployment's."""

    name = "sms"

    def send(self, notification, address: str) -> None:
        if not settings.NOTIFY_SMS_GATEWAY_URL:
            raise RuntimeError("LIANXIN_SMS_GATEWAY_URL is not set")
        sms_claim(address)
        post_json(settings.NOTIFY_SMS_GATEWAY_URL, {"phone": address, "text": notification.body}, what="SMS gateway")


CHANNELS: dict[str, Channel] = {
    c.name: c for c in (ConsoleChannel(), EmailChannel(), WebhookChannel(), SmsGatewayChannel())
}
CHANNELS["log"] = CHANNELS["console"]

"""Pluggable delivery channels. Each takes a Notification and the recipient address, and raises on failure."""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from lianxin import privacy
from lianxin.notifications.caps import sms_claim

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

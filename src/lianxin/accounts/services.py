"""Account changes. API tokens: a random key is handed out once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import ApiToken, User
from lianxin.audit.services import log_action

# Writing last_used_at on every request would turn each read into a write; once in a while is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)
KEY_MAX_LENGTH = 200


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Create a token for `user`, valid for settings.API_TOKEN_DAYS; return the key (shown only now) and the row."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, key_hash=_key_hash(key), expires_at=now + timedelta(days=settings.API_TOKEN_DAYS)
    )
    log_action(
        actor=user,
        action="api_token.issued",
        subject_type="user",
        subject_id=user.pk,
        data={"token_id": token.pk, "expires_at": token.expires_at.isoformat()},
    )
    return key, token


def api_token_user(*, key: str) -> User | None:
    """The active user a key belongs to, or None when it is unknown, expired or its user is disabled."""
    if not key or not isinstance(key, str) or len(key) > KEY_MAX_LENGTH:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_key_hash(key), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

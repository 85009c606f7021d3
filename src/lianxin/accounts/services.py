"""Account changes. API tokens: a random key is handed out once; only its SHA-256 is stored.

A token is accepted only while every rule of the account still holds (等保 2.0): not expired (absolute and idle
lifetime), not revoked, the user active and not locked out, the membership it was issued under still active,
the password unchanged since issue, no password change pending or overdue.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lianxin.accounts.models import ApiToken, Membership, User
from lianxin.audit.services import log_action

# Writing last_used_at on every request would turn each read into a write; once in a while is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)
KEY_MAX_LENGTH = 200


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the password changes (the stored hash has a fresh salt each time); reveals nothing."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{user.password}".encode()).hexdigest()


def password_expired(user: User, *, now=None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > timedelta(days=days)


def password_change_due(user: User) -> bool:
    """The user must choose a new password before doing anything else."""
    return user.must_change_password or password_expired(user)


def failures_within_cooloff(username_ref):
    """Failed logins of a username inside axes' cool-off window (the sum axes itself compares to its limit)."""
    threshold = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    return Coalesce(
        Subquery(
            AccessAttempt.objects.filter(username=username_ref, attempt_time__gte=threshold)
            .order_by()
            .values("username")
            .annotate(total=Sum("failures_since_start"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


@transaction.atomic
def api_token_issue(*, user: User, membership: Membership | None = None) -> tuple[str, ApiToken]:
    """Create a token for `user`, valid for settings.API_TOKEN_DAYS; return the key (shown only now) and the row.
    It is bound to `membership` (default: the user's first active one) and to the current password."""
    if membership is None:
        membership = Membership.objects.filter(user=user, active=True).order_by("id").first()
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=_key_hash(key),
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
        membership=membership,
        had_membership=membership is not None,
        password_fingerprint=password_fingerprint(user),
    )
    log_action(
        actor=user,
        action="account.token_issued",
        subject_type="user",
        subject_id=user.pk,
        data={"token_id": token.pk, "expires_at": token.expires_at.isoformat(), "membership_id": token.membership_id},
    )
    return key, token


def live_tokens():
    """Tokens not revoked and inside both lifetimes, whose user is active (the rules a query can check)."""
    now = timezone.now()
    idle_since = now - timedelta(hours=settings.API_TOKEN_IDLE_HOURS)
    return ApiToken.objects.filter(
        Q(last_used_at__gt=idle_since) | Q(last_used_at__isnull=True, created_at__gt=idle_since),
        revoked_at__isnull=True,
        expires_at__gt=now,
        user__is_active=True,
        user__must_change_password=False,
    ).filter(Q(had_membership=False) | Q(membership__active=True))


def api_token_user(*, key: str) -> User | None:
    """The user a key belongs to, or None when any rule of the token or its account fails (one query)."""
    if not key or not isinstance(key, str) or len(key) > KEY_MAX_LENGTH:
        return None
    tokens = live_tokens().select_related("user").filter(key_hash=_key_hash(key))
    if settings.AXES_ENABLED:
        tokens = tokens.annotate(failures=failures_within_cooloff(OuterRef("user__username")))
    token = tokens.first()
    if token is None:
        return None
    user = token.user
    if getattr(token, "failures", 0) >= settings.AXES_FAILURE_LIMIT:
        return None
    if not secrets.compare_digest(token.password_fingerprint, password_fingerprint(user)) or password_expired(user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one token (its owner or the office; the caller checks who may). Revoking twice changes nothing."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if updated:
            log_action(
                actor=actor,
                action="account.token_revoked",
                subject_type="user",
                subject_id=token.user_id,
                data={"token_id": token.pk},
            )
    token.refresh_from_db()
    return token

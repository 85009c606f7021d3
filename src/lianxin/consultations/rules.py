"""Who manages which consultations: office staff over their division's subtree, station staff over their
own station's. Everyone else manages none (fails closed); a foreign consultation is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.consultations.models import Comment, Consultation
from lianxin.errors import NotFound


def _scope(user) -> Q | None:
    """Office staff: consultations of their division's subtree; station staff: their station's."""
    return scope_of(user, Role.OFFICE, Role.STATION).q(division="division", station="station_id")


def can_manage(user) -> bool:
    return _scope(user) is not None


def office_divisions(user) -> list:
    return list(scope_of(user, Role.OFFICE).divisions)


def visible_consultations(user) -> QuerySet[Consultation]:
    scope = _scope(user)
    if scope is None:
        return Consultation.objects.none()
    return Consultation.objects.filter(scope)


def consultation_for_actor(user, consultation_id) -> Consultation:
    try:
        consultation_id = int(consultation_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该意见征求。")) from None
    found = visible_consultations(user).filter(pk=consultation_id).select_related("station", "division").first()
    if found is None:
        raise NotFound(_("找不到该意见征求。"))
    return found


def comment_for_actor(user, comment_id) -> Comment:
    try:
        comment_id = int(comment_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该意见。")) from None
    comment = (
        Comment.objects.filter(pk=comment_id, consultation__in=visible_consultations(user).values("pk"))
        .select_related("article", "consultation")
        .first()
    )
    if comment is None:
        raise NotFound(_("找不到该意见。"))
    return comment

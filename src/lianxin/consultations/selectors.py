"""Reads of the consultations area: public lists and pages, the staff list, the summary by article."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from lianxin.consultations.enums import AuthorKind, CommentStatus, ConsultationStatus
from lianxin.consultations.models import Article, Comment, Consultation
from lianxin.consultations.rules import visible_consultations

PUBLIC_STATES = [ConsultationStatus.OPEN, ConsultationStatus.CLOSED]


def with_counts(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return consultations.annotate(
        article_count=Count("articles", distinct=True),
        approved_count=Count("comments", filter=Q(comments__status=CommentStatus.APPROVED), distinct=True),
        pending_count=Count("comments", filter=Q(comments__status=CommentStatus.PENDING), distinct=True),
        comment_count=Count("comments", distinct=True),
    )


def public_consultations() -> list[Consultation]:
    """Open ones first (soonest deadline first), then closed ones (latest deadline first)."""
    rows = list(with_counts(Consultation.objects.filter(status__in=PUBLIC_STATES)).select_related("station")[:200])
    open_rows = sorted((c for c in rows if c.status == ConsultationStatus.OPEN), key=lambda c: c.deadline)
    closed = sorted((c for c in rows if c.status != ConsultationStatus.OPEN), key=lambda c: c.deadline, reverse=True)
    return open_rows + closed


def public_consultation(consultation_id) -> Consultation | None:
    """A published consultation with its articles and only their approved comments (two more queries)."""
    try:
        consultation_id = int(consultation_id)
    except (TypeError, ValueError):
        return None
    approved = Comment.objects.filter(status=CommentStatus.APPROVED).only(
        "pk", "article_id", "author_kind", "body", "created_at", "name_masked"
    )
    articles = Article.objects.prefetch_related(Prefetch("comments", queryset=approved, to_attr="approved_comments"))
    return (
        Consultation.objects.filter(pk=consultation_id, status__in=PUBLIC_STATES)
        .select_related("station")
        .prefetch_related(Prefetch("articles", queryset=articles))
        .first()
    )


def staff_consultations(user) -> QuerySet[Consultation]:
    return with_counts(visible_consultations(user)).select_related("station", "division").order_by("-created_at", "-id")


@dataclass
class ArticleSummary:
    article: Article
    total: int
    approved: int
    pending: int
    rejected: int
    citizens: int
    deputies: int


def summary(consultation: Consultation) -> list[ArticleSummary]:
    """Counts by article (one query), in article order."""
    articles = Article.objects.filter(consultation=consultation).annotate(
        total=Count("comments"),
        approved=Count("comments", filter=Q(comments__status=CommentStatus.APPROVED)),
        pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
        rejected=Count("comments", filter=Q(comments__status=CommentStatus.REJECTED)),
        citizens=Count("comments", filter=Q(comments__author_kind=AuthorKind.CITIZEN)),
        deputies=Count("comments", filter=Q(comments__author_kind=AuthorKind.DEPUTY)),
    )
    return [
        ArticleSummary(a, a.total, a.approved, a.pending, a.rejected, a.citizens, a.deputies)
        for a in articles.order_by("number")
    ]


def comments_of(consultation: Consultation, *, status: str | None = None) -> QuerySet[Comment]:
    comments = (
        Comment.objects.filter(consultation=consultation).select_related("article").defer("name_enc", "phone_enc")
    )
    if status:
        comments = comments.filter(status=status)
    return comments.order_by("article__number", "created_at", "id")

"""Consultations: publish a draft law or topic split into articles, take comments, moderate them.

Every state change is one function here, in one transaction, with an audit entry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy, validation
from lianxin.audit.reveal import text_reveal
from lianxin.audit.services import log_action
from lianxin.consultations import conf
from lianxin.consultations.enums import AuthorKind, CommentStatus, ConsultationKind, ConsultationStatus, Decision
from lianxin.consultations.models import Article, Comment, Consultation
from lianxin.consultations.rules import comment_for_actor, consultation_for_actor, office_divisions
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.events.rules import manageable_stations

TITLE_MAX = 200
SUMMARY_MAX = 5000
ARTICLE_MAX = 5000
NAME_MAX = 30
REASON_MAX = 200
DIGITS = "零一二三四五六七八九"
HEADING_RE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇两\d]+条)[\s　]*(.*)$", re.S)


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五 (article headings, up to 999)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + DIGITS[rest]
    return head + (("一" + chinese_number(rest)) if rest < 20 else chinese_number(rest))


def split_articles(text: str) -> list[tuple[str, str]]:
    """Articles are separated by blank lines; a block that starts with 第…条 keeps that heading."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if block.strip()]
    articles = []
    for number, block in enumerate(blocks, start=1):
        match = HEADING_RE.match(block)
        if match and match.group(2).strip():
            articles.append((match.group(1), match.group(2).strip()))
        else:
            articles.append((f"第{chinese_number(number)}条", block))
    return articles


@dataclass
class ConsultationInput:
    title: str = ""
    summary: str = ""
    kind: str = ConsultationKind.DRAFT_LAW
    station_id: int | None = None
    deadline: dt.datetime | None = None
    articles_text: str = ""


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


@transaction.atomic
def consultation_create(*, actor, data: ConsultationInput, publish: bool = False) -> Consultation:
    errors = validation.Errors()
    title = validation.text(
        data.title, field="title", label=_("标题"), max_length=TITLE_MAX, required=True, errors=errors
    )
    summary = validation.text(
        data.summary, field="summary", label=_("说明"), max_length=SUMMARY_MAX, multiline=True, errors=errors
    )
    if data.kind not in ConsultationKind.values:
        _add(errors, "kind", _("类型无效。"))
    station = division = None
    if data.station_id:
        try:
            station = manageable_stations(actor).filter(pk=int(data.station_id)).select_related("division").first()
        except (TypeError, ValueError):
            station = None
        if station is None:
            _add(errors, "station", _("请选择您管理的联络站或联系点。"))
        else:
            division = station.division
    else:
        divisions = office_divisions(actor)
        if not divisions:
            _add(errors, "station", _("请选择联络站或联系点。"))
        else:
            division = divisions[0]
    if not isinstance(data.deadline, dt.datetime):
        _add(errors, "deadline", _("请填写截止时间。"))
    elif data.deadline <= timezone.now():
        _add(errors, "deadline", _("截止时间须晚于现在。"))
    articles = split_articles(data.articles_text) if isinstance(data.articles_text, str) else []
    if not articles:
        _add(errors, "articles_text", _("请填写至少一条条文（每条之间空一行）。"))
    elif len(articles) > conf.articles_max():
        _add(errors, "articles_text", _("条文不能超过 %(articles_max)s 条。") % {"articles_max": conf.articles_max()})
    elif any(len(text) > ARTICLE_MAX for _heading, text in articles):
        _add(errors, "articles_text", _("每条不能超过 %(ARTICLE_MAX)s 个字。") % {"ARTICLE_MAX": ARTICLE_MAX})
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    now = timezone.now()
    consultation = Consultation.objects.create(
        kind=data.kind,
        title=title,
        summary=summary,
        division=division,
        station=station,
        deadline=data.deadline,
        status=ConsultationStatus.OPEN if publish else ConsultationStatus.DRAFT,
        published_at=now if publish else None,
        created_by=actor,
    )
    Article.objects.bulk_create(
        [
            Article(consultation=consultation, number=number, heading=heading, text=text)
            for number, (heading, text) in enumerate(articles, start=1)
        ]
    )
    log_action(
        actor=actor,
        action="consultation.created",
        subject_type="consultation",
        subject_id=consultation.pk,
        data={"title": title, "articles": len(articles), "published": publish},
    )
    return consultation


def _locked(actor, consultation_id) -> Consultation:
    found = consultation_for_actor(actor, consultation_id)
    return Consultation.objects.select_for_update().get(pk=found.pk)


@transaction.atomic
def consultation_publish(*, actor, consultation_id) -> Consultation:
    consultation = _locked(actor, consultation_id)
    if consultation.status != ConsultationStatus.DRAFT:
        raise NotAllowed(_("只有草稿可以发布。"))
    if consultation.deadline <= timezone.now():
        raise NotAllowed(_("截止时间已过，不能发布。"))
    consultation.status = ConsultationStatus.OPEN
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["status", "published_at"])
    log_action(actor=actor, action="consultation.published", subject_type="consultation", subject_id=consultation.pk)
    return consultation


@transaction.atomic
def consultation_close(*, actor, consultation_id) -> Consultation:
    consultation = _locked(actor, consultation_id)
    if consultation.status != ConsultationStatus.OPEN:
        raise NotAllowed(_("只有征求中的可以结束。"))
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["status", "closed_at"])
    log_action(actor=actor, action="consultation.closed", subject_type="consultation", subject_id=consultation.pk)
    return consultation


def is_open(consultation: Consultation, now: dt.datetime | None = None) -> bool:
    return consultation.status == ConsultationStatus.OPEN and consultation.deadline > (now or timezone.now())


def comment_submit(
    *,
    consultation_id,
    article_id,
    body: str,
    name: str = "",
    phone: str = "",
    consent: bool = False,
    deputy=None,
    actor=None,
) -> Comment:
    """A citizen's (or a deputy's) comment on one article; pending until moderated."""
    errors = validation.Errors()
    body = validation.text(
        body, field="body", label=_("意见"), max_length=conf.comment_max(), required=True, multiline=True, errors=errors
    )
    name = validation.text(name, field="name", label=_("姓名"), max_length=NAME_MAX, errors=errors)
    phone = privacy.normalise_phone(phone) if isinstance(phone, str) else ""
    if phone and (len(phone) > 20 or not privacy.is_valid_phone(phone)):
        _add(errors, "phone", _("请填写正确的手机号码或固定电话。"))
    if consent is not True:
        _add(errors, "consent", _("请阅读并同意个人信息告知。"))
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    try:
        consultation_id, article_id = int(consultation_id), int(article_id)
    except (TypeError, ValueError):
        raise NotFound(_("找不到该条文。")) from None
    article = (
        Article.objects.filter(
            pk=article_id,
            consultation_id=consultation_id,
            consultation__status__in=[ConsultationStatus.OPEN, ConsultationStatus.CLOSED],
        )
        .select_related("consultation")
        .first()
    )
    if article is None:
        raise NotFound(_("找不到该条文。"))
    if not is_open(article.consultation):
        raise NotAllowed(_("意见征求已截止。"), code="closed")
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation_id=consultation_id,
            article=article,
            author_kind=AuthorKind.DEPUTY if deputy is not None else AuthorKind.CITIZEN,
            deputy=deputy,
            name_enc=privacy.encrypt(name),
            name_masked=privacy.mask_name(name),
            phone_enc=privacy.encrypt(phone),
            phone_hash=privacy.keyed_hash(phone) if phone else "",
            phone_masked=privacy.mask_phone(phone),
            body=body,
            consent_at=timezone.now(),
        )
        log_action(
            actor=actor,
            actor_role="deputy" if deputy is not None else "citizen",
            action="consultation.commented",
            subject_type="consultation",
            subject_id=consultation_id,
            data={"comment": comment.pk, "article": article.heading, "phone": comment.phone_masked},
        )
    return comment


@transaction.atomic
def comment_moderate(*, actor, comment_id, decision: str, reason: str = "") -> Comment:
    """Approve (publish) or reject a pending comment; a rejection needs a reason. Both are in the audit log."""
    found = comment_for_actor(actor, comment_id)
    errors = validation.Errors()
    reason = validation.text(
        reason, field="reason", label=_("理由"), max_length=REASON_MAX, multiline=True, errors=errors
    )
    if decision not in Decision.values:
        _add(errors, "decision", _("审核结果无效。"))
    if decision == Decision.REJECT and not reason:
        _add(errors, "reason", _("不予公开须写明理由。"))
    if len(reason) > REASON_MAX:
        _add(errors, "reason", _("理由不能超过 %(REASON_MAX)s 个字。") % {"REASON_MAX": REASON_MAX})
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    comment = Comment.objects.select_for_update().get(pk=found.pk)
    if comment.status != CommentStatus.PENDING:
        raise NotAllowed(_("该意见已审核。"), code="already_moderated")
    comment.status = CommentStatus.APPROVED if decision == Decision.APPROVE else CommentStatus.REJECTED
    comment.moderation_reason = reason
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
    log_action(
        actor=actor,
        action=f"consultation.comment_{comment.status}",
        subject_type="consultation",
        subject_id=comment.consultation_id,
        message=reason,
        data={"comment": comment.pk, "article": found.article.heading, "reason": reason},
    )
    return comment


def consultation_reveal_comments(*, actor, consultation_id: int, status: str | None = None) -> Consultation:
    """The comments of a consultation with the phone numbers, ID numbers and e-mail addresses their writers typed
    (every screen, export and API answer masks them): for the reveal roles, audited as
    `consultation.text_revealed`; any other role is refused (403) and that is audited too."""
    consultation = consultation_for_actor(actor, consultation_id)
    bodies = Comment.objects.filter(consultation=consultation)
    if status:
        bodies = bodies.filter(status=status)
    text_reveal(
        actor=actor,
        action="consultation.text_revealed",
        subject_type="consultation",
        subject_id=consultation.pk,
        texts=bodies.values_list("body", flat=True),
    )
    return consultation

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationKind(models.TextChoices):
    DRAFT_LAW = "draft_law", _("法律法规草案")
    TOPIC = "topic", _("热点议题")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征求中")
    CLOSED = "closed", _("已结束")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已公开")
    REJECTED = "rejected", _("未采用公开")


class AuthorKind(models.TextChoices):
    CITIZEN = "citizen", _("群众")
    DEPUTY = "deputy", _("代表")


class Decision(models.TextChoices):
    APPROVE = "approve", _("通过并公开")
    REJECT = "reject", _("不予公开")

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemSource(models.TextChoices):
    """Where an appraisal item's score comes from."""

    CASE_HANDLING = "case_handling", _("系统计算：民意件办理（办复率、按期率、满意度）")
    SUGGESTION_HANDLING = "suggestion_handling", _("系统计算：代表建议办理（办复率、按期率、满意度）")
    STATION_VISITS = "station_visits", _("系统计算：负责人进站次数")
    MEMBER_SCORES = "member_scores", _("录入：常委会组成人员评分")
    OFFICE_SCORE = "office_score", _("录入：人大办考核评分")
    SURVEY = "survey", _("评议意见征集：满意度测评")


COMPUTED_SOURCES = frozenset({ItemSource.CASE_HANDLING, ItemSource.SUGGESTION_HANDLING, ItemSource.STATION_VISITS})
ENTERED_SOURCES = frozenset({ItemSource.MEMBER_SCORES, ItemSource.OFFICE_SCORE})


class RoundState(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    COLLECTING = "collecting", _("意见征集中")
    SCORING = "scoring", _("评分汇总中")
    PUBLISHED = "published", _("已公布")


class OpinionRating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNKNOWN = "unknown", _("不了解")


class RaterKind(models.TextChoices):
    DEPUTY = "deputy", _("代表")
    CITIZEN = "citizen", _("群众")

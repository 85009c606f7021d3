from lianxin.performance.models.appraisal import (
    AppraisalItem,
    AppraisalItemDefault,
    AppraisalItemResult,
    AppraisalOpinion,
    AppraisalResult,
    AppraisalRound,
    AppraisalScore,
)
from lianxin.performance.models.points import (
    AssessmentRequirement,
    AssessmentStandard,
    PointsContest,
    PointsEntry,
    PointsPublication,
    PointsRule,
)

__all__ = [
    "AppraisalItem",
    "AppraisalItemDefault",
    "AppraisalItemResult",
    "AppraisalOpinion",
    "AppraisalResult",
    "AppraisalRound",
    "AppraisalScore",
    "AssessmentRequirement",
    "AssessmentStandard",
    "PointsContest",
    "PointsEntry",
    "PointsPublication",
    "PointsRule",
]

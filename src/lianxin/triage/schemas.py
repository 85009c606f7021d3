"""Schemas of the triage API."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from lianxin.api.schemas import Input

TITLE_MAX = 100
DETAILS_MAX = 5000


class TriageIn(Input):
    title: str = Field("", max_length=TITLE_MAX, description="标题（可只填其一）")
    details: str = Field("", max_length=DETAILS_MAX, description="详细内容")


class ChoiceOut(Schema):
    category: str = Field(..., description="一级分类名称")
    category_id: int | None = Field(..., description="本平台分类 id；分类表中没有该名称时为空")
    confidence: float = Field(..., description="模型给出的概率（0–1，已校准）")


class TriageOut(Schema):
    category: str = Field(..., description="最可能的一级分类")
    category_id: int | None
    confidence: float
    alternatives: list[ChoiceOut] = Field(..., description="其次可能的分类，从高到低")
    confident: bool = Field(..., description="置信度是否达到自动派单阈值（LIANXIN_TRIAGE_AUTO_CONFIDENCE）")
    subcategory: str | None = Field(
        None,
        description="二级分类（属于所建议的一级分类；仅在置信度达到 LIANXIN_TRIAGE_SUBCATEGORY_CONFIDENCE 时给出）",
    )
    subcategory_id: int | None = Field(None, description="本平台二级分类 id")
    subcategory_confidence: float | None = Field(None, description="二级分类的概率（0–1）")
    model: str = Field(..., description="所用模型（repository：仓库数据训练；cases-N：本地民意件重训）")

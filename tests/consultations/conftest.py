import datetime as dt

import pytest
from django.utils import timezone

from lianxin.consultations import services

ARTICLES = """第一条　为了规范住宅小区物业管理，制定本条例。

第二条　业主大会应当每年至少召开一次。

物业服务企业应当公开收费标准。"""


def consultation_input(district, **fields) -> services.ConsultationInput:
    values = {
        "title": "《某市住宅小区物业管理条例（草案）》征求意见",
        "summary": "请就草案逐条提出意见。",
        "station_id": district.station.pk,
        "deadline": timezone.now() + dt.timedelta(days=10),
        "articles_text": ARTICLES,
    }
    values.update(fields)
    return services.ConsultationInput(**values)


def make_consultation(district, *, publish: bool = True, actor=None, **fields):
    return services.consultation_create(
        actor=actor or district.station_staff, data=consultation_input(district, **fields), publish=publish
    )


def comment(consultation, n: int = 0, *, body: str = "建议增加业主监督条款。", **fields):
    article = list(consultation.articles.order_by("number"))[n]
    values = {"name": "孙八", "phone": "13612345678", "consent": True, **fields}
    return services.comment_submit(consultation_id=consultation.pk, article_id=article.pk, body=body, **values)


@pytest.fixture
def consultation(district):
    return make_consultation(district)

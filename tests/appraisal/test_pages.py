"""The appraisal's public pages: the leaderboard, its details and export, the citizens' opinion form (moved from
tests/performance/test_pages.py)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import ItemSource, RoundState
from tests.appraisal.helpers import handled_case

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def published_round(district, settings):
    settings.PERFORMANCE_APPRAISAL_MIN_SAMPLE = 1
    round_ = appraisal_services.round_create(actor=district.office, year=YEAR)
    for item in round_.items.exclude(source=ItemSource.CASE_HANDLING):
        appraisal_services.item_update(actor=district.office, item_id=item.pk, weight=0)
    handled_case(district, rating="satisfied")
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    appraisal_services.round_publish(actor=district.office, round_id=round_.pk)
    return round_


def test_the_public_leaderboard_and_its_details(district, client, published_round, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = client.get(reverse("appraisal:leaderboard", args=[YEAR]))
    body = page.content.decode()
    assert page.status_code == 200 and "计算方法" in body and "区住建局" in body
    assert "13812341234" not in body and "张三" not in body
    item = published_round.items.get(source=ItemSource.CASE_HANDLING)
    detail = client.get(reverse("appraisal:detail", args=[YEAR, district.unit.code, item.pk]))
    assert detail.status_code == 200 and "办复率" in detail.content.decode()
    assert client.get(reverse("appraisal:detail", args=[YEAR, "nope", item.pk])).status_code == 404
    assert client.get(reverse("appraisal:leaderboard", args=[YEAR - 1])).status_code == 404
    export = client.get(reverse("appraisal:leaderboard_export", args=[YEAR]))
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["排行榜", "计算明细", "计算方法"]
    assert book["排行榜"].cell(4, 2).value == "区住建局"


def test_a_draft_round_is_not_public_and_citizens_rate_during_collection(district, client):
    round_ = appraisal_services.round_create(actor=district.office, year=YEAR)
    assert client.get(reverse("appraisal:leaderboard", args=[YEAR])).status_code == 404
    assert client.get(reverse("appraisal:public_opinion", args=[YEAR])).status_code == 404
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    url = reverse("appraisal:public_opinion", args=[YEAR])
    bad = client.post(url, {"unit": district.unit.pk, "phone": "123", "rating": "satisfied"})
    assert bad.status_code == 422 and "手机号码" in bad.content.decode()
    ok = client.post(url, {"unit": district.unit.pk, "phone": "13800000001", "rating": "unknown", "consent": "on"})
    assert ok.status_code == 200 and "感谢您的评议" in ok.content.decode()
    again = client.post(url, {"unit": district.unit.pk, "phone": "13800000001", "rating": "satisfied", "consent": "on"})
    assert again.status_code == 409
    assert round_.opinions.count() == 1

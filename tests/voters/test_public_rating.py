"""The public report page: one form, a code button and a rating button; errors next to the form, nothing stored."""

import logging

import pytest
from django.urls import reverse

from lianxin.voters.models import RatingCode, ReportRating
from tests.voters.helpers import open_report, sent_code

pytestmark = pytest.mark.django_db


def test_a_voter_rates_through_the_page_and_cannot_repeat(
    district, client, caplog, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    report = open_report(district)
    url = reverse("voters:public_report_rate", args=[report.pk])
    with django_assert_max_num_queries(4):
        assert client.get(reverse("voters:public_report", args=[report.pk])).status_code == 200
    with (
        caplog.at_level(logging.INFO, logger="lianxin.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.post(url, {"action": "code", "phone": "13812341234", "rating": "satisfied"})
    assert "验证码已发送到 13812341234" in page.content.decode()
    assert 'value="13812341234"' in page.content.decode() and "checked" in page.content.decode()
    form = {
        "action": "rate",
        "phone": "13812341234",
        "code": sent_code(caplog),
        "rating": "satisfied",
        "comment": "很负责",
        "consent": "on",
    }
    without_consent = client.post(url, {**form, "consent": ""})
    assert without_consent.status_code == 422 and "请阅读并同意个人信息告知。" in without_consent.content.decode()
    done = client.post(url, form)
    assert done.status_code == 302 and done["Location"].endswith("?rated=1")
    assert "感谢您的评价" in client.get(done["Location"]).content.decode()
    again = client.post(url, form)
    assert again.status_code == 422 and "每人只能评价一次" in again.content.decode()
    assert ReportRating.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "code", "phone": ""}, "请填写手机号码。"),
        ({"action": "code", "phone": "abc"}, "请填写正确的手机号码。"),
        (
            {"action": "rate", "phone": "13812341234", "code": "000000", "rating": "satisfied", "consent": "on"},
            "验证码不正确或已过期，请重新获取。",
        ),
        ({"action": "rate", "phone": "13812341234", "rating": "perfect"}, "请选择满意、基本满意或不满意。"),
    ],
)
def test_bad_page_input(district, client, data, message):
    report = open_report(district)
    response = client.post(reverse("voters:public_report_rate", args=[report.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (ReportRating.objects.count(), RatingCode.objects.count()) == (0, 0)


def test_unknown_and_unpublished_reports_are_404(district, client):
    assert client.get("/reports/999999/").status_code == 404
    assert client.post("/reports/999999/rate", {"action": "code", "phone": "13812341234"}).status_code == 404

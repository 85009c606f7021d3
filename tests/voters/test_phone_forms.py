"""The deputy's contact form and the office's call-back form as a phone browser gets them: the date box opens
with today's date (an ISO value, whatever the language), and no call-back result is chosen for the clerk."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.voters.models import ContactCheck
from tests.voters.helpers import add_contacts, days_in, last_month, pair

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_contact_date_box_opens_with_today_in_iso(district, client, language):
    client.cookies["django_language"] = language
    client.force_login(district.deputy_user)
    page = client.get(reverse("voters:deputy", args=[district.deputy.pk])).content.decode()
    box = re.search(r'<input type="date" name="contacted_on"[^>]*>', page).group(0)
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in box


def test_a_bound_contact_form_keeps_the_date_in_iso(district, client):
    client.force_login(district.deputy_user)
    response = client.post(
        reverse("voters:contact_add", args=[district.deputy.pk]), {"contacted_on": "2026-11-02", "way": "visit"}
    )
    assert response.status_code == 422
    assert 'value="2026-11-02"' in response.content.decode()


@pytest.fixture
def check(district):
    household = pair(district, 1)[0]
    add_contacts(district.deputy, days_in(last_month(), 1), household=household)
    from lianxin.voters import services

    return services.contact_sample_draw(actor=district.office, month=last_month(), seed=1).checks.get()


def test_no_call_back_result_is_preselected(district, check, client):
    client.force_login(district.office)
    page = client.get(reverse("voters:samples")).content.decode()
    select = re.search(r'<select name="c%d-result".*?</select>' % check.pk, page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select) == [""]


def test_a_call_back_without_a_result_is_refused_and_stores_nothing(district, check, client):
    client.force_login(district.office)
    response = client.post(
        reverse("voters:check_record", args=[check.pk]), {f"c{check.pk}-note": "打了电话"}, follow=True
    )
    assert ContactCheck.objects.get(pk=check.pk).result == "pending"
    assert "请选择回访结果" in response.content.decode()

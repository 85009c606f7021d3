"""Work screens and public pages: who sees what (a foreign object is a 404), forms with bad input, query counts."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.appraisal import services as appraisal_services
from lianxin.appraisal.enums import RoundState
from lianxin.points import services as points_services
from lianxin.points.enums import Activity
from lianxin.points.models import PointsContest, PointsEntry
from lianxin.points.services import points_scan
from tests.points.helpers import shift

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def ledger(district):
    today = timezone.localdate()
    for days in (3, 2, 1):
        shift(district, today - dt.timedelta(days=days), "present")
    shift(
        district, today - dt.timedelta(days=4), "absent", deputy=district.other_deputy, station=district.other_station
    )
    points_scan()
    return PointsEntry.objects.filter(deputy=district.deputy, activity=Activity.DUTY_ATTENDED).first()


# persona -> status of (points table, own ledger of district.deputy, review, assessment, rules, appraisal list)
PAGES = {
    "office": (200, 200, 200, 200, 200, 200),
    "deputy_user": (302, 200, 404, 404, 200, 404),  # the rules (with their caps) are read-only for deputies
    "leader": (200, 404, 404, 404, 200, 200),
    "station_staff": (404, 404, 404, 404, 404, 404),
    "unit_user": (404, 404, 404, 404, 404, 404),
    "auditor": (404, 404, 404, 404, 404, 404),
    "outsider": (404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_who_opens_which_page(district, client, ledger, persona):
    client.force_login(district.persona(persona))
    urls = [
        reverse("points:points"),
        reverse("points:deputy", args=[district.deputy.pk]),
        reverse("points:review"),
        reverse("points:assessment"),
        reverse("points:rules"),
        reverse("appraisal:appraisal"),
    ]
    assert tuple(client.get(url).status_code for url in urls) == PAGES[persona]


def test_deputies_read_the_rules_and_their_caps_but_cannot_change_them(district, client, ledger):
    client.force_login(district.deputy_user)
    page = client.get(reverse("points:rules"))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="rules"' in body and 'id="caps-note"' in body
    capped = [rule for rule in page.context["rules"] if rule.cap is not None]
    assert capped and all(f'data-activity="{rule.activity}"' in body for rule in capped)
    assert 'id="rule-change"' not in body and reverse("points:rule_change") not in body
    assert client.post(reverse("points:rule_change"), {"activity": "duty_attended", "points": "9"}).status_code == 404
    client.force_login(district.office)
    assert 'id="rule-change"' in client.get(reverse("points:rules")).content.decode()


def test_a_deputy_sees_only_their_own_ledger_and_the_table_once_published(district, client, ledger):
    client.force_login(district.deputy_user)
    assert client.get(reverse("points:deputy", args=[district.other_deputy.pk])).status_code == 404
    assert client.get(reverse("points:deputy", args=[999999])).status_code == 404
    page = client.get(f"{reverse('points:points')}?year={YEAR}&quarter=0")
    assert page.status_code == 200 and "本期积分尚未公布" in page.content.decode()
    assert client.get(f"{reverse('points:points_export')}?year={YEAR}").status_code == 404
    points_services.period_publish(actor=district.office, year=YEAR, quarter=0, published=True)
    page = client.get(f"{reverse('points:points')}?year={YEAR}&quarter=0")
    codes = [row.deputy.code for row, _cells in page.context["rows"]]
    assert codes == [district.deputy.code, district.other_deputy.code]  # 60+6 before 60-1
    export = client.get(f"{reverse('points:points_export')}?year={YEAR}")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [sheet.cell(4, c).value for c in (1, 2, 4)] == [1, "王代表", 66]


def test_a_deputy_contests_from_the_ledger_page_and_the_office_decides(district, client, ledger):
    client.force_login(district.deputy_user)
    url = reverse("points:contest", args=[ledger.pk])
    assert client.post(url, {"reason": "  "}).status_code == 302
    assert not PointsContest.objects.exists()
    client.post(url, {"reason": "当天系统签到失败，实际已到岗。"})
    contest = PointsContest.objects.get()
    page = client.get(reverse("points:deputy", args=[district.deputy.pk]))
    assert "异议处理中" in page.content.decode()
    other_entry = PointsEntry.objects.filter(deputy=district.other_deputy).first()
    assert client.post(reverse("points:contest", args=[other_entry.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("points:contest_decide", args=[contest.pk]), {"note": "x"}).status_code == 404

    client.force_login(district.office)
    assert contest.reason in client.get(reverse("points:review")).content.decode()
    client.post(reverse("points:contest_decide", args=[contest.pk]), {"decision": "dismiss", "note": "签到记录无误"})
    contest.refresh_from_db()
    assert contest.state == "dismissed"


def test_manual_entry_form_refuses_bad_input(district, client, ledger):
    client.force_login(district.office)
    url = reverse("points:manual_add", args=[district.deputy.pk])
    before = PointsEntry.objects.count()
    for body in ({"points": "abc", "occurred_on": "2026-01-01", "reason": "x"}, {"points": "1", "reason": ""}, {}):
        response = client.post(url, body, follow=True)
        assert response.status_code == 200 and PointsEntry.objects.count() == before
    client.post(url, {"points": "2", "occurred_on": timezone.localdate().isoformat(), "reason": "参加视察"})
    assert PointsEntry.objects.count() == before + 1
    client.force_login(district.deputy_user)
    assert client.post(url, {"points": "5", "occurred_on": "2026-01-01", "reason": "x"}).status_code == 404


def test_lists_keep_their_query_count(district, client, ledger, django_assert_max_num_queries):
    for i in range(30):
        shift(district, timezone.localdate() - dt.timedelta(days=10 + i), "present")
    points_scan()
    client.force_login(district.office)
    for url in (
        reverse("points:points"),
        reverse("points:deputy", args=[district.deputy.pk]),
        reverse("points:review"),
        reverse("points:assessment"),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_assessment_and_ledger_exports(district, client, ledger):
    client.force_login(district.office)
    book = load_workbook(io.BytesIO(client.get(f"{reverse('points:assessment')}?short=1&format=xlsx").content))
    rows = [[c.value for c in row] for row in book.active.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == ["王代表", "李代表"]  # both fall short of the default standard
    assert "联系选民次数 0/10" in rows[0][5]
    content = client.get(reverse("points:deputy_export", args=[district.deputy.pk])).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sorted(sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)) == ["年度基础分"] + ["按时到站值班"] * 3


def test_a_deputy_rates_units_during_the_collection(district, client):
    round_ = appraisal_services.round_create(actor=district.office, year=YEAR)
    client.force_login(district.deputy_user)
    page = client.get(reverse("points:deputy", args=[district.deputy.pk]))
    assert "rate-link" not in page.content.decode()
    appraisal_services.round_set_state(actor=district.office, round_id=round_.pk, state=RoundState.COLLECTING)
    page = client.get(reverse("points:deputy", args=[district.deputy.pk]))
    assert reverse("appraisal:rate", args=[YEAR]) in page.content.decode()
    url = reverse("appraisal:rate", args=[YEAR])
    assert client.post(url, {"unit": district.unit.pk, "rating": "great"}).status_code == 422
    client.post(url, {"unit": district.unit.pk, "rating": "basically_satisfied", "comment": "还行"})
    assert client.post(url, {"unit": district.unit.pk, "rating": "satisfied"}).status_code == 422
    assert list(round_.opinions.values_list("rating", "deputy_id")) == [("basically_satisfied", district.deputy.pk)]
    client.force_login(district.office)
    assert client.get(url).status_code == 404


def test_the_ledger_narrows_to_dates_and_sums_what_it_lists(district, client, django_assert_max_num_queries):
    """The cockpit's deputies' table links to ?from=&to=&state=counted and shows that sum; bad dates fall back to the
    year with a message."""
    from decimal import Decimal

    today = timezone.localdate()
    for days, points, state in (
        (0, "3", "counted"),
        (1, "2.5", "counted"),
        (1, "10", "pending"),
        (400, "5", "counted"),
    ):
        PointsEntry.objects.create(
            deputy=district.deputy,
            activity=Activity.MANUAL,
            points=Decimal(points),
            occurred_on=today - dt.timedelta(days=days),
            evidence_type="manual",
            reason="测试",
            state=state,
        )
    url = reverse("points:deputy", args=[district.deputy.pk])
    client.force_login(district.office)
    window = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}
    with django_assert_max_num_queries(16):
        response = client.get(url, {**window, "state": "counted"})
    assert response.context["page"].paginator.count == 2 and response.context["dated_sum"] == Decimal("5.5")
    assert "直接相加为 5.5 分" in response.content.decode()
    # beside it, the capped points of the periods the dates touch: the figure the cockpit shows for those dates
    assert response.context["dated_points"] == Decimal("5.5") and 'id="dated-points"' in response.content.decode()
    assert client.get(url, window).context["dated_sum"] == Decimal("15.5")
    assert client.get(url).context["dated_sum"] is None
    bad = client.get(url, {"from": "2026-02-30"})
    assert bad.status_code == 200 and "日期格式不正确" in bad.content.decode() and bad.context["dated_sum"] is None
    client.force_login(district.leader)
    assert client.get(url, window).status_code == 404

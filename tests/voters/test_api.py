"""The voters API: a permission matrix as data, the flows end to end, bad input in the one error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.voters.models import Household, ReportRating, SampleDraw, VoterContact, VoterReport
from tests.api.helpers import BASE, assert_error, bearer, post_json
from tests.voters.helpers import add_contacts, last_month, open_report, pair, sent_code

pytestmark = pytest.mark.django_db


def _household_body(district, **changes):
    return {
        "deputy_id": district.deputy.pk,
        "grid_id": district.grid.pk,
        "address": "东湖街道春晖路8号",
        "head_name": "张三",
        "head_phone": "13812341234",
        **changes,
    }


def _requests(district):
    """(label, method, url, body) of every staff endpoint, for the matrix."""
    month = last_month()
    report = VoterReport.objects.first()
    return {
        "households_list": ("get", f"{BASE}/voters/deputies/{district.deputy.pk}/households", None),
        "households_create": ("post", f"{BASE}/voters/households", _household_body(district)),
        "contacts_list": ("get", f"{BASE}/voters/contacts?deputy_id={district.deputy.pk}", None),
        "contacts_create": (
            "post",
            f"{BASE}/voters/contacts",
            {
                "deputy_id": district.deputy.pk,
                "contacted_on": str(timezone.localdate()),
                "way": "visit",
                "summary": "走访",
            },
        ),
        "samples_draw": ("post", f"{BASE}/voters/samples", {"month": f"{month:%Y-%m}", "seed": 1}),
        "reports_create": (
            "post",
            f"{BASE}/voters/reports",
            {"deputy_id": district.deputy.pk, "title": "述职", "held_on": str(timezone.localdate()), "place": "站"},
        ),
        "report_staff": ("get", f"{BASE}/voters/reports/{report.pk}/staff", None),
    }


# persona -> the endpoints it may use (everything else must be 404 or 409, never data)
ALLOWED = {
    "office": {
        "households_list",
        "households_create",
        "contacts_list",
        "contacts_create",
        "samples_draw",
        "reports_create",
        "report_staff",
    },
    "deputy_user": {"households_list", "households_create", "contacts_list", "contacts_create", "report_staff"},
    "station_staff": set(),
    "unit_user": set(),
    "leader": set(),
    "auditor": set(),
    "outsider": set(),
}
REFUSED = {"samples_draw": (409, "not_allowed")}


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_permission_matrix(district, client, persona):
    open_report(district)
    add_contacts(district.deputy, [last_month()])
    headers = bearer(district.persona(persona))
    for label, (method, url, body) in _requests(district).items():
        if method == "get":
            response = client.get(url, **headers)
        else:
            response = post_json(client, url, body, **headers)
        if label in ALLOWED[persona]:
            assert response.status_code in (200, 201), (label, response.content.decode()[:300])
        else:
            status, code = REFUSED.get(label, (404, "not_found"))
            assert_error(response, status, code)
    if not ALLOWED[persona]:
        assert (Household.objects.count(), SampleDraw.objects.count(), VoterReport.objects.count()) == (0, 0, 1)


def test_staff_endpoints_need_a_token(district, client):
    open_report(district)
    for method, url, body in _requests(district).values():
        response = client.get(url) if method == "get" else post_json(client, url, body)
        assert_error(response, 401, "unauthorized")


def test_households_come_back_masked_and_the_minimum_is_reported(district, client, settings):
    settings.VOTERS_PAIRING_MINIMUM = 2
    headers = bearer(district.deputy_user)
    created = post_json(client, f"{BASE}/voters/households", _household_body(district), **headers)
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("address", "head_name", "head_phone")} == {
        "address": "东湖街道春晖路****",
        "head_name": "张*",
        "head_phone": "138****1234",
    }
    listed = client.get(f"{BASE}/voters/deputies/{district.deputy.pk}/households", **headers).json()
    assert (len(listed["items"]), listed["pairing_minimum"], listed["below_minimum"]) == (1, 2, True)
    assert "13812341234" not in str(listed)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"head_phone": "123"}, "head_phone"),
        ({"address": "x" * 201}, "address"),
        ({"grid_id": "abc"}, "grid_id"),
        ({"grid_id": 0}, "grid_id"),
        ({"paired_on": "yesterday"}, "paired_on"),
        ({"unknown": 1, "head_name": None}, "head_name"),
    ],
)
def test_bad_households_are_refused(district, client, changes, field):
    response = post_json(
        client, f"{BASE}/voters/households", _household_body(district, **changes), **bearer(district.office)
    )
    error = assert_error(response, 422)
    assert field in error["fields"]
    assert Household.objects.count() == 0


def test_malformed_json_is_refused(district, client):
    response = post_json(client, f"{BASE}/voters/contacts", "{not json", **bearer(district.deputy_user))
    assert_error(response, 400, "malformed_json")
    response = post_json(client, f"{BASE}/voters/contacts", "[]", **bearer(district.deputy_user))
    assert_error(response, 422)
    assert VoterContact.objects.count() == 0


def test_a_contact_with_a_case_through_the_api(district, client, django_assert_max_num_queries):
    [household] = pair(district)
    headers = bearer(district.deputy_user)
    body = {
        "deputy_id": district.deputy.pk,
        "household_id": household.pk,
        "contacted_on": str(timezone.localdate()),
        "way": "phone",
        "summary": "电话联系",
        "raised": "楼道灯坏了",
        "create_case": True,
    }
    response = post_json(client, f"{BASE}/voters/contacts", body, **headers)
    assert response.status_code == 201
    assert response.json()["case_tracking_code"] == VoterContact.objects.get().case.tracking_code
    add_contacts(district.deputy, [timezone.localdate()] * 15, household=household)
    with django_assert_max_num_queries(8):
        listed = client.get(f"{BASE}/voters/contacts?deputy_id={district.deputy.pk}&page_size=10", **headers)
    assert (listed.json()["total"], len(listed.json()["items"])) == (16, 10)


def test_draw_and_call_back_through_the_api(district, client):
    add_contacts(district.deputy, [last_month()] * 4)
    headers = bearer(district.office)
    month = f"{last_month():%Y-%m}"
    drawn = post_json(client, f"{BASE}/voters/samples", {"month": month, "seed": 42}, **headers)
    assert drawn.status_code == 201
    checks = drawn.json()["checks"]
    assert (drawn.json()["pool_size"], len(checks)) == (4, 3)
    result = post_json(client, f"{BASE}/voters/checks/{checks[0]['id']}", {"result": "confirmed"}, **headers)
    assert result.json()["result"] == "confirmed"
    again = post_json(client, f"{BASE}/voters/checks/{checks[0]['id']}", {"result": "confirmed"}, **headers)
    assert_error(again, 409, "not_allowed")
    assert_error(post_json(client, f"{BASE}/voters/samples", {"month": "2024-13", "seed": 1}, **headers), 422)
    assert_error(post_json(client, f"{BASE}/voters/samples", {"month": "2024-1", "seed": 1}, **headers), 422)
    foreign = post_json(
        client, f"{BASE}/voters/checks/{checks[1]['id']}", {"result": "confirmed"}, **bearer(district.outsider)
    )
    assert_error(foreign, 404, "not_found")


def test_public_contact_stats_carry_no_voter_data(district, client):
    pair(district, 2)
    add_contacts(district.deputy, [timezone.localdate()] * 3, household=Household.objects.first())
    body = client.get(f"{BASE}/voters/deputies/{district.deputy.code}/contact-stats").json()
    assert (body["households"], body["quarters"][0]["contacts"], body["quarters"][0]["verified_share"]) == (2, 3, None)
    assert "138" not in str(body) and "张" not in str(body)
    assert_error(client.get(f"{BASE}/voters/deputies/nobody/contact-stats"), 404)


def test_a_voter_rates_through_the_api_once(district, client, caplog, django_capture_on_commit_callbacks):
    import logging

    report = open_report(district)
    url = f"{BASE}/voters/reports/{report.pk}"
    assert client.get(url).json()["rating_open"] is True
    with (
        caplog.at_level(logging.INFO, logger="lianxin.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = post_json(client, f"{url}/codes", {"phone": "13812341234"})
    assert (sent.status_code, sent.json()["sent_to"]) == (201, "138****1234")
    body = {"phone": "13812341234", "code": sent_code(caplog), "rating": "basically_satisfied", "consent": True}
    assert post_json(client, f"{url}/ratings", body).status_code == 201
    assert_error(post_json(client, f"{url}/ratings", body), 422, "already_rated")
    assert_error(post_json(client, f"{url}/codes", {"phone": "13812341234"}), 422, "already_rated")
    assert_error(post_json(client, f"{url}/ratings", {**body, "phone": "13900000000"}), 422, "bad_code")
    assert_error(post_json(client, f"{url}/ratings", {"phone": "1"}), 422)
    assert ReportRating.objects.count() == 1
    assert client.get(url).json()["result"] is None  # not before the deadline


def test_the_office_publishes_the_result_through_the_api(district, client, voter):
    report = open_report(district)
    voter.rate(report, "13812341234", rating="unsatisfied", comment="停车难")
    headers = bearer(district.office)
    assert_error(post_json(client, f"{BASE}/voters/reports/{report.pk}/result", {}, **headers), 409)
    VoterReport.objects.filter(pk=report.pk).update(rating_closes_at=timezone.now() - dt.timedelta(minutes=1))
    done = post_json(client, f"{BASE}/voters/reports/{report.pk}/result", {}, **headers).json()
    assert (done["result"]["unsatisfied"], done["result"]["satisfaction"], done["comments"][0]["comment"]) == (
        1,
        0.0,
        "停车难",
    )
    public = client.get(f"{BASE}/voters/reports/{report.pk}").json()
    assert public["result"]["rated"] == 1 and "comments" not in public
    assert_error(client.get(f"{BASE}/voters/reports/{report.pk}/staff", **bearer(district.outsider)), 404)


def test_unpublished_reports_are_not_public(district, client):
    response = post_json(
        client,
        f"{BASE}/voters/reports",
        {"deputy_id": district.deputy.pk, "title": "述职", "held_on": str(timezone.localdate()), "place": "站"},
        **bearer(district.office),
    )
    report_id = response.json()["id"]
    assert_error(client.get(f"{BASE}/voters/reports/{report_id}"), 404)
    published = post_json(
        client, f"{BASE}/voters/reports/{report_id}/publish", {"text": "全文"}, **bearer(district.deputy_user)
    )
    assert published.json()["status"] == "published"
    assert client.get(f"{BASE}/voters/reports/{report_id}").json()["text"] == "全文"

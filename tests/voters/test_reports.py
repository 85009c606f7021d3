"""Reports to voters (述职): schedule, publish, SMS-verified ratings (one per phone), the published result."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lianxin import privacy
from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.voters import report_services, selectors, tasks
from lianxin.voters.models import RatingCode, ReportRating, VoterReport
from tests.voters.helpers import open_report

pytestmark = pytest.mark.django_db


def _schedule(district, **changes):
    values = {
        "deputy_id": district.deputy.pk,
        "title": "王代表年度述职",
        "held_on": timezone.localdate(),
        "place": "东湖街道代表联络站",
        **changes,
    }
    return report_services.report_schedule(actor=district.office, **values)


def test_scheduling_defaults_the_deadline(district, settings):
    settings.VOTERS_RATING_DAYS = 10
    report = _schedule(district)
    closes = timezone.localtime(report.rating_closes_at)
    assert (closes.date(), closes.hour, report.status) == (
        timezone.localdate() + dt.timedelta(days=10),
        23,
        "scheduled",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "题" * 101}, "title"),
        ({"place": None}, "place"),
        ({"held_on": "tomorrow"}, "held_on"),
        ({"rating_closes_at": timezone.now() - dt.timedelta(days=3)}, "rating_closes_at"),
        ({"rating_closes_at": "soon"}, "rating_closes_at"),
    ],
)
def test_bad_schedules_store_nothing(district, changes, field):
    with pytest.raises(InvalidInput) as exc:
        _schedule(district, **changes)
    assert field in exc.value.fields
    assert VoterReport.objects.count() == 0


@pytest.mark.parametrize("persona", ["deputy_user", "station_staff", "unit_user", "leader", "auditor", "outsider"])
def test_only_the_office_schedules(district, persona):
    with pytest.raises(NotFound):
        report_services.report_schedule(
            actor=district.persona(persona),
            deputy_id=district.deputy.pk,
            title="述职",
            held_on=timezone.localdate(),
            place="联络站",
        )


def test_the_deputy_publishes_their_own_text_once(district, client):
    report = _schedule(district)
    assert client.get(reverse("voters:public_report", args=[report.pk])).status_code == 404  # not yet public
    with pytest.raises(InvalidInput):
        report_services.report_publish(actor=district.deputy_user, report_id=report.pk, text="  ")
    with pytest.raises(NotFound):
        report_services.report_publish(actor=district.outsider, report_id=report.pk, text="述职报告")
    report_services.report_publish(actor=district.deputy_user, report_id=report.pk, text="述职报告全文")
    with pytest.raises(NotAllowed):
        report_services.report_publish(actor=district.deputy_user, report_id=report.pk, text="改一改")
    page = client.get(reverse("voters:public_report", args=[report.pk])).content.decode()
    assert "述职报告全文" in page and "获取验证码" in page


def test_one_rating_per_phone(district, voter):
    report = open_report(district)
    voter.rate(report, "13812341234", rating="satisfied", comment="很好")
    with pytest.raises(InvalidInput) as exc:
        voter.rate(report, "138 1234 1234", rating="unsatisfied")  # the same phone, written differently
    assert exc.value.code == "already_rated"
    assert list(ReportRating.objects.values_list("rating", flat=True)) == ["satisfied"]
    row = ReportRating.objects.get()
    assert row.phone_hash == privacy.keyed_hash("13812341234")
    assert "13812341234" not in row.phone_enc and privacy.decrypt(row.phone_enc) == "13812341234"
    assert row.phone_masked == "138****1234"
    # another report of the same deputy may be rated with that phone
    voter.rate(open_report(district), "13812341234")
    assert ReportRating.objects.count() == 2


def test_the_database_refuses_a_repeat_even_if_the_check_is_raced(district):
    report = open_report(district)
    values = {
        "report": report,
        "phone_hash": privacy.keyed_hash("13812341234"),
        "phone_enc": "x",
        "rating": "satisfied",
    }
    ReportRating.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRating.objects.create(**values)


def test_a_code_is_needed_and_is_good_once(district, voter):
    report = open_report(district)
    with pytest.raises(InvalidInput) as exc:
        report_services.rating_submit(
            report_id=report.pk, phone="13812341234", code="123456", rating="satisfied", consent=True
        )
    assert exc.value.code == "bad_code"
    code = voter.code(report, "13812341234")
    assert RatingCode.objects.get().code_enc == ""  # forgotten once handed to the SMS channel
    with pytest.raises(InvalidInput) as exc:
        report_services.rating_submit(
            report_id=report.pk, phone="13900000000", code=code, rating="satisfied", consent=True
        )
    assert exc.value.code == "bad_code"  # the code belongs to another phone
    report_services.rating_submit(report_id=report.pk, phone="13812341234", code=code, rating="satisfied", consent=True)
    assert RatingCode.objects.get().used_at is not None


def test_wrong_codes_use_up_the_attempts(district, voter, settings):
    settings.VOTERS_RATING_CODE_ATTEMPTS = 2
    report = open_report(district)
    code = voter.code(report, "13812341234")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(2):
        with pytest.raises(InvalidInput):
            report_services.rating_submit(
                report_id=report.pk, phone="13812341234", code=wrong, rating="satisfied", consent=True
            )
    with pytest.raises(InvalidInput):  # now even the right code is void
        report_services.rating_submit(
            report_id=report.pk, phone="13812341234", code=code, rating="satisfied", consent=True
        )
    assert ReportRating.objects.count() == 0


def test_an_expired_code_is_refused(district, voter):
    report = open_report(district)
    code = voter.code(report, "13812341234")
    RatingCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(InvalidInput) as exc:
        report_services.rating_submit(
            report_id=report.pk, phone="13812341234", code=code, rating="satisfied", consent=True
        )
    assert exc.value.code == "bad_code"


def test_codes_are_not_sent_too_often_or_to_a_phone_that_rated(district, voter):
    report = open_report(district)
    voter.code(report, "13812341234")
    with pytest.raises(InvalidInput) as exc:
        report_services.rating_code_send(report_id=report.pk, phone="13812341234")
    assert exc.value.code == "too_soon"
    voter.rate(report, "13900001111")
    with pytest.raises(InvalidInput) as exc:
        report_services.rating_code_send(report_id=report.pk, phone="13900001111")
    assert exc.value.code == "already_rated"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "0571-88888888"}, "phone"),  # a landline cannot receive the code
        ({"phone": 13812341234}, "phone"),
        ({"rating": "great"}, "rating"),
        ({"rating": ""}, "rating"),
        ({"comment": "意" * 1001}, "comment"),
        ({"name": "名" * 31}, "name"),
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
    ],
)
def test_bad_ratings_store_nothing(district, voter, changes, field):
    report = open_report(district)
    code = voter.code(report, "13812341234")
    values = {"phone": "13812341234", "code": code, "rating": "satisfied", "consent": True, **changes}
    with pytest.raises(InvalidInput) as exc:
        report_services.rating_submit(report_id=report.pk, **values)
    assert field in exc.value.fields
    assert ReportRating.objects.count() == 0
    assert RatingCode.objects.get().used_at is None


def test_no_rating_before_publication_or_after_the_deadline(district, voter):
    scheduled = _schedule(district)
    with pytest.raises(NotFound):
        report_services.rating_code_send(report_id=scheduled.pk, phone="13812341234")
    report = open_report(district)
    code = voter.code(report, "13812341234")
    VoterReport.objects.filter(pk=report.pk).update(rating_closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(NotAllowed):
        report_services.rating_submit(
            report_id=report.pk, phone="13812341234", code=code, rating="satisfied", consent=True
        )
    with pytest.raises(NotAllowed):
        report_services.rating_code_send(report_id=report.pk, phone="13900000000")


def test_the_result_is_published_after_the_deadline_with_both_rates(district, voter, client):
    report = open_report(district)
    for i, rating in enumerate(["satisfied", "satisfied", "basically_satisfied", "unsatisfied"]):
        voter.rate(
            report, f"1390000000{i}", rating=rating, comment=f"意见{i}" if i % 2 else "", name="赵六" if i else ""
        )
    with pytest.raises(NotAllowed):
        report_services.report_result_publish(actor=district.office, report_id=report.pk)
    assert tasks.publish_due_results() == []
    later = report.rating_closes_at + dt.timedelta(seconds=1)
    with pytest.raises(NotFound):
        report_services.report_result_publish(actor=district.deputy_user, report_id=report.pk, now=later)
    assert tasks.publish_due_results(now=later) == [report.pk]
    report.refresh_from_db()
    result = selectors.published_result(report)
    assert (result.satisfied, result.basically_satisfied, result.unsatisfied, result.rated) == (2, 1, 1, 4)
    assert (result.satisfaction, result.satisfaction_incl_basic) == (0.5, 0.75)
    with pytest.raises(NotAllowed):
        report_services.report_result_publish(actor=district.office, report_id=report.pk, now=later)
    page = client.get(reverse("voters:public_report", args=[report.pk])).content.decode()
    assert "50.0%" in page and "75.0%" in page
    for secret in ("1390000000", "赵", "意见1"):
        assert secret not in page
    assert AuditEntry.objects.filter(action="voters.report_rated").count() == 4


def test_a_result_without_ratings_shows_no_rate(district, client):
    report = open_report(district)
    later = report.rating_closes_at + dt.timedelta(seconds=1)
    report = report_services.report_result_publish(actor=district.office, report_id=report.pk, now=later)
    assert selectors.published_result(report).satisfaction is None
    assert "—" in client.get(reverse("voters:public_report", args=[report.pk])).content.decode()


def test_the_deputy_sees_the_comments_and_others_do_not(district, voter, client, django_assert_max_num_queries):
    report = open_report(district)
    for i in range(5):
        voter.rate(report, f"1390000000{i}", rating="unsatisfied", comment=f"停车难问题{i}", name="钱七")
    client.force_login(district.deputy_user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("voters:report", args=[report.pk])).content.decode()
    assert page.count("停车难问题") == 5 and "钱*" in page and "钱七" not in page and "1390000000" not in page
    for persona in ("station_staff", "unit_user", "auditor", "outsider"):
        client.force_login(district.persona(persona))
        assert client.get(reverse("voters:report", args=[report.pk])).status_code == 404


def test_the_reports_list_has_a_fixed_number_of_queries(district, client, django_assert_max_num_queries):
    for _ in range(6):
        open_report(district)
    client.force_login(district.office)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("voters:reports"))
    assert len(response.context["reports"]) == 6


def test_old_personal_data_of_raters_is_purged(district, voter, settings):
    settings.VOTERS_RATING_RETENTION_DAYS = 30
    report = open_report(district)
    voter.rate(report, "13812341234", name="孙八")
    later = report.rating_closes_at + dt.timedelta(seconds=1)
    report_services.report_result_publish(actor=district.office, report_id=report.pk, now=later)
    assert tasks.purge_personal_data(now=later + dt.timedelta(days=29)) == 0
    assert tasks.purge_personal_data(now=later + dt.timedelta(days=31)) == 1
    row = ReportRating.objects.get()
    assert (row.phone_enc, row.name_enc, row.phone_hash) == ("", "", privacy.keyed_hash("13812341234"))
    assert RatingCode.objects.count() == 0


def test_the_office_schedules_and_the_deputy_publishes_through_the_pages(district, client):
    client.force_login(district.office)
    form = {
        "deputy": district.deputy.pk,
        "title": "王代表述职",
        "held_on": str(timezone.localdate()),
        "place": "联络站",
    }
    bad = client.post(reverse("voters:report_new"), {**form, "title": ""})
    assert bad.status_code == 422 and VoterReport.objects.count() == 0
    foreign = client.post(reverse("voters:report_new"), {**form, "deputy": 999999})
    assert foreign.status_code == 422 and VoterReport.objects.count() == 0
    done = client.post(reverse("voters:report_new"), form)
    report = VoterReport.objects.get()
    assert done["Location"] == reverse("voters:report", args=[report.pk])

    client.force_login(district.deputy_user)
    assert "公开述职报告并开始评议" in client.get(done["Location"]).content.decode()
    empty = client.post(reverse("voters:report_publish", args=[report.pk]), {"text": ""})
    assert empty.status_code == 422
    client.post(reverse("voters:report_publish", args=[report.pk]), {"text": "述职全文"})
    report.refresh_from_db()
    assert (report.status, report.text) == ("published", "述职全文")
    # the result waits for the deadline, even when the office presses the button
    client.force_login(district.office)
    client.post(reverse("voters:report_result", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "published"
    client.force_login(district.outsider)
    assert client.post(reverse("voters:report_publish", args=[report.pk]), {"text": "x"}).status_code == 404

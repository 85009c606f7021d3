"""Monthly call-back sampling: size, determinism, never twice, the scheduled task, results, reveal, public stats."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.voters import selectors, services, tasks
from lianxin.voters.models import ContactCheck, SampleDraw
from tests.factories import make_user
from tests.voters.helpers import add_contacts, days_in, last_month, pair

pytestmark = pytest.mark.django_db


def _drawn(draw) -> list[int]:
    return sorted(draw.checks.values_list("contact_id", flat=True))


@pytest.mark.parametrize(
    ("pool", "percent", "minimum", "expected"),
    [(100, 5, 3, 5), (101, 5, 3, 6), (20, 5, 3, 3), (2, 5, 3, 2), (40, 10, 1, 4), (0, 5, 3, 0)],
)
def test_sample_size_is_a_share_with_a_minimum(settings, pool, percent, minimum, expected):
    settings.VOTERS_SAMPLE_PERCENT = percent
    settings.VOTERS_SAMPLE_MINIMUM = minimum
    assert services.sample_size(pool) == expected


def test_the_draw_is_deterministic_for_a_seed(district):
    month = last_month()
    contacts = add_contacts(district.deputy, days_in(month, 60))
    first = _drawn(services.contact_sample_draw(actor=district.office, month=month, seed=7))
    assert len(first) == 3 and set(first) <= {c.pk for c in contacts}
    SampleDraw.objects.all().delete()  # undo, then draw again with the same seed
    assert _drawn(services.contact_sample_draw(actor=district.office, month=month, seed=7)) == first
    SampleDraw.objects.all().delete()
    assert _drawn(services.contact_sample_draw(actor=district.office, month=month, seed=8)) != first


def test_a_record_is_never_sampled_twice(district, settings):
    settings.VOTERS_SAMPLE_MINIMUM = 4
    month = last_month()
    add_contacts(district.deputy, days_in(month, 10))
    add_contacts(district.deputy, [month - dt.timedelta(days=1)])  # another month: never in this pool
    seen: list[int] = []
    for seed in (1, 1, 2):  # the same seed again still draws fresh records
        draw = services.contact_sample_draw(actor=district.office, month=month, seed=seed)
        seen += _drawn(draw)
    assert len(seen) == len(set(seen)) == 10
    assert SampleDraw.objects.order_by("id").values_list("pool_size", flat=True)[::1] == [10, 6, 2]
    with pytest.raises(NotAllowed) as exc:
        services.contact_sample_draw(actor=district.office, month=month, seed=3)
    assert exc.value.code == "empty_pool"


def test_the_database_refuses_a_second_sample_of_a_record(district):
    month = last_month()
    add_contacts(district.deputy, days_in(month, 3))
    draw = services.contact_sample_draw(actor=district.office, month=month, seed=1)
    check = draw.checks.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactCheck.objects.create(draw=draw, contact_id=check.contact_id)


@pytest.mark.parametrize(
    ("month", "seed", "field"),
    [
        (dt.date(2999, 1, 1), 1, "month"),
        ("2024-01", 1, "month"),
        (None, 1, "month"),
        (dt.date(2024, 1, 1), -1, "seed"),
        (dt.date(2024, 1, 1), "1", "seed"),
        (dt.date(2024, 1, 1), True, "seed"),
    ],
)
def test_bad_draw_input(district, month, seed, field):
    with pytest.raises(InvalidInput) as exc:
        services.contact_sample_draw(actor=district.office, month=month, seed=seed)
    assert field in exc.value.fields
    assert SampleDraw.objects.count() == 0


@pytest.mark.parametrize("persona", ["deputy_user", "station_staff", "unit_user", "leader", "auditor", "outsider"])
def test_only_the_office_draws(district, persona):
    add_contacts(district.deputy, days_in(last_month(), 5))
    with pytest.raises(NotAllowed):
        services.contact_sample_draw(actor=district.persona(persona), month=last_month(), seed=1)
    assert SampleDraw.objects.count() == 0


def test_a_street_office_draws_only_its_own_deputies(district):
    from lianxin.accounts.enums import Role

    street_office = make_user("west_office", Role.OFFICE, division=district.other_street)
    district.other_deputy.grids.add(district.other_grid)
    ours = add_contacts(district.deputy, days_in(last_month(), 5))
    theirs = add_contacts(district.other_deputy, days_in(last_month(), 5))
    draw = services.contact_sample_draw(actor=street_office, month=last_month(), seed=1)
    assert draw.pool_size == 5
    assert set(_drawn(draw)) <= {c.pk for c in theirs}
    assert not set(_drawn(draw)) & {c.pk for c in ours}


def test_the_monthly_task_draws_last_month_once(district):
    month = last_month()
    add_contacts(district.deputy, days_in(month, 30))
    draw_id = tasks.draw_monthly_sample()
    draw = SampleDraw.objects.get(pk=draw_id)
    assert (draw.month, draw.seed, draw.drawn_by) == (month, month.year * 100 + month.month, None)
    assert tasks.draw_monthly_sample() is None
    assert SampleDraw.objects.count() == 1
    assert AuditEntry.objects.get(action="voters.sample_drawn").actor_role == "system"


def test_the_monthly_task_with_nothing_to_draw_does_nothing(district):
    assert tasks.draw_monthly_sample() is None
    assert SampleDraw.objects.count() == 0


# --- call-backs -------------------------------------------------------------------------------------------------


@pytest.fixture
def checks(district):
    households = pair(district, 3)
    month = last_month()
    for household in households:
        add_contacts(district.deputy, days_in(month, 2), household=household)
    draw = services.contact_sample_draw(actor=district.office, month=month, seed=5)
    return list(draw.checks.order_by("id"))


def test_call_back_results_are_recorded_once(district, checks):
    check = services.contact_check_record(actor=district.office, check_id=checks[0].pk, result="confirmed")
    assert (check.result, check.checked_by) == ("confirmed", district.office)
    with pytest.raises(NotAllowed):
        services.contact_check_record(actor=district.office, check_id=checks[0].pk, result="unreachable")
    services.contact_check_record(actor=district.office, check_id=checks[1].pk, result="unreachable", note="三次未接")
    services.contact_check_record(
        actor=district.office, check_id=checks[2].pk, result="not_confirmed", note="户主说没有见过代表"
    )
    assert list(ContactCheck.objects.order_by("id").values_list("result", flat=True)) == [
        "confirmed",
        "unreachable",
        "not_confirmed",
    ]


@pytest.mark.parametrize(
    ("result", "note", "field"),
    [
        ("pending", "", "result"),
        ("maybe", "", "result"),
        ("not_confirmed", "", "note"),
        ("confirmed", "x" * 501, "note"),
    ],
)
def test_bad_call_back_results(district, checks, result, note, field):
    with pytest.raises(InvalidInput) as exc:
        services.contact_check_record(actor=district.office, check_id=checks[0].pk, result=result, note=note)
    assert field in exc.value.fields
    assert ContactCheck.objects.get(pk=checks[0].pk).result == "pending"


@pytest.mark.parametrize("persona", ["deputy_user", "station_staff", "unit_user", "auditor", "outsider"])
def test_only_the_office_calls_back(district, checks, persona):
    with pytest.raises(NotFound):
        services.contact_check_record(actor=district.persona(persona), check_id=checks[0].pk, result="confirmed")
    with pytest.raises(NotFound):
        services.contact_check_reveal(actor=district.persona(persona), check_id=checks[0].pk)


def test_revealing_the_phone_for_a_call_back_is_audited(district, checks, client):
    client.force_login(district.office)
    response = client.post(reverse("voters:check_reveal", args=[checks[0].pk]))
    household = checks[0].contact.household
    assert response.content.decode().count("1381234000") == 1
    entry = AuditEntry.objects.get(action="voters.contact_revealed")
    assert (entry.actor, entry.subject_id, entry.data["phone"]) == (
        district.office,
        household.pk,
        household.head_phone_masked,
    )


def test_the_samples_page_lists_pending_checks_with_fixed_queries(
    district, checks, client, django_assert_max_num_queries
):
    client.force_login(district.office)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("voters:samples"))
    assert [check.pk for check, _form in response.context["checks"]] == [c.pk for c in checks]
    page = response.content.decode()
    assert "1381234000" not in page


def test_the_call_back_form_records_and_refuses_bad_input(district, checks, client):
    client.force_login(district.office)
    url = reverse("voters:check_record", args=[checks[0].pk])
    client.post(url, {f"c{checks[0].pk}-result": "not_confirmed", f"c{checks[0].pk}-note": ""})
    assert ContactCheck.objects.get(pk=checks[0].pk).result == "pending"
    client.post(url, {f"c{checks[0].pk}-result": "confirmed"})
    assert ContactCheck.objects.get(pk=checks[0].pk).result == "confirmed"


# --- published statistics ---------------------------------------------------------------------------------------


def test_the_public_page_shows_counts_and_no_voter_data(district, checks, client, django_assert_max_num_queries):
    services.contact_check_record(actor=district.office, check_id=checks[0].pk, result="confirmed")
    services.contact_check_record(actor=district.office, check_id=checks[1].pk, result="unreachable", note="未接")
    month = last_month()
    quarter = selectors.quarter_start(month)
    stats = {q.start: q for q in selectors.public_contact_stats(district.deputy, timezone.localdate())}
    item = stats[quarter]
    assert (item.contacts, item.sampled, item.checked, item.confirmed) == (6, 3, 2, 1)
    assert item.verified_share == 0.5

    with django_assert_max_num_queries(6):
        response = client.get(reverse("voters:public_contacts", args=[district.deputy.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "50.0%" in page
    for secret in ("138", "张", "春晖路", "走访"):
        assert secret not in page, secret


def test_a_deputy_without_a_public_profile_has_no_public_page(district, client):
    district.deputy.public = False
    district.deputy.save()
    assert client.get(reverse("voters:public_contacts", args=[district.deputy.code])).status_code == 404
    assert client.get(reverse("voters:public_contacts", args=["nobody"])).status_code == 404


def test_a_street_office_sees_only_draws_of_its_deputies(district, checks, client):
    from lianxin.accounts.enums import Role

    street_office = make_user("west_office", Role.OFFICE, division=district.other_street)
    assert selectors.recent_draws(street_office) == []
    [draw] = selectors.recent_draws(district.office)
    assert draw.drawn == 3
    client.force_login(street_office)
    assert client.get(reverse("voters:samples")).context["checks"] == []

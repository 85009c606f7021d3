"""One set of figures (issue 14 item 4): on the demo district, the cockpit's points column and the points pages give
every deputy the same capped total for the same viewer, and a viewer who may see only published periods sees none
of the unpublished ones on either."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.cockpit import extensions
from lianxin.cockpit.periods import preset_period
from lianxin.demo import data
from lianxin.organisation.models import Deputy, Division
from lianxin.points import rules, selectors
from lianxin.points.models import PointsEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo (with the areas' extensions: points, appraisal), seeded once for the module and rolled back."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        try:
            call_command("seed_demo", cases=200, stdout=io.StringIO())
            assert PointsEntry.objects.exists()
            yield
        finally:
            transaction.set_rollback(True)


def _cockpit_points(user, period) -> dict[int, Decimal]:
    """The cockpit's points column for every demo deputy, through the cockpit's own extension call."""
    district = Division.objects.get(code=data.DISTRICT_CODE)
    ids = list(Deputy.objects.filter(active=True).values_list("pk", flat=True))
    measures, values = extensions.deputy_activity(
        division=district, start=period.start, end=period.end, deputy_ids=ids, user=user
    )
    assert [m.key for m in measures if m.source == "points"] == ["points"]
    return {pk: Decimal(str(values.get(pk, {}).get("points", 0))) for pk in ids}


def test_the_cockpit_and_the_ledger_agree_for_every_demo_deputy(demo, client):
    office = User.objects.get(username="office")
    period = preset_period("year")
    year = period.end.year
    cockpit = _cockpit_points(office, period)
    deputies = list(Deputy.objects.filter(pk__in=cockpit))
    # Caps bite in the demo: the entries added up are more than the capped totals for someone.
    raw = {d.pk: selectors.entries_sum(selectors.ledger(d, year=year).filter(state="counted")) for d in deputies}
    assert any(raw[pk] > cockpit[pk] for pk in cockpit)
    # The office's ledger page (the year's total) and its ranking table say the same for every deputy.
    table = {row.deputy.pk: row.total for row in selectors.table(rules.office_deputies(office), year=year)}
    client.force_login(office)
    for deputy in deputies:
        page = client.get(reverse("points:deputy", args=[deputy.pk]), {"year": year})
        assert page.context["totals"]["year"] == cockpit[deputy.pk], deputy.name
        assert table.get(deputy.pk, Decimal(0)) == cockpit[deputy.pk], deputy.name
    # The cockpit's link behind a number opens the ledger on the same figure.
    overview = client.get(reverse("cockpit:overview"), {"period": "year"})
    shown = overview.context["data"]
    # The two department rankings side by side are named apart and each says how it is made.
    body = overview.content.decode()
    assert "承办单位办件排名（本期民意件）" in body and 'id="ranking-methods"' in body
    appraisal = [f for f in shown.extra if f["key"].startswith("appraisal_")]
    assert appraisal and all("部门评议得分" in f["label"] and f["method_url"].endswith("#method") for f in appraisal)
    assert 'id="appraisal-method">' in body and f'href="{appraisal[0]["method_url"]}"' in body
    for row in shown.deputies:
        cell = next(c for c in row.cells if c.key == "points")
        if cell.url:
            assert float(client.get(cell.url).context["dated_points"]) == cell.value, row.name


def test_a_leader_sees_only_published_periods_on_both(demo, client):
    leader = User.objects.get(username="leader")
    period = preset_period("year")
    year = period.end.year
    shown, hidden = selectors.visible_periods(leader, period.start, period.end)
    published = [(year, q) for q in range(1, 5) if selectors.is_published(year, q)]
    assert shown == published and hidden  # the demo publishes finished quarters only
    cockpit = _cockpit_points(leader, period)
    client.force_login(leader)
    expected: dict[int, Decimal] = {}
    for _year, quarter in shown:
        page = client.get(reverse("points:points"), {"year": year, "quarter": quarter})
        for row, _cells in page.context["rows"]:
            expected[row.deputy.pk] = expected.get(row.deputy.pk, Decimal(0)) + row.total
    for pk, value in cockpit.items():
        assert expected.get(pk, Decimal(0)) == value, pk
    # the unpublished quarter's points are on the office's cockpit, not on the leader's
    unpublished = [q for _y, q in hidden]
    start, _end = selectors.period_bounds(year, min(unpublished))
    if PointsEntry.objects.filter(state="counted", occurred_on__gte=start, occurred_on__lte=period.end).exists():
        office = _cockpit_points(User.objects.get(username="office"), period)
        assert sum(office.values()) > sum(cockpit.values())
    assert client.get(reverse("points:points"), {"year": year, "quarter": unpublished[0]}).context["rows"] == []

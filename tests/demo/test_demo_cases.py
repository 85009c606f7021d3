"""The demo cases: every status, channel and type; timelines, deadlines, lights and contacts consistent."""

import random
from collections import Counter

import pytest
from django.conf import settings
from django.utils import timezone
from shapely.geometry import Point, shape

from lianxin import privacy
from lianxin.audit.models import AuditEntry
from lianxin.cases import deadlines
from lianxin.cases.enums import Channel, DispatchState, Light, Rating, RequestType, Status
from lianxin.cases.intake import DETAILS_MAX, TITLE_MAX
from lianxin.cases.models import Case, Dispatch
from lianxin.demo import text
from lianxin.demo.generate import allocate_statuses

pytestmark = pytest.mark.django_db


def _timeline(case):
    return list(AuditEntry.objects.filter(subject_type="case", subject_id=case.pk).order_by("id"))


def test_every_status_channel_and_request_type_appears(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Case.objects.values_list("request_type", flat=True)) == set(RequestType.values)
    assert Case.objects.values("category__parent").distinct().count() >= 10


def test_cases_spread_over_the_past_year_and_nothing_is_in_the_future(demo):
    now = timezone.now()
    ages = [(now - c).days for c in Case.objects.values_list("created_at", flat=True)]
    assert max(ages) > 200 and min(ages) == 0
    assert max(ages) <= 366
    assert not AuditEntry.objects.filter(created_at__gt=now).exists()
    assert not Dispatch.objects.filter(dispatched_at__gt=now).exists()


def test_each_timeline_starts_at_registration_runs_forward_and_ends_in_the_case_status(demo):
    cases = list(Case.objects.all())
    entries = {}
    for entry in AuditEntry.objects.filter(subject_type="case").order_by("id"):
        entries.setdefault(entry.subject_id, []).append(entry)
    for case in cases:
        timeline = entries[case.pk]
        assert timeline[0].action == "case.registered"
        assert timeline[0].created_at == case.created_at
        assert case.tracking_code in timeline[0].message
        times = [e.created_at for e in timeline]
        assert times == sorted(times), case.tracking_code
        assert timeline[-1].action == "case.registered" or timeline[-1].data["status"] == case.status
        if case.acknowledged_at:
            assert case.created_at <= case.acknowledged_at


def test_ack_deadline_and_dispatch_deadlines_follow_the_rules(demo):
    for case in Case.objects.all():
        assert case.ack_due_at == deadlines.ack_deadline(case.created_at)
    extended = set(Dispatch.objects.filter(extension_requests__state="approved").values_list("pk", flat=True))
    for dispatch in Dispatch.objects.all():
        assert dispatch.claim_due_at == deadlines.claim_deadline(dispatch.dispatched_at)
        if dispatch.pk not in extended:
            expected = deadlines.handle_deadline(
                dispatch.dispatched_at, dispatch.request_type, rehandle=dispatch.rehandle
            )
            assert dispatch.handle_due_at == expected


def test_open_dispatches_match_the_case(demo):
    for case in Case.objects.filter(status__in=[Status.DISPATCHED, Status.CLAIMED]):
        current = case.dispatches.filter(state__in=[DispatchState.PENDING, DispatchState.CLAIMED]).get()
        assert current.unit_id == case.current_unit_id
        assert current.dispatched_at == case.dispatched_at
        assert current.handle_due_at == case.handle_due_at
        assert current.state == (DispatchState.PENDING if case.status == Status.DISPATCHED else DispatchState.CLAIMED)


def test_lights_are_recomputed_from_deadlines_with_red_and_yellow_open_cases(demo):
    now = timezone.now()
    lights = Counter()
    for case in Case.objects.all():
        start, due = deadlines.current_phase(case)
        assert case.due_at == due
        expected = deadlines.light_for(start, due, now)
        # a few seconds pass between the seed and this test: only green may have turned yellow or red
        assert case.light == expected or case.light == Light.GREEN
        lights[case.light] += 1
    assert lights[Light.RED] >= 3 and lights[Light.YELLOW] >= 1 and lights[Light.GREEN] >= 3


def test_ratings_reopenings_returns_escalations_declines_and_conversions(demo):
    rated = Counter(Case.objects.exclude(rating="").values_list("rating", flat=True))
    assert rated[Rating.SATISFIED] > rated[Rating.BASICALLY_SATISFIED] > 0
    assert rated[Rating.UNSATISFIED] > 0
    for case in Case.objects.filter(status=Status.REOPENED):
        assert case.rating == Rating.UNSATISFIED and case.reopen_count == 1
        assert [e.action for e in _timeline(case)][-2:] == ["case.rated", "case.reopened"]
    assert Dispatch.objects.filter(rehandle=True).exists()
    twice = Case.objects.filter(status=Status.RETURNED, needs_arbitration=True)
    assert twice.exists()
    for case in twice:
        assert case.return_count == settings.CASE_MAX_RETURNS
        assert case.dispatches.filter(state=DispatchState.RETURNED).count() == 2
    for case in Case.objects.filter(status=Status.ESCALATED):
        assert case.handling_division == case.division.parent or case.handling_division == case.division.parent.parent
    assert all(Case.objects.filter(status=Status.DECLINED).values_list("decline_reason", flat=True))
    # The cases demo converts into drafts (no number yet); the suggestions demo links other cases to submitted ones.
    for case in Case.objects.filter(status=Status.CONVERTED, suggestion__number="").select_related("suggestion"):
        assert case.suggestion.state == "draft"
        assert case.suggestion.title == case.title
        converted = [e for e in _timeline(case) if e.action == "case.converted"]
        assert converted[0].data["suggestion_id"] == case.suggestion_id
    assert Case.objects.filter(closed_unrated=True, rating="").exists()


def test_contacts_are_encrypted_masked_and_hashed_like_intake(demo):
    cases = list(Case.objects.all())
    assert any(c.anonymous for c in cases)
    for case in cases:
        phone, name = privacy.decrypt(case.contact_phone_enc), privacy.decrypt(case.contact_name_enc)
        if case.anonymous:
            assert (phone, name, case.contact_phone_masked) == ("", "", "")
            continue
        assert privacy.is_valid_phone(phone)
        assert phone not in case.contact_phone_enc
        assert case.contact_phone_masked == privacy.mask_phone(phone)
        assert case.contact_name_masked == privacy.mask_name(name)
        assert case.contact_phone_hash == privacy.keyed_hash(phone)
    masked = dict(AuditEntry.objects.filter(action="case.registered").values_list("subject_id", "data__phone"))
    assert masked == {c.pk: c.contact_phone_masked for c in cases}


def test_located_cases_lie_inside_their_grid(demo):
    located = Case.objects.filter(lat__isnull=False).select_related("division")
    assert located.count() > 20
    for case in located:
        assert shape(case.division.polygon).contains(Point(case.lng, case.lat))


def test_texts_fit_the_intake_limits_and_vary_in_length(demo):
    lengths = []
    for title, details in Case.objects.values_list("title", "details"):
        assert 0 < len(title) <= TITLE_MAX and 0 < len(details) <= DETAILS_MAX
        lengths.append(len(details))
    assert max(lengths) > 2 * min(lengths)
    assert Case.objects.values("title").distinct().count() > DEMO_TITLES_DISTINCT


DEMO_TITLES_DISTINCT = 150


def test_the_generator_is_deterministic_and_fills_every_placeholder():
    first = [text.make_matter(random.Random(7), community="春晖社区", roads=["建设路", "中山路"]) for _ in range(3)]
    again = [text.make_matter(random.Random(7), community="春晖社区", roads=["建设路", "中山路"]) for _ in range(3)]
    assert first == again
    rng = random.Random(2026)
    for _ in range(500):
        matter = text.make_matter(
            rng, community=rng.choice(["春晖社区", "七星村"]), roads=["建设路", "中山路", "禾兴路"]
        )
        assert "{" not in matter.title + matter.details
        assert matter.request_type in RequestType.values


def test_villages_only_get_rural_matters_where_they_belong():
    rng = random.Random(1)
    topics = {text.make_matter(rng, community="春晖社区", roads=["建设路", "中山路"]).topic.key for _ in range(400)}
    assert not topics & {"farming", "subsidy", "land"}


def test_status_allocation_is_deterministic_and_covers_every_status():
    a = allocate_statuses(200, random.Random("x"))
    assert a == allocate_statuses(200, random.Random("x"))
    assert len(a) == 200 and set(a) == set(Status.values)
    with pytest.raises(ValueError):
        allocate_statuses(20, random.Random("x"))

"""Plan and write the demo cases: every status, channel and request type, with consistent timelines.

Rows are built in memory by `story.Story` (what each case service writes) and stored with bulk
inserts; the services themselves stamp `timezone.now()`, which a year of history cannot use.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from lianxin import privacy
from lianxin.audit.services import audit_entry, log_actions
from lianxin.cases import deadlines
from lianxin.cases.codes import ALPHABET
from lianxin.cases.enums import Channel, Rating, Status
from lianxin.cases.intake import Submission
from lianxin.cases.models import Case, Dispatch, ExtensionRequest
from lianxin.demo import text
from lianxin.demo.district import PERSONA_STATION, PERSONA_UNIT, World, person_name
from lianxin.demo.story import Actors, Played, Story
from lianxin.suggestions.models import Suggestion

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

STATUS_WEIGHTS = {
    Status.CLOSED: 46,
    Status.RATED: 8,
    Status.FED_BACK: 4,
    Status.REPLIED: 4,
    Status.CLAIMED: 8,
    Status.DISPATCHED: 5,
    Status.RETURNED: 2.5,
    Status.REGISTERED: 4,
    Status.ACKNOWLEDGED: 4,
    Status.RESOLVED: 2.5,
    Status.ESCALATED: 2,
    Status.CONVERTED: 2.5,
    Status.DECLINED: 4,
    Status.REOPENED: 1.5,
}
# Enough of these for the demo logins to find work on their first visit, at any size.
MINIMUM = {Status.REGISTERED: 6, Status.ACKNOWLEDGED: 4, Status.RETURNED: 3, Status.REPLIED: 4, Status.DISPATCHED: 6}
# (status, how many of them) that belong to the persona station 建设街道.
PERSONA_WORK = {
    Status.REGISTERED: 4,
    Status.ACKNOWLEDGED: 3,
    Status.RETURNED: 2,
    Status.REPLIED: 3,
    Status.DISPATCHED: 4,
}
CHANNEL_WEIGHTS = {
    Channel.QR_STATION: 25,
    Channel.QR_DEPUTY: 12,
    Channel.WEB: 12,
    Channel.WALK_IN: 18,
    Channel.VISIT: 12,
    Channel.PHONE: 8,
    Channel.HOTLINE_12345: 8,
    Channel.IMPORT: 5,
}
BUILD_TOPICS = [t for t in text.TOPICS if t.category[0] == "城乡建设"]


def allocate_statuses(total: int, rng: random.Random) -> list[str]:
    """Exactly `total` statuses in the weights' proportions, each at least once, shuffled."""
    weight_sum = sum(STATUS_WEIGHTS.values())
    counts = {s: max(MINIMUM.get(s, 1), int(total * w / weight_sum)) for s, w in STATUS_WEIGHTS.items()}
    counts[Status.CLOSED] += total - sum(counts.values())
    if counts[Status.CLOSED] < 1:
        raise ValueError(f"--cases must be at least {total - counts[Status.CLOSED] + 1}")
    statuses = [s for s, n in counts.items() for _ in range(n)]
    rng.shuffle(statuses)
    return statuses


def _handled(r: float) -> list[str]:
    """Steps that end in `replied` or `resolved`."""
    if r < 0.62:
        return ["ack", "dispatch", "claim", "reply"]
    if r < 0.72:
        return ["ack", "dispatch", "claim", "extend", "approve", "reply"]
    if r < 0.80:
        return ["ack", "dispatch", "return", "dispatch", "claim", "reply"]
    if r < 0.85:
        return ["ack", "escalate", "dispatch", "claim", "reply"]
    return ["ack", "resolve"] if r < 0.93 else ["resolve"]


def plan_steps(status: str, rng: random.Random) -> tuple[list[str], list[str]]:
    """(steps, ratings in the order given) that end in `status`."""
    r, h = rng.random(), _handled(rng.random())
    good = Rating.SATISFIED if rng.random() < 0.84 else Rating.BASICALLY_SATISFIED
    bad = Rating.UNSATISFIED
    replied = [s for s in h if s != "resolve"] if "resolve" not in h else ["ack", "dispatch", "claim", "reply"]
    plans = {
        Status.REGISTERED: ([], []),
        Status.ACKNOWLEDGED: (["ack"], []),
        Status.RESOLVED: (["ack", "resolve"] if r < 0.6 else ["resolve"], []),
        Status.DISPATCHED: (
            ["ack", "dispatch"]
            if r < 0.7
            else ["ack", "dispatch", "return", "dispatch"]
            if r < 0.9
            else [*h, "feedback", "rate", "dispatch"],
            [bad],
        ),
        Status.CLAIMED: (
            ["ack", "dispatch", "claim"]
            if r < 0.7
            else ["ack", "dispatch", "claim", "extend"]
            if r < 0.85
            else ["ack", "dispatch", "claim", "extend", "approve"]
            if r < 0.95
            else [*h, "feedback", "rate", "dispatch", "claim"],
            [bad],
        ),
        Status.RETURNED: (
            ["ack", "dispatch", "return"] if r < 0.6 else ["ack", "dispatch", "return", "dispatch", "return"],
            [],
        ),
        Status.REPLIED: (replied, []),
        Status.ESCALATED: (["ack", "escalate"] if r < 0.8 else ["ack", "escalate", "escalate"], []),
        Status.CONVERTED: (["ack", "convert"], []),
        Status.DECLINED: (["decline"] if r < 0.4 else ["ack", "decline"], []),
        Status.FED_BACK: ([*h, "feedback"], []),
        Status.RATED: ([*h, "feedback", "rate"], [good]),
        Status.REOPENED: ([*h, "feedback", "rate"], [bad]),
        Status.CLOSED: (
            [*h, "feedback", "rate", "close"]
            if r < 0.78
            else [*h, "feedback", "close_unrated"]
            if r < 0.9
            else [*h, "feedback", "rate", "dispatch", "claim", "reply", "feedback", "rate", "close"],
            [good],
        ),
    }
    steps, ratings = plans[status]
    if status == Status.CLOSED and r >= 0.9:
        ratings = [bad, good]
    return steps, ratings


def target_age(status: str, rng: random.Random) -> dt.timedelta:
    """How long ago the case's last step happened (open cases) or it was registered (finished ones)."""
    r = rng.random()
    if status == Status.REGISTERED:  # a mix of green (<80 % of 24 h), yellow and red acknowledgement lights
        return H * (rng.uniform(0.3, 18) if r < 0.55 else rng.uniform(19.5, 23.8) if r < 0.75 else rng.uniform(26, 100))
    if status == Status.DISPATCHED:
        return H * (rng.uniform(0.2, 8) if r < 0.45 else rng.uniform(8, 30) if r < 0.7 else rng.uniform(30, 150))
    if status == Status.CLAIMED:
        return H * 0.2 + DAY * 20 * r**1.5
    if status == Status.FED_BACK:
        return H * rng.uniform(0.2, 24 * 6)
    if status == Status.RATED:
        return H * rng.uniform(0.5, 24 * 14)
    if status in (Status.CLOSED, Status.DECLINED, Status.CONVERTED):
        return DAY * (2 + 363 * r**0.9)
    return H * rng.uniform(0.2, 24 * 4)


def play_at_age(story: Story, status: str, age: dt.timedelta, now: dt.datetime) -> Played:
    """Replay the story until its anchor (start for finished cases, last step for open ones) sits at `age` ago.

    Staff steps snap to office hours, so on a weekend the nearest fit may be Friday afternoon: keep the best fit.
    """
    start = now - age
    played = story.play(start, now)
    latest = now - dt.timedelta(minutes=5)
    if status not in (Status.REGISTERED, Status.CLOSED, Status.DECLINED, Status.CONVERTED):
        target = now - age
        best = played if played.last <= latest else None
        for _ in range(6):
            delta = target - played.last
            if abs(delta) < H and played.last <= latest:
                break
            start += delta if played.last <= latest else min(delta, -H)
            played = story.play(start, now)
            if played.last <= latest and (best is None or abs(target - played.last) < abs(target - best.last)):
                best = played
        played = best or played
    while played.last > latest:
        start -= (played.last - now) + H * 6
        played = story.play(start, now)
    return played


@dataclass
class Planned:
    case: Case
    played: Played
    present: list


def _tracking_codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        code = "LX" + "".join(rng.choice(ALPHABET) for _ in range(8))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def _grid_point(rng: random.Random, grid) -> tuple[float, float]:
    ring = grid.polygon["coordinates"][0]
    lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
    w, e, s, n = min(lngs), max(lngs), min(lats), max(lats)
    return (
        round(rng.uniform(s + (n - s) * 0.1, n - (n - s) * 0.1), 6),
        round(rng.uniform(w + (e - w) * 0.1, e - (e - w) * 0.1), 6),
    )


def _phone(rng: random.Random, channel: str) -> str:
    if channel == Channel.PHONE and rng.random() < 0.3:
        return f"0573-8{rng.randint(1000000, 9999999)}"
    return f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"


def plan_case(
    index: int,
    status: str,
    world: World,
    seed: int,
    now: dt.datetime,
    persona: bool,
    station_codes: list[str],
    station_weights: list[int],
    roads: list[str],
) -> Planned:
    rng = random.Random(f"{seed}-case-{index}")
    station = (
        world.stations[PERSONA_STATION]
        if persona
        else world.stations[rng.choices(station_codes, weights=station_weights)[0]]
    )
    grids = [g for g in world.grids if g.path.startswith(station.division.path)] or world.grids
    grid = rng.choice(grids)
    channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
    if status == Status.CONVERTED:
        channel = rng.choice([Channel.QR_DEPUTY, Channel.VISIT])
    if persona and channel in (Channel.WEB, Channel.QR_DEPUTY):
        channel = Channel.QR_STATION  # the persona's work carries the station, so its staff and units see it
    if persona and status == Status.REGISTERED and index % 2 == 0:
        channel = Channel.QR_DEPUTY
    deputy = None
    if channel in (Channel.QR_DEPUTY, Channel.VISIT):
        deputy = world.persona_deputy if persona else rng.choice(world.deputies_of_grid[grid.pk])
        if channel == Channel.QR_DEPUTY:
            grid = world.first_grid_of_deputy[deputy.pk]  # what intake does with a deputy's QR code
    topic = rng.choice(BUILD_TOPICS) if persona and status == Status.DISPATCHED else None
    matter = text.make_matter(rng, community=world.community_of[grid.pk].name, roads=roads, topic=topic)

    division = grid if (channel != Channel.QR_STATION or rng.random() < 0.6) else station.division
    if channel == Channel.QR_DEPUTY:
        station, division = None, grid
    elif channel == Channel.WEB:
        station = None
    if division.parent_id is None:  # a district-level station: the matter still happens somewhere
        division = grid
    if channel == Channel.WALK_IN and station is not None and station.kind == "online":
        channel = Channel.QR_STATION
    location = division.polygon is not None and division.kind == "grid" and rng.random() < 0.55
    lat, lng = _grid_point(rng, division) if location else (None, None)
    anonymous = channel in (Channel.QR_STATION, Channel.QR_DEPUTY, Channel.WEB) and rng.random() < 0.08
    name = "" if anonymous else person_name(rng)
    phone = "" if anonymous else privacy.normalise_phone(_phone(rng, channel))

    home_station = station or (world.stations[PERSONA_STATION] if persona else None)
    if home_station is None:
        street = world.street_of[division.pk]
        home_station = world.stations[street.code]
    staff = world.staff_of_station[home_station.pk]
    present = []
    created_by = None
    if channel == Channel.WALK_IN:
        created_by = staff
        present = rng.sample(
            world.deputies_of_station[home_station.pk],
            k=min(len(world.deputies_of_station[home_station.pk]), rng.choice((1, 1, 2))),
        )
    elif channel in (Channel.PHONE,):
        created_by = staff
    elif channel == Channel.VISIT:
        created_by = world.logins["deputy"] if deputy == world.persona_deputy else staff
    elif channel in (Channel.HOTLINE_12345, Channel.IMPORT):
        created_by = world.logins["office"]
    persona_responds = deputy == world.persona_deputy or (
        home_station.code == PERSONA_STATION and deputy is None and rng.random() < 0.4
    )
    responder, role = (world.logins["deputy"], "deputy") if persona_responds else (staff, "station")

    rule = world.rules[matter.topic.category[0]]
    street = world.street_of[division.pk]
    fallback = (
        world.units[matter.topic.better_unit] if matter.topic.better_unit else world.units[f"{street.code}-office"]
    )
    units = [rule.unit, fallback, world.units[f"{street.code}-office"]]
    if persona and status == Status.DISPATCHED:
        units = [world.units[PERSONA_UNIT], world.units[PERSONA_UNIT], world.units[PERSONA_UNIT]]
    chain = [division]
    while chain[-1].parent_id is not None:
        chain.append(world.parent_of[chain[-1].pk])
    plan_rng = random.Random(f"{seed}-plan-{index}")
    steps, ratings = plan_steps(status, plan_rng)
    while steps.count("escalate") > len(chain) - 1:
        steps.remove("escalate")
    if persona and status == Status.DISPATCHED:
        steps = ["ack", "dispatch"]
    masked_phone = privacy.mask_phone(phone)
    story = Story(
        seed=f"{seed}-story-{index}",
        steps=steps,
        request_type=matter.request_type,
        units=units,
        rule=rule,
        actors=Actors(
            responder=responder,
            responder_role=role,
            staff=staff,
            office=world.logins["office"],
            handler_of_unit=world.handler_of_unit,
        ),
        handling_chain=chain,
        rating=([*ratings, Rating.SATISFIED])[0],
        rehandle_rating=([*ratings, Rating.SATISFIED, Rating.SATISFIED])[1],
        channel=channel,
        phone_masked=masked_phone,
        registered_by=created_by,
        title=matter.title,
        details=matter.details,
        lead_deputy=world.persona_deputy if role == "deputy" else deputy,
    )
    played = play_at_age(story, status, target_age(status, plan_rng), now)
    if played.fields["status"] != status:
        raise AssertionError(f"demo plan for {status} ended in {played.fields['status']}")
    category = world.categories.get(matter.topic.category) or world.categories[(matter.topic.category[0], "")]
    submission = Submission(
        title=matter.title,
        details=matter.details,
        channel=channel,
        category_id=category.pk,
        request_type=matter.request_type,
        station_code=station.code if station else "",
        deputy_code=deputy.code if deputy else "",
        grid_code=division.code if division.kind == "grid" else "",
        lat=lat,
        lng=lng,
        contact_name=name,
        contact_phone=phone,
        anonymous=anonymous,
        consent=True,
        deputy_ids_present=[d.pk for d in present],
    )
    last_time = max(a["created_at"] for a in played.audits)
    case = Case(
        title=matter.title,
        details=matter.details,
        category=category,
        channel=channel,
        station=station,
        deputy=deputy,
        division=division,
        lat=lat,
        lng=lng,
        address=f"{rng.choice(roads)}{rng.randint(1, 900)}号附近" if location else "",
        anonymous=anonymous,
        contact_name_enc=privacy.encrypt(name),
        contact_name_masked=privacy.mask_name(name),
        contact_phone_enc=privacy.encrypt(phone),
        contact_phone_hash=privacy.keyed_hash(phone) if phone else "",
        contact_phone_masked=masked_phone,
        idempotency_fingerprint=submission.fingerprint(),
        created_by=created_by,
        updated_at=last_time,
        **played.fields,
    )
    deadlines.set_phase(case, now)
    return Planned(case, played, present)


@contextmanager
def manual_timestamps():
    """Let bulk inserts keep the story's times instead of auto_now / auto_now_add stamping `now()`."""
    fields = [
        Case._meta.get_field("created_at"),
        Case._meta.get_field("updated_at"),
        Suggestion._meta.get_field("created_at"),
        ExtensionRequest._meta.get_field("requested_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def write_cases(
    world: World, *, total: int, seed: int, now: dt.datetime, roads: list[str], station_weights: dict[str, int]
) -> Counter:
    rng = random.Random(f"{seed}-statuses")
    statuses = allocate_statuses(total, rng)
    persona_left = dict(PERSONA_WORK)
    codes = list(station_weights)
    weights = [station_weights[c] for c in codes]
    planned: list[Planned] = []
    for index, status in enumerate(statuses):
        persona = persona_left.get(status, 0) > 0
        if persona:
            persona_left[status] -= 1
        planned.append(plan_case(index, status, world, seed, now, persona, codes, weights, roads))
    taken = set(Case.objects.values_list("tracking_code", flat=True))
    for plan, code in zip(planned, _tracking_codes(rng, len(planned), taken), strict=True):
        plan.case.tracking_code = code
    with manual_timestamps():
        _store(planned)
    return Counter(p.case.status for p in planned)


def _store(planned: list[Planned]) -> None:
    with_suggestion = [p for p in planned if p.played.suggestion]
    suggestions = Suggestion.objects.bulk_create([Suggestion(**p.played.suggestion) for p in with_suggestion])
    for plan, suggestion in zip(with_suggestion, suggestions, strict=True):
        plan.case.suggestion = suggestion
        for audit in plan.played.audits:
            if audit["action"] == "case.converted":
                audit["data"]["suggestion_id"] = suggestion.pk
    cases = Case.objects.bulk_create([p.case for p in planned], batch_size=500)
    through = Case.deputies_present.through
    through.objects.bulk_create(
        [through(case_id=c.pk, deputy_id=d.pk) for p, c in zip(planned, cases, strict=True) for d in p.present]
    )
    dispatch_rows = [
        (p, Dispatch(case=c, **row)) for p, c in zip(planned, cases, strict=True) for row in p.played.dispatches
    ]
    Dispatch.objects.bulk_create([d for _, d in dispatch_rows], batch_size=500)
    by_plan: dict[int, list[Dispatch]] = {}
    for plan, dispatch in dispatch_rows:
        by_plan.setdefault(id(plan), []).append(dispatch)
    ExtensionRequest.objects.bulk_create(
        [
            ExtensionRequest(case=c, dispatch=by_plan[id(p)][ext.pop("dispatch_index")], **ext)
            for p, c in zip(planned, cases, strict=True)
            for ext in p.played.extensions
        ]
    )
    entries = []
    for order, (plan, case) in enumerate(zip(planned, cases, strict=True)):
        for seq, audit in enumerate(plan.played.audits):
            message = audit["message"].replace("{code}", case.tracking_code)
            entries.append(
                (
                    (audit["created_at"], order, seq),
                    audit_entry(subject_type="case", subject_id=case.pk, **{**audit, "message": message}),
                )
            )
    entries.sort(key=lambda item: item[0])  # ids follow time, so the audit log reads in order
    log_actions([e for _, e in entries])  # chained like every other entry (audit/chain.py)

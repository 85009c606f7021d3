"""Finder reads: the lookup of a point, a grid's card, public deputy profiles, stations and reception days.

Everything here is public data: a deputy appears only if `Deputy.public`, and each item of the profile only
if the deputy agreed to publish it (`DeputyPublication`; without a row every item follows `public`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import statistics

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases.enums import Rating
from lianxin.cases.models import Case
from lianxin.duty.selectors import published_shifts
from lianxin.errors import InvalidInput
from lianxin.finder import conf
from lianxin.finder.geo import haversine_m, shape_of
from lianxin.finder.index import grid_index
from lianxin.finder.models import PUBLICATION_FLAGS, DeputyPublication
from lianxin.organisation.enums import DivisionKind, ReceptionRule
from lianxin.organisation.labels import reception_rule_text
from lianxin.organisation.models import Deputy, DeputyMandate, Division, Station

GRID_CODE_PREFIX = "g"
ASSIGNED_AT = {
    DivisionKind.GRID: gettext_lazy("网格联系代表"),
    DivisionKind.COMMUNITY: gettext_lazy("社区联系代表"),
    DivisionKind.STREET: gettext_lazy("街道联系代表"),
}


# --- codes --------------------------------------------------------------------------------------------------


def grid_code(grid: Division) -> str:
    """The stable code of a grid in /g/<code>: its registry code, else 'g' and its id."""
    return grid.code or f"{GRID_CODE_PREFIX}{grid.pk}"


def grid_by_code(code: str) -> Division | None:
    grids = Division.objects.filter(kind=DivisionKind.GRID)
    if code.startswith(GRID_CODE_PREFIX) and code[1:].isdigit():
        return grids.filter(pk=int(code[1:]), code="").first()
    return grids.filter(code=code).first() if code else None


# --- reception days -----------------------------------------------------------------------------------------


def reception_text(station: Station) -> str:
    return reception_rule_text(station)


def next_reception_by_rule(station: Station, today: dt.date) -> dt.date | None:
    """The next reception day on or after `today` from the station's rule (a monthly day past the end of a
    short month falls on its last day)."""
    if station.reception_rule == ReceptionRule.WEEKLY and station.reception_weekday in range(1, 8):
        return today + dt.timedelta(days=(station.reception_weekday - today.isoweekday()) % 7)
    if station.reception_rule == ReceptionRule.MONTHLY and station.reception_monthday in range(1, 32):
        year, month = today.year, today.month
        for _step in range(2):
            day = min(station.reception_monthday, calendar.monthrange(year, month)[1])
            candidate = dt.date(year, month, day)
            if candidate >= today:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def next_reception(station: Station, today: dt.date | None = None) -> dt.date | None:
    """The next reception day by the station's rule. (This once looked for a `next_shift_for_station` in duty behind
    an importlib guard; duty never had one, so the rule was always what answered.)"""
    return next_reception_by_rule(station, today or timezone.localdate())


def _distance_text(distance_m: float | None) -> str:
    if distance_m is None:
        return ""
    if distance_m < 1000:
        return _("约 %(m)d 米") % {"m": round(distance_m)}
    return _("约 %(km).1f 公里") % {"km": distance_m / 1000}


def station_card(station: Station, *, distance_m: float | None = None, today: dt.date | None = None) -> dict:
    day = next_reception(station, today)
    return {
        "code": station.code,
        "name": station.name,
        "kind_label": station.get_kind_display(),
        "address": station.address,
        "opening_hours": station.opening_hours,
        "phone": station.phone,
        "lat": station.lat,
        "lng": station.lng,
        "distance_m": round(distance_m) if distance_m is not None else None,
        "distance_text": _distance_text(distance_m),
        "reception": reception_text(station),
        "next_reception": day,
        "report_url": reverse("cases:report_station", args=[station.code]),
    }


# --- deputies -----------------------------------------------------------------------------------------------


def publication_of(deputy: Deputy) -> dict[str, bool]:
    """What may be shown of this deputy: all False unless public, then the deputy's own choices."""
    if not deputy.public or not deputy.active:
        return dict.fromkeys(PUBLICATION_FLAGS, False)
    try:
        publication = deputy.publication
    except DeputyPublication.DoesNotExist:
        return dict.fromkeys(PUBLICATION_FLAGS, True)
    return {name: getattr(publication, name) for name in PUBLICATION_FLAGS}


def public_deputies():
    """Public, active deputies with what their cards need (mandates, consent) in two extra queries."""
    return (
        Deputy.objects.filter(public=True, active=True)
        .select_related("publication")
        .prefetch_related(Prefetch("mandates", queryset=DeputyMandate.objects.order_by("id")))
        .order_by("code")
    )


def deputy_card(deputy: Deputy, *, assigned_at: str = "") -> dict:
    shown = publication_of(deputy)
    return {
        "code": deputy.code,
        "name": deputy.name,
        "levels": [m.get_level_display() for m in deputy.mandates.all()] if shown["show_levels"] else [],
        "sector": deputy.sector if shown["show_sector"] else "",
        "photo_url": deputy.photo_url if shown["show_photo"] and deputy.photo else None,
        "assigned_at": assigned_at,
        "profile_url": reverse("finder:deputy", args=[deputy.code]),
        "report_url": reverse("cases:report_deputy", args=[deputy.code]),
    }


def grid_cards(grid_ids) -> dict[int, dict]:
    """Cards of many grids in five queries: each grid with its community, street and grid worker, and the
    public deputies assigned to it, then to its community and street ("四级代表进三级网格"), nearest first."""
    grids = list(
        Division.objects.filter(pk__in=grid_ids, kind=DivisionKind.GRID).only(
            "id", "name", "code", "grid_worker", "path"
        )
    )
    if not grids:
        return {}
    chains = {g.pk: [g.pk, *reversed(g.ancestor_ids()[:-1])] for g in grids}  # grid, community, street, …
    above = {pk for chain in chains.values() for pk in chain[1:]}
    places = {
        pk: (name, kind) for pk, name, kind in Division.objects.filter(pk__in=above).values_list("id", "name", "kind")
    }
    kinds = {pk: kind for pk, (_name, kind) in places.items()} | {g.pk: DivisionKind.GRID for g in grids}
    assigned: dict[int, list[int]] = {}
    links = Deputy.grids.through.objects.filter(division_id__in=above | set(chains)).values_list(
        "deputy_id", "division_id"
    )
    for deputy_id, division_id in links:
        assigned.setdefault(division_id, []).append(deputy_id)
    wanted = {d for ids in assigned.values() for d in ids}
    deputies = {d.pk: d for d in public_deputies().filter(pk__in=wanted)} if wanted else {}
    plain = {pk: deputy_card(d) for pk, d in deputies.items()}
    cards = {}
    for grid in grids:
        members, seen = [], set()
        for division_id in chains[grid.pk]:
            for deputy_id in sorted(
                assigned.get(division_id, []), key=lambda pk: plain[pk]["code"] if pk in plain else ""
            ):
                if deputy_id in plain and deputy_id not in seen:
                    seen.add(deputy_id)
                    members.append(
                        {**plain[deputy_id], "assigned_at": str(ASSIGNED_AT.get(kinds.get(division_id), ""))}
                    )
        by_kind = {places[pk][1]: (pk, places[pk][0]) for pk in chains[grid.pk][1:] if pk in places}
        community, street = by_kind.get(DivisionKind.COMMUNITY), by_kind.get(DivisionKind.STREET)
        code = grid_code(grid)
        cards[grid.pk] = {
            "id": grid.pk,
            "code": code,
            "name": grid.name,
            "grid_worker": grid.grid_worker,
            "community": {"id": community[0], "name": community[1]} if community else None,
            "street": {"id": street[0], "name": street[1]} if street else None,
            "url": reverse("finder:grid", args=[code]),
            "deputies": members,
        }
    return cards


def grid_card(grid: Division) -> dict:
    """The card of one grid (see grid_cards)."""
    return grid_cards([grid.pk])[grid.pk]


def fill_cards(index) -> None:
    """Build the cards of every grid of the index at once (kept until the index is rebuilt)."""
    ids = index.grid_ids.tolist()
    cards: dict[int, dict] = {}
    for start in range(0, len(ids), 5000):
        cards.update(grid_cards(ids[start : start + 5000]))
    index.cards = cards
    index.cards_ready = True


def check_point(lat, lng) -> tuple[float, float]:
    try:
        lat_value, lng_value = float(lat), float(lng)
    except (TypeError, ValueError):
        raise InvalidInput(_("请提供有效的经纬度。"), fields={"lat": [_("须为数字")], "lng": [_("须为数字")]})
    fields = {}
    if not (math.isfinite(lat_value) and -90 <= lat_value <= 90):
        fields["lat"] = [_("纬度须在 -90 到 90 之间")]
    if not (math.isfinite(lng_value) and -180 <= lng_value <= 180):
        fields["lng"] = [_("经度须在 -180 到 180 之间")]
    if fields:
        raise InvalidInput(_("经纬度超出范围。"), fields=fields)
    return lat_value, lng_value


def lookup(lat, lng, *, today: dt.date | None = None) -> dict:
    """The grid at a point with its deputies, and the nearest station. Outside every grid is an answer too."""
    lat, lng = check_point(lat, lng)
    index = grid_index()
    grid_id = index.grid_at(lat, lng)
    card = None
    if grid_id is not None:
        if not index.cards_ready:
            with index.lock:
                if not index.cards_ready:
                    fill_cards(index)
        card = index.cards.get(grid_id)
    nearest = index.nearest_station(lat, lng)
    station = None
    if nearest is not None:
        station = station_card(index.stations[nearest[0]], distance_m=nearest[1], today=today)
    message = ""
    if card is None:
        message = _("该位置不在任何网格内。您可以在地图上换个位置，按街道和社区选择，或直接联系最近的联络站。")
    return {
        "found": card is not None,
        "message": message,
        "point": {"lat": lat, "lng": lng},
        "grid": card,
        "station": station,
    }


def nearest_station_to_grid(grid: Division, *, today: dt.date | None = None) -> dict | None:
    """The nearest station to a grid's own point (or its representative point)."""
    lat, lng = grid.lat, grid.lng
    if lat is None or lng is None:
        shape = shape_of(grid.polygon)
        if shape is None:
            return None
        inside = shape.representative_point()
        lat, lng = inside.y, inside.x
    index = grid_index()
    nearest = index.nearest_station(lat, lng)
    if nearest is None:
        return None
    return station_card(index.stations[nearest[0]], distance_m=nearest[1], today=today)


# --- deputy profile -------------------------------------------------------------------------------------------


def deputy_stats(deputy: Deputy, *, now: dt.datetime | None = None) -> dict:
    """Matters acknowledged, median acknowledgement hours and satisfaction over the window (counts stored,
    rates computed: 满意 ÷ rated, and (满意 + 基本满意) ÷ rated; below the minimum sample rates are None)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=conf.stats_window_days())
    rows = list(
        Case.objects.filter(deputy=deputy, created_at__gte=since).values_list("created_at", "acknowledged_at", "rating")
    )
    waits = [(ack - created).total_seconds() / 3600 for created, ack, _r in rows if ack is not None]
    ratings = [rating for _c, _a, rating in rows if rating]
    minimum = conf.stats_min_sample()
    satisfied = sum(1 for r in ratings if r == Rating.SATISFIED)
    basically = sum(1 for r in ratings if r == Rating.BASICALLY_SATISFIED)
    return {
        "window_days": conf.stats_window_days(),
        "received": len(rows),
        "acknowledged": len(waits),
        "median_ack_hours": round(statistics.median(waits), 1) if len(waits) >= minimum else None,
        "rated": len(ratings),
        "satisfaction": round(100 * satisfied / len(ratings)) if len(ratings) >= minimum else None,
        "satisfaction_incl_basic": round(100 * (satisfied + basically) / len(ratings))
        if len(ratings) >= minimum
        else None,
        "min_sample": minimum,
    }


def deputy_profile(code: str, *, today: dt.date | None = None) -> dict | None:
    """The public profile of a deputy, or None if there is none to show (unknown, inactive or not public)."""
    deputy = public_deputies().filter(code=code).first()
    if deputy is None:
        return None
    shown = publication_of(deputy)
    stations = []
    if shown["show_stations"] or shown["show_duty_days"]:
        for station in deputy.stations.filter(active=True).order_by("code"):
            card = station_card(station, today=today)
            if not shown["show_duty_days"]:
                card["reception"], card["next_reception"] = "", None
            stations.append(card)
    grids = [grid_card_short(g) for g in deputy.grids.filter(kind=DivisionKind.GRID).order_by("id")[:50]]
    return {
        "card": deputy_card(deputy),
        "constituency": deputy.constituency if shown["show_constituency"] else "",
        "bio": deputy.bio if shown["show_bio"] else "",
        "stations": stations,
        "show_station_names": shown["show_stations"],
        "grids": grids,
        "stats": deputy_stats(deputy) if shown["show_stats"] else None,
        "duty_shifts": _upcoming_duty(deputy, today) if shown["show_duty_days"] else [],
    }


def _upcoming_duty(deputy: Deputy, today: dt.date | None) -> list[dict]:
    """The deputy's own published duty shifts ahead (the roster publishes names a few days ahead)."""
    today = today or timezone.localdate()
    shifts = [s for s in published_shifts(deputy=deputy) if s.date >= today][:5]
    return [{"date": s.date, "starts_at": s.starts_at, "station": s.station.name} for s in shifts]


def grid_card_short(grid: Division) -> dict:
    code = grid_code(grid)
    return {"name": grid.name, "code": code, "url": reverse("finder:grid", args=[code])}


def distance_m(lat1, lng1, lat2, lng2) -> float:
    return float(haversine_m(lat1, lng1, lat2, lng2))

"""Reads of the voters area: overviews, lists and the published statistics. Every list has a fixed query count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of
from lianxin.cases.enums import Rating
from lianxin.dates import quarter_label
from lianxin.organisation.models import Deputy
from lianxin.voters import conf, rules
from lianxin.voters.enums import CHECKED_RESULTS, CheckResult, ReportStatus
from lianxin.voters.models import ContactCheck, Household, SampleDraw, VoterContact, VoterReport


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter(start: dt.date) -> dt.date:
    return quarter_start(start - dt.timedelta(days=1))


def ratio(part: int, whole: int) -> float | None:
    """part ÷ whole, or None when nothing was counted (shown as “—”, never as 0 % or 100 %)."""
    return part / whole if whole else None


@dataclass
class DeputyRow:
    deputy: Deputy
    households: int
    contacts_quarter: int
    contacts_year: int
    below_minimum: bool


def deputy_rows(user, today: dt.date, *, only_below: bool = False) -> list[DeputyRow]:
    """The office's overview: each deputy in scope with pairing and contact counts (two queries)."""
    scope = rules.office_scope(user)
    if scope is None:
        return []
    minimum = conf.pairing_minimum()
    q_start = quarter_start(today)
    y_start = dt.date(today.year, 1, 1)
    ids = Deputy.objects.filter(scope).values("pk")
    deputies = (
        Deputy.objects.filter(pk__in=ids, active=True)
        .annotate(households_n=Count("households", filter=Q(households__active=True), distinct=True))
        .order_by("code")
    )
    contact_counts = {
        row["deputy_id"]: row
        for row in VoterContact.objects.filter(deputy__in=ids, contacted_on__gte=y_start, contacted_on__lte=today)
        .values("deputy_id")
        .annotate(year=Count("pk"), quarter=Count("pk", filter=Q(contacted_on__gte=q_start)))
        .order_by()
    }
    rows = []
    for deputy in deputies:
        counts = contact_counts.get(deputy.pk, {})
        row = DeputyRow(
            deputy,
            deputy.households_n,
            counts.get("quarter", 0),
            counts.get("year", 0),
            deputy.households_n < minimum,
        )
        if row.below_minimum or not only_below:
            rows.append(row)
    return rows


def households_of(deputy: Deputy) -> QuerySet[Household]:
    return Household.objects.filter(deputy=deputy, active=True).select_related("grid").order_by("id")


def contacts_of(deputy: Deputy, *, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[VoterContact]:
    """The deputy's contacts, optionally only those dated in [start, end] (either end may be open)."""
    contacts = VoterContact.objects.filter(deputy=deputy)
    if start is not None:
        contacts = contacts.filter(contacted_on__gte=start)
    if end is not None:
        contacts = contacts.filter(contacted_on__lte=end)
    return contacts.select_related("household", "case", "sample_check")


def office_checks(user, *, pending_only: bool = True) -> QuerySet[ContactCheck]:
    scope = rules.office_scope(user)
    if scope is None:
        return ContactCheck.objects.none()
    checks = ContactCheck.objects.filter(contact__deputy__in=Deputy.objects.filter(scope).values("pk"))
    if pending_only:
        checks = checks.filter(result=CheckResult.PENDING)
    return checks.select_related("draw", "contact__deputy", "contact__household", "checked_by").order_by(
        "-draw__month", "draw_id", "id"
    )


def recent_draws(user, limit: int = 12) -> list[SampleDraw]:
    """Draws that touched the office's deputies (the scheduled draw covers everyone), counting their checks."""
    scope = rules.office_scope(user)
    if scope is None:
        return []
    deputies = Deputy.objects.filter(scope).values("pk")
    return list(
        SampleDraw.objects.filter(checks__contact__deputy__in=deputies)
        .annotate(drawn=Count("checks", distinct=True))
        .select_related("drawn_by")
        .order_by("-month", "-id")[:limit]
    )


@dataclass
class QuarterStats:
    start: dt.date
    label: str
    contacts: int
    sampled: int
    checked: int
    confirmed: int

    @property
    def verified_share(self) -> float | None:
        """已核实率 = 回访属实 ÷ 已回访 (unreachable counts as called back but not confirmed)."""
        return ratio(self.confirmed, self.checked)


def public_contact_stats(deputy: Deputy, today: dt.date, quarters: int = 4) -> list[QuarterStats]:
    """Contacts per quarter and the verified share, for the public page. Counts only: no voter data."""
    starts = [quarter_start(today)]
    for _step in range(quarters - 1):
        starts.append(previous_quarter(starts[-1]))
    earliest = starts[-1]
    rows = (
        VoterContact.objects.filter(deputy=deputy, contacted_on__gte=earliest, contacted_on__lte=today)
        .values_list("contacted_on", "sample_check__result")
        .order_by()
    )
    stats = {s: QuarterStats(s, quarter_label(s.year, (s.month - 1) // 3 + 1), 0, 0, 0, 0) for s in starts}
    for contacted_on, result in rows:
        item = stats[quarter_start(contacted_on)]
        item.contacts += 1
        if result is not None:
            item.sampled += 1
            if result in CHECKED_RESULTS:
                item.checked += 1
            if result == CheckResult.CONFIRMED:
                item.confirmed += 1
    return [stats[s] for s in starts]


def public_deputy(code: str) -> Deputy | None:
    return Deputy.objects.filter(code=code, active=True, public=True).first()


@dataclass
class ReportResult:
    satisfied: int
    basically_satisfied: int
    unsatisfied: int

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def satisfaction(self) -> float | None:
        """满意率 = 满意 ÷ 参评."""
        return ratio(self.satisfied, self.rated)

    @property
    def satisfaction_incl_basic(self) -> float | None:
        """满意率（含基本满意）= (满意 + 基本满意) ÷ 参评."""
        return ratio(self.satisfied + self.basically_satisfied, self.rated)


def published_result(report: VoterReport) -> ReportResult | None:
    if report.status != ReportStatus.RESULT_PUBLISHED:
        return None
    return ReportResult(report.satisfied, report.basically_satisfied, report.unsatisfied)


def live_result(report: VoterReport) -> ReportResult:
    """The running count (for the office and the deputy while rating is open)."""
    counts = dict(report.ratings.values_list("rating").annotate(n=Count("pk")).order_by())
    return ReportResult(
        counts.get(Rating.SATISFIED, 0), counts.get(Rating.BASICALLY_SATISFIED, 0), counts.get(Rating.UNSATISFIED, 0)
    )


def reports_for(user) -> QuerySet[VoterReport]:
    return (
        VoterReport.objects.filter(deputy__in=rules.visible_deputies(user))
        .select_related("deputy")
        .annotate(ratings_n=Count("ratings"))
        .order_by("-held_on", "-id")
    )


def report_comments(report: VoterReport) -> QuerySet:
    """What voters wrote (masked names only) for the deputy and the office."""
    return (
        report.ratings.exclude(comment="")
        .only("report_id", "rating", "comment", "name_masked", "created_at")
        .order_by("id")
    )


def public_reports_of(deputy: Deputy) -> QuerySet[VoterReport]:
    return VoterReport.objects.filter(deputy=deputy, published_at__isnull=False).order_by("-held_on")


# --- cockpit (驾驶舱) extension: found at run time by lianxin.cockpit.extensions ---------------------------


def cockpit_links_allowed(*, user, division) -> bool:
    """The office over the division opens a deputy's contacts (the voters pages are the office's and the deputy's)."""
    return scope_of(user, Role.OFFICE).covers(division)


def cockpit_linkable_deputies(*, user, division) -> QuerySet[Deputy]:
    """The deputies whose voters page `user` opens (the page's own rule, rules.deputy_for_actor); unevaluated."""
    return rules.visible_deputies(user)


def cockpit_deputy_measures(*, division, start, end) -> list[dict]:
    """The deputies' table's voters column: contacts recorded in the period (in the activity total), linked to the
    deputy's contact list for the same dates."""

    window = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    return [
        {
            "key": "voter_contacts",
            "label": _("联系选民"),
            "formula": _("本期代表记录的联系选民次数（不论地点）"),
            "in_total": True,
            "url": lambda deputy_id: f"{reverse('voters:deputy', args=[deputy_id])}?{window}",
        }
    ]


def cockpit_deputy_activity(*, division, start, end, deputy_ids) -> dict[int, dict[str, int]]:
    """Per deputy: contacts dated in [start, end]. A contact has no place of its own, so a deputy's contacts count
    wherever the deputy is listed. One query."""
    rows = (
        VoterContact.objects.filter(deputy_id__in=list(deputy_ids), contacted_on__gte=start, contacted_on__lte=end)
        .order_by()
        .values_list("deputy_id")
        .annotate(n=Count("pk"))
    )
    return {deputy_id: {"voter_contacts": n} for deputy_id, n in rows}

"""Every page of the list below, asked for in English, shows no Chinese character.

The data are the test factories' district (tests.factories.make_district) with every name a person types
renamed to pinyin/English (`english_world`): divisions, stations, units, deputies, categories, display names,
the citizens' and deputies' words. So whatever Chinese is left on a page was written by the system — a label,
a timeline sentence, a date, a stage name, a formula, a note — and must be translated. Nothing is masked.

The steps are taken through the real services (a case dispatched, claimed, replied, fed back and rated; a
suggestion submitted, passed through review, assigned and signed), so the timelines hold the sentences the
system writes. Language: the Accept-Language header (LocaleMiddleware; the switcher's cookie is tested in
test_pages.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.test import Client

from lianxin.cases import services as case_services
from lianxin.cases.codes import follow_up_token
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station
from lianxin.points.models import AssessmentStandard, PointsRule
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.services import suggestion_create, suggestion_transition
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

# CJK ideographs (and extension A), CJK symbols and punctuation (、。「」), full-width forms （），：；
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Text marked as Chinese: the language switcher names Chinese in Chinese (test_pages.test_switcher_names_each_language_
# in_itself), and the outbox shows the messages as they were sent (in Chinese, docs/architecture.md "Languages").
MARKED_CHINESE = re.compile(r'(?s)<(\w+)\b[^>]*\blang="zh-hans"[^>]*>.*?</\1>')


# English that keeps Chinese on purpose (tests/i18n/catalogue.py KEEPS_CHINESE): the finder's search example shows
# that a Chinese name may be typed.
ALLOWED = ("e.g. 春晖 / chunhui / ch",)


def visible_text(html: str) -> str:
    html = MARKED_CHINESE.sub(" ", html)
    for text in ALLOWED:
        html = html.replace(text, " ")
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    # attributes a person reads: placeholders, titles, alternative texts, labels of controls
    shown = " ".join(re.findall(r'\s(?:placeholder|title|alt|aria-label)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", "\n", html) + "\n" + shown


def chinese_lines(html: str) -> list[str]:
    return [line.strip() for line in visible_text(html).splitlines() if CHINESE.search(line)]


def english_world(district):
    """The factories' district with every name in pinyin or English, and a case and a suggestion with history."""
    for model in (Division, Station, HandlingUnit, Deputy, Category):
        model.objects.update(name=Concat(Value(f"{model.__name__} "), Cast("pk", CharField())))
    # the notes of the seeded points rules and assessment standards are data the office edits
    for model in (PointsRule, AssessmentStandard):
        model.objects.update(note=Concat(Value(f"{model.__name__} note "), Cast("pk", CharField())))
    for user in (district.office, district.station_staff, district.deputy_user, district.unit_user, district.leader):
        type(user).objects.filter(pk=user.pk).update(display_name=user.username.title())
    words = {"title": "Street lights out", "details": "The lights by building 3 are out.", "contact_name": "Zhang"}
    case = submit_case(**words)
    case_services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="Got it, on my way.")
    case_services.case_dispatch(
        actor=district.station_staff, case_id=case.pk, unit_id=district.unit.pk, request_type="help"
    )
    case_services.case_claim(actor=district.unit_user, case_id=case.pk)
    case_services.case_reply(actor=district.unit_user, case_id=case.pk, message="Lamps replaced.")
    case_services.case_feedback(actor=district.station_staff, case_id=case.pk, message="Fixed, please check.")
    case_services.case_rate(
        tracking_code=case.tracking_code, token=follow_up_token(case.tracking_code), rating="satisfied", comment=""
    )
    open_case = submit_case(title="Noise at night", details="Loud music after 11 pm.", contact_name="Li")
    suggestion = _suggestion(district)
    return {"case": case, "open_case": open_case, "suggestion": suggestion}


def _suggestion(district):
    category = Category.objects.filter(level=1, active=True).order_by("pk").first()
    suggestion = suggestion_create(
        actor=district.deputy_user,
        data={
            "title": "Renew the street lights",
            "situation": "Many lamps are old.",
            "proposals": "Replace them and inspect them every quarter.",
            "category_id": category.pk,
            "urgency": "Dark winter evenings.",
            "breadth": "Three estates.",
            "importance": "Safety at night.",
        },
    )

    def act(user, action, **data):
        suggestion_transition(actor=user, suggestion_id=suggestion.pk, action=action, data=data, document=None)

    act(district.deputy_user, "submit")
    return Suggestion.objects.get(pk=suggestion.pk), act


@pytest.fixture
def world(district, settings):
    settings.SUGGESTION_WINDOW_MONTHDAYS = list(range(1, 32))
    settings.SUGGESTION_SESSION_WINDOWS = []
    data = english_world(district)
    suggestion, act = data["suggestion"]
    act(district.office, "accept", message="Agreed.")
    act(district.office, "accept")
    act(district.office, "accept")
    act(district.office, "assign", mode="lead", lead_unit_id=district.unit.pk, co_unit_ids=[])
    act(district.unit_user, "sign")
    data["suggestion"] = suggestion
    return data


def _pages(district, world):
    case, open_case, suggestion = world["case"], world["open_case"], world["suggestion"]
    token = follow_up_token(case.tracking_code)
    return {
        None: [
            "/login/",
            "/report/",
            f"/s/{district.station.code}",
            "/track/",
            f"/track/{case.tracking_code}?token={token}",
            "/stations/",
            f"/stations/{district.station.code}/",
            "/find/",
            "/events/",
            "/consultations/",
            "/public/suggestions/",
            "/appraisal/",
        ],
        "office": [
            "/work/cases/?tab=all",
            f"/work/cases/{case.pk}/",
            "/work/suggestions/?tab=all",
            f"/work/suggestions/{suggestion.pk}/",
            "/work/cockpit/",
            "/work/cockpit/wall/",
            "/work/cockpit/reports/",
            "/work/cockpit/lists/",
            "/work/suggestions/metrics/",
            "/work/duty/receptions/",
            "/work/events/",
            "/work/consultations/",
            "/work/voters/",
            "/work/finder/",
            "/work/performance/",
            "/work/performance/rules/",
            "/work/performance/assessment/",
            "/work/performance/appraisal/",
            "/work/people/",
            "/work/registry/",
            "/work/notifications/",
        ],
        "auditor": ["/audit/"],
        "station_staff": [
            "/work/cases/?tab=all",
            f"/work/cases/{open_case.pk}/",
            "/work/walk-in/",
            "/work/duty/",
        ],
        "deputy_user": [
            "/work/cases/?tab=all",
            f"/work/cases/{case.pk}/",
            "/work/visit/",
            "/work/suggestions/",
            f"/work/suggestions/{suggestion.pk}/",
        ],
        "unit_user": [
            "/work/cases/?tab=all",
            f"/work/cases/{case.pk}/",
            "/work/suggestions/",
            f"/work/suggestions/{suggestion.pk}/",
        ],
        "leader": ["/work/cockpit/"],
    }


def test_every_listed_page_is_english_through_and_through(district, world):
    found = {}
    for persona, urls in _pages(district, world).items():
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if persona:
            client.force_login(getattr(district, persona))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                found[f"{persona or 'public'} {url}"] = [f"status {response.status_code}"]
                continue
            assert response.headers["Content-Language"] == "en"
            lines = chinese_lines(response.content.decode())
            if lines:
                found[f"{persona or 'public'} {url}"] = lines
    if os.environ.get("LIANXIN_I18N_REPORT"):  # a file to read the whole list at once
        Path(os.environ["LIANXIN_I18N_REPORT"]).write_text(json.dumps(found, ensure_ascii=False, indent=1))
    assert found == {}


def test_the_check_finds_chinese_a_page_would_show(district):
    """The check itself: system text left in Chinese, even one full-width bracket, is caught."""
    assert chinese_lines("<p>Liaison station（6）</p><p lang='en'>Fine</p>") == ["Liaison station（6）"]
    assert chinese_lines('<input placeholder="请输入">') == ["请输入"]
    assert chinese_lines('<button name="language" value="zh-hans" lang="zh-hans">简体中文</button>') == []
    assert chinese_lines('<td lang="zh-hans">[连心] 代表建议</td><td>已发送</td>') == ["已发送"]

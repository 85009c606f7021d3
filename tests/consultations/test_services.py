"""Consultations: articles, commenting, moderation with reasons, the summary, permissions, bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEntry
from lianxin.consultations import selectors, services
from lianxin.consultations.models import Comment, Consultation
from lianxin.consultations.rules import can_manage, visible_consultations
from lianxin.errors import InvalidInput, NotAllowed, NotFound
from tests.consultations.conftest import comment, make_consultation


def test_articles_are_split_on_blank_lines_and_keep_their_headings(consultation):
    rows = list(consultation.articles.order_by("number").values_list("number", "heading", "text"))
    assert rows == [
        (1, "第一条", "为了规范住宅小区物业管理，制定本条例。"),
        (2, "第二条", "业主大会应当每年至少召开一次。"),
        (3, "第三条", "物业服务企业应当公开收费标准。"),
    ]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (35, "三十五"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (234, "二百三十四"),
    ],
)
def test_chinese_article_numbers(n, text):
    assert services.chinese_number(n) == text


def test_office_creates_for_its_division_without_a_station(district):
    created = make_consultation(district, actor=district.office, station_id=None)
    assert (created.division, created.station) == (district.district, None)
    with pytest.raises(InvalidInput) as exc:
        make_consultation(district, actor=district.station_staff, station_id=None)
    assert "station" in exc.value.fields


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"summary": "长" * 5001}, "summary"),
        ({"kind": "poll"}, "kind"),
        ({"deadline": None}, "deadline"),
        ({"deadline": "明天"}, "deadline"),
        ({"articles_text": ""}, "articles_text"),
        ({"articles_text": "\n\n  \n"}, "articles_text"),
        ({"articles_text": None}, "articles_text"),
        ({"articles_text": "长" * 5001}, "articles_text"),
        ({"station_id": "abc"}, "station"),
    ],
)
def test_bad_consultation_input_stores_nothing(district, fields, field):
    with pytest.raises(InvalidInput) as exc:
        make_consultation(district, **fields)
    assert field in exc.value.fields
    assert Consultation.objects.count() == 0


def test_deadline_in_the_past_is_refused(district):
    with pytest.raises(InvalidInput):
        make_consultation(district, deadline=timezone.now() - dt.timedelta(minutes=1))


def test_other_stations_staff_cannot_create_for_ours(district):
    with pytest.raises(InvalidInput):
        make_consultation(district, actor=district.outsider)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("office", True),
        ("station_staff", True),
        ("outsider", False),
        ("deputy_user", False),
        ("unit_user", False),
        ("leader", False),
        ("auditor", False),
    ],
)
def test_who_manages_our_consultation(district, consultation, persona, sees):
    user = district.persona(persona)
    assert list(visible_consultations(user)) == ([consultation] if sees else [])
    if not sees:
        pending = comment(consultation)
        with pytest.raises(NotFound):
            services.comment_moderate(actor=user, comment_id=pending.pk, decision="approve")
        with pytest.raises(NotFound):
            services.consultation_close(actor=user, consultation_id=consultation.pk)
        pending.refresh_from_db()
        assert pending.status == "pending"
    assert can_manage(user) == (persona in {"office", "station_staff", "outsider"})


def test_a_comment_is_pending_encrypted_and_masked(consultation):
    made = comment(consultation, name="欧阳明", phone="136 1234 5678")
    assert (made.status, made.author_kind, made.name_masked, made.phone_masked) == (
        "pending",
        "citizen",
        "欧**",
        "136****5678",
    )
    assert "13612345678" not in made.phone_enc and "欧阳明" not in made.name_enc
    entry = AuditEntry.objects.get(action="consultation.commented")
    assert "13612345678" not in str(entry.data) and "欧阳明" not in str(entry.data)


def test_a_deputy_comments_as_a_deputy(district, consultation):
    made = comment(consultation, deputy=district.deputy, actor=district.deputy_user, name="", phone="")
    assert (made.author_kind, made.deputy) == ("deputy", district.deputy)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "长" * 2001}, "body"),
        ({"body": None}, "body"),
        ({"name": "长" * 31}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"consent": False}, "consent"),
        ({"consent": "true"}, "consent"),
    ],
)
def test_bad_comments_store_nothing(consultation, fields, field):
    with pytest.raises(InvalidInput) as exc:
        comment(consultation, **fields)
    assert field in exc.value.fields
    assert Comment.objects.count() == 0


def test_comments_only_on_open_consultations_and_their_own_articles(district, consultation):
    other = make_consultation(district, title="另一个")
    foreign_article = other.articles.first()
    with pytest.raises(NotFound):
        services.comment_submit(
            consultation_id=consultation.pk, article_id=foreign_article.pk, body="意见", consent=True
        )
    draft = make_consultation(district, publish=False, title="草稿")
    with pytest.raises(NotFound):
        comment(draft)
    for bad in ["abc", None, 999999]:
        with pytest.raises(NotFound):
            services.comment_submit(consultation_id=bad, article_id=bad, body="意见", consent=True)
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(NotAllowed) as exc:
        comment(consultation)
    assert exc.value.code == "closed"
    services.consultation_close(actor=district.station_staff, consultation_id=other.pk)
    with pytest.raises(NotAllowed):
        comment(other)
    assert Comment.objects.count() == 0


def test_moderation_approves_or_rejects_with_a_reason_in_the_audit_log(district, consultation):
    good, bad = comment(consultation, 0), comment(consultation, 1, body="广告：代办各类证件")
    with pytest.raises(InvalidInput) as exc:
        services.comment_moderate(actor=district.station_staff, comment_id=bad.pk, decision="reject", reason="  ")
    assert "reason" in exc.value.fields
    with pytest.raises(InvalidInput):
        services.comment_moderate(actor=district.station_staff, comment_id=bad.pk, decision="maybe")
    services.comment_moderate(actor=district.station_staff, comment_id=good.pk, decision="approve")
    services.comment_moderate(
        actor=district.station_staff, comment_id=bad.pk, decision="reject", reason="与条文无关的广告"
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status, bad.moderation_reason) == ("approved", "rejected", "与条文无关的广告")
    assert bad.moderated_by == district.station_staff
    entry = AuditEntry.objects.get(action="consultation.comment_rejected")
    assert (entry.actor, entry.data["reason"], entry.data["comment"]) == (
        district.station_staff,
        "与条文无关的广告",
        bad.pk,
    )
    assert AuditEntry.objects.filter(action="consultation.comment_approved", data__comment=good.pk).count() == 1
    with pytest.raises(NotAllowed) as again:
        services.comment_moderate(actor=district.station_staff, comment_id=good.pk, decision="reject", reason="改主意")
    assert again.value.code == "already_moderated"


def test_public_page_shows_only_approved_comments(district, consultation, django_assert_max_num_queries):
    approved = [comment(consultation, n % 3, body=f"公开意见{n}") for n in range(5)]
    for made in approved:
        services.comment_moderate(actor=district.station_staff, comment_id=made.pk, decision="approve")
    comment(consultation, 0, body="待审意见")
    with django_assert_max_num_queries(3):
        found = selectors.public_consultation(consultation.pk)
        bodies = [m.body for a in found.articles.all() for m in a.approved_comments]
    assert sorted(bodies) == [f"公开意见{n}" for n in range(5)]


def test_summary_counts_by_article(district, consultation):
    made = [
        comment(consultation, 0),
        comment(consultation, 0),
        comment(consultation, 1),
        comment(consultation, 0, deputy=district.deputy),
    ]
    services.comment_moderate(actor=district.office, comment_id=made[0].pk, decision="approve")
    services.comment_moderate(actor=district.office, comment_id=made[1].pk, decision="reject", reason="重复")
    rows = [
        (r.article.heading, r.total, r.approved, r.pending, r.rejected, r.citizens, r.deputies)
        for r in selectors.summary(consultation)
    ]
    assert rows == [("第一条", 3, 1, 1, 1, 2, 1), ("第二条", 1, 0, 1, 0, 1, 0), ("第三条", 0, 0, 0, 0, 0, 0)]


def test_publish_and_close(district):
    draft = make_consultation(district, publish=False)
    services.consultation_publish(actor=district.station_staff, consultation_id=draft.pk)
    with pytest.raises(NotAllowed):
        services.consultation_publish(actor=district.station_staff, consultation_id=draft.pk)
    services.consultation_close(actor=district.station_staff, consultation_id=draft.pk)
    with pytest.raises(NotAllowed):
        services.consultation_close(actor=district.station_staff, consultation_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == "closed"

"""Work screens and the public board: who sees what, each action form, bad input, query counts."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.suggestions.enums import State
from lianxin.suggestions.models import Suggestion
from tests.suggestions.factories import acknowledged_case, act, fields, pdf_upload, suggestion_at

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_list_shows_each_persona_its_tabs(client, world):
    suggestion_at(world, "reviewing")
    expected = {
        "deputy": ["mine", "drafts", "cosign"],
        "office": ["review", "queued", "to_assign", "attention", "with_units", "all"],
        "lead_unit": ["to_sign", "handling", "unit_all"],
        "leader": ["key", "all"],
    }
    for persona, tabs in expected.items():
        response = login(client, getattr(world, persona)).get(reverse("suggestions:list"))
        assert response.status_code == 200
        assert [t["key"] for t in response.context["tabs"]] == tabs
    for persona in ("outsider", "auditor", "station_staff"):
        assert login(client, getattr(world, persona)).get(reverse("suggestions:list")).status_code == 404


def test_office_review_queue_lists_submitted_not_drafts(client, world):
    reviewing = suggestion_at(world, "reviewing")
    suggestion_at(world, "draft", title="关于某事的草稿建议")
    response = login(client, world.office).get(reverse("suggestions:list") + "?tab=review")
    assert [s.pk for s in response.context["page"]] == [reviewing.pk]
    assert response.context["tabs"][0]["count"] == 1


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    for i in range(3):
        suggestion_at(world, "reviewing", title=f"关于第{i}条道路照明的建议")
    login(client, world.office)
    with django_assert_max_num_queries(16):
        client.get(reverse("suggestions:list") + "?tab=all")
    for i in range(6):
        suggestion_at(world, "reviewing", title=f"关于第{i + 3}条道路照明的建议")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("suggestions:list") + "?tab=all")
    assert len(response.context["page"]) == 9


def test_deputy_drafts_from_cases_on_the_form(client, world):
    cases = [acknowledged_case(world), acknowledged_case(world, title="门口太暗")]
    login(client, world.deputy)
    page = client.get(reverse("suggestions:new") + f"?cases={cases[0].pk}")
    assert page.context["chosen_cases"] == [str(cases[0].pk)]
    data = {**fields(world), "case_ids": [str(c.pk) for c in cases]}
    response = client.post(reverse("suggestions:new"), data)
    s = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:detail", args=[s.pk])
    assert s.cases.count() == 2


def test_draft_form_bad_input_stores_nothing(client, world):
    login(client, world.deputy)
    response = client.post(reverse("suggestions:new"), {**fields(world), "title": "  "})
    assert response.status_code == 422
    assert "请填写案由" in response.content.decode()
    response = client.post(reverse("suggestions:new"), {**fields(world), "case_ids": ["999999"]})
    assert response.status_code == 422 and "不在您的范围内" in response.content.decode()
    assert not Suggestion.objects.exists()
    assert login(client, world.office).get(reverse("suggestions:new")).status_code == 404


def test_detail_is_404_for_outsiders_and_units_before_assignment(client, world):
    s = suggestion_at(world, "reviewing")
    url = reverse("suggestions:detail", args=[s.pk])
    for persona in ("outsider", "auditor", "lead_unit", "cosigner"):
        assert login(client, getattr(world, persona)).get(url).status_code == 404
    response = login(client, world.office).get(url)
    assert response.status_code == 200
    assert [f["action"] for f in response.context["action_forms"]] == [
        "accept",
        "return_for_revision",
        "merge",
        "not_accept",
    ]


def test_action_form_runs_a_step_and_shows_errors_next_to_it(client, world):
    s = suggestion_at(world, "reviewing")
    login(client, world.office)
    url = reverse("suggestions:act", args=[s.pk, "return_for_revision"])
    response = client.post(url, {"message": ""})
    assert response.status_code == 422
    assert "请填写修改意见" in response.content.decode()
    s.refresh_from_db()
    assert s.state == State.REVIEWING
    response = client.post(url, {"message": "请补充数据。"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.state == State.RETURNED


def test_assign_form_with_multi_select_and_answer_with_pdf(client, world):
    s = suggestion_at(world, "accepted")
    login(client, world.office)
    response = client.post(
        reverse("suggestions:act", args=[s.pk, "assign"]),
        {
            "mode": "lead",
            "lead_unit_id": str(world.d.unit.pk),
            "co_unit_ids": [str(world.d.other_unit.pk)],
        },
    )
    assert response.status_code == 302
    assert sorted(s.assignments.values_list("role", flat=True)) == ["co", "lead"]
    s = act(world.lead_unit, s, "sign")
    s = act(world.co_unit, s, "sign")
    s = act(world.co_unit, s, "send_opinion", message="同意。")
    s = act(world.lead_unit, s, "record_contact", kind="phone", happened_on=str(s.created_at.date()), note="电话。")
    login(client, world.lead_unit)
    url = reverse("suggestions:act", args=[s.pk, "answer"])
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "answer.pdf"
    response = client.post(url, {"category": "A", "signed_by": "李局长", "document": fake})
    assert response.status_code == 422 and "PDF" in response.content.decode()
    response = client.post(url, {"category": "A", "signed_by": "李局长", "document": pdf_upload()})
    assert response.status_code == 302
    s.refresh_from_db()
    answer = s.answers.get()
    doc = reverse("suggestions:answer_document", args=[s.pk, answer.pk])
    assert client.get(doc).content.startswith(b"%PDF")
    assert login(client, world.outsider).get(doc).status_code == 404


def test_answer_document_is_kept_in_a_storage_without_paths(client, world, object_storage):
    test_assign_form_with_multi_select_and_answer_with_pdf(client, world)
    names = object_storage.names()
    assert len(names) == 1 and names[0].startswith("suggestions/") and names[0].endswith(".pdf")


def test_metrics_state_their_formulas_and_count(client, world):
    suggestion_at(world, "closed")
    suggestion_at(world, "rechecking", title="关于另一条路照明的建议")
    response = login(client, world.office).get(reverse("suggestions:metrics") + "?group=unit")
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row.label, row.assigned, row.answered, row.rated, row.satisfied) == ("区住建局", 2, 2, 2, 1)
    assert row.rates["satisfied_rate"] == 50.0 and row.rates["answered_rate"] == 100.0
    assert "满意件数 ÷ 已评价件数" in response.content.decode()
    bad = client.get(reverse("suggestions:metrics") + "?start=2026-13-01")
    assert bad.status_code == 422
    assert login(client, world.lead_unit).get(reverse("suggestions:metrics")).status_code == 404


def test_bulletin_exports_excel(client, world):
    from openpyxl import load_workbook

    suggestion_at(world, "handling")
    login(client, world.office)
    response = client.get(reverse("suggestions:bulletin"))
    assert [r["unit"] for r in response.context["rows"]] == ["区住建局", "区教育局"]
    response = client.get(reverse("suggestions:bulletin") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "承办单位" and {rows[2][0], rows[3][0]} == {"区住建局", "区教育局"}


def test_public_board_shows_only_consented_answers_masked(client, world, django_assert_max_num_queries):
    shown = suggestion_at(world, "closed", title="关于路灯改造的建议")
    hidden = suggestion_at(world, "answered", title="关于不公开的建议")
    act(world.deputy, hidden, "set_publication", public=False)
    suggestion_at(world, "reviewing", title="关于未答复的建议")
    shown.answers.update(text="已改造，联系电话13812345678。")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("suggestions:board"))
    body = response.content.decode()
    assert [i["id"] for i in response.context["items"]] == [shown.pk]
    assert "138****5678" in body and "13812345678" not in body
    wall = client.get(reverse("suggestions:wall"))
    assert wall.status_code == 200 and "关于路灯改造的建议" in wall.content.decode()


def test_public_board_names_deputies_as_their_publication_consent_allows(client, world):
    """A lead deputy with a public profile is named in full and linked to it; one without is masked (王*)."""
    shown = suggestion_at(world, "closed", title="关于路灯改造的建议")
    deputy = shown.lead_deputy
    assert deputy.public
    body = client.get(reverse("suggestions:board")).content.decode()
    assert f'<a href="/deputies/{deputy.code}/">{deputy.name}</a>' in body
    type(deputy).objects.filter(pk=deputy.pk).update(public=False)
    body = client.get(reverse("suggestions:board")).content.decode()
    assert deputy.name not in body and f"{deputy.name[0]}*" in body
    assert f"/deputies/{deputy.code}/" not in body


def test_public_board_explains_the_answer_categories(client, world, settings):
    suggestion_at(world, "closed", title="关于路灯改造的建议")
    body = client.get(reverse("suggestions:board")).content.decode()
    legend = body[body.index('id="answer-categories"') :]
    for label in ("A类：已解决或采纳", "B类：正在解决或列入计划", "C类：条件限制，待以后解决", "D类：留作参考"):
        assert label in legend
    answer = Suggestion.objects.get(title="关于路灯改造的建议").answers.first()
    assert (
        f'answer-category">{dict(A="A类：已解决或采纳", B="B类：正在解决或列入计划", C="C类：条件限制，待以后解决", D="D类：留作参考")[answer.category]}<'
        in body
    )


def test_every_public_page_links_to_the_suggestion_board(client, world):
    for url in ("/report/", "/track/", "/find/", "/stations/", "/events/", "/consultations/"):
        body = client.get(url).content.decode()
        assert 'id="link-suggestion-board" href="/public/suggestions/"' in body or (
            'href="/public/suggestions/" id="link-suggestion-board"' in body
        ), url


def test_foreign_users_cannot_post_actions(client, world):
    s = suggestion_at(world, "reviewing")
    for persona in ("outsider", "lead_unit", "auditor"):
        response = login(client, getattr(world, persona)).post(
            reverse("suggestions:act", args=[s.pk, "accept"]), {"message": "通过"}
        )
        assert response.status_code == 404
    assert Suggestion.objects.get(pk=s.pk).review_stage == 0


def test_metrics_and_bulletin_query_counts_stay_flat(client, world, django_assert_max_num_queries):
    login(client, world.office)
    suggestion_at(world, "closed")
    for url in (
        reverse("suggestions:metrics") + "?group=unit",
        reverse("suggestions:metrics") + "?group=period",
        reverse("suggestions:bulletin"),
    ):
        with django_assert_max_num_queries(10):
            client.get(url)
    for i in range(4):
        suggestion_at(world, "answered", title=f"关于第{i}件事的建议")
    for group in ("unit", "deputy", "category", "period"):
        with django_assert_max_num_queries(10):
            response = client.get(reverse("suggestions:metrics") + f"?group={group}")
        assert sum(r.assigned for r in response.context["rows"]) == 5, group
    with django_assert_max_num_queries(10):
        response = client.get(reverse("suggestions:bulletin"))
    assert [(r["unit"], r["assigned"], r["answered"]) for r in response.context["rows"]] == [
        ("区住建局", 5, 5),
        ("区教育局", 5, 0),
    ]


# --- filters of the list (the suggestions behind a cockpit figure) -------------------------------------------------


def test_list_filters_narrow_the_tabs_and_are_kept_by_tabs_search_and_pages(client, world, settings):
    settings.SUGGESTION_PAGE_SIZE = 1
    closed = suggestion_at(world, "closed")
    suggestion_at(world, "assigned", title="关于春晖路口增设红绿灯的建议")
    suggestion_at(world, "reviewing", title="关于社区食堂延长营业时间的建议")
    login(client, world.office)
    today = timezone.localtime(closed.submitted_at).date().isoformat()
    query = f"division={world.d.street.pk}&submitted_from={today}&submitted_to={today}&assigned=1"
    response = client.get(reverse("suggestions:list") + f"?tab=all&{query}")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert counts["all"] == 2 and counts["review"] == 0
    body = response.content.decode()
    assert f"?tab=review&amp;{query.replace('&', '&amp;')}" in body
    assert 'name="assigned" value="1"' in body and "已交办" in body
    assert f"{query.replace('&', '&amp;')}&page=2" in body
    answered = client.get(reverse("suggestions:list") + f"?tab=all&{query}&outcome=answered")
    assert [s.pk for s in answered.context["page"]] == [closed.pk]
    searched = client.get(reverse("suggestions:list") + f"?tab=all&{query}&q=红绿灯")
    assert searched.context["page"].paginator.count == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("division=abc", "找不到该区划"),
        ("division=99999999", "找不到该区划"),
        ("division=" + "9" * 40, "找不到该区划"),
        ("submitted_from=2026-13-01", "日期格式不正确"),
        ("submitted_from=2026-03-01&submitted_to=2026-01-01", "开始日期不能晚于结束日期"),
        ("outcome=everything", "没有这个办理结果条件"),
    ],
)
def test_bad_list_filters_are_left_out_with_a_message(client, world, params, message):
    suggestion_at(world, "assigned")
    login(client, world.office)
    response = client.get(reverse("suggestions:list") + f"?tab=all&{params}")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.context["page"].paginator.count == 1  # the bad filter is left out, the rest stays


def test_list_filters_are_for_the_office_and_leaders_only(client, world):
    s = suggestion_at(world, "assigned")
    login(client, world.lead_unit)
    response = client.get(reverse("suggestions:list") + "?tab=unit_all&outcome=answered&division=abc")
    assert response.status_code == 200 and [r.pk for r in response.context["page"]] == [s.pk]
    login(client, world.leader)
    assert client.get(reverse("suggestions:list") + "?tab=all&outcome=answered").context["page"].paginator.count == 0


def test_filtered_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    query = f"?tab=all&division={world.d.street.pk}&assigned=1&outcome=answered&submitted_from=2000-01-01"
    suggestion_at(world, "answered")
    login(client, world.office)
    with django_assert_max_num_queries(17):
        first = client.get(reverse("suggestions:list") + query)
    for i in range(4):
        suggestion_at(world, "answered", title=f"关于第{i}条道路照明的建议")
    with django_assert_max_num_queries(17):
        response = client.get(reverse("suggestions:list") + query)
    assert first.context["page"].paginator.count == 1 and response.context["page"].paginator.count == 5

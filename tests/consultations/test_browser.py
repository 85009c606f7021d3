"""A citizen reads a draft article by article on a phone and comments on one; it shows after moderation."""

import pytest

from lianxin.consultations import services
from lianxin.consultations.models import Comment
from tests.consultations.conftest import make_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_comment_on_an_article_on_a_phone(district, live_server, phone):
    consultation = make_consultation(district)
    second = consultation.articles.get(number=2)
    page = phone
    page.goto(f"{live_server.url}/consultations/")
    page.click(f"text={consultation.title}")
    section = page.locator(f"#article-{second.pk}")
    section.wait_for()
    assert "业主大会应当每年至少召开一次。" in section.inner_text()

    section.locator("summary").click()
    section.locator("textarea").fill("建议改为每半年至少召开一次。")
    section.locator("input[name$='-name']").fill("孙八")
    section.locator("input[type=checkbox]").check()
    section.locator("button:text-is('提交意见')").click()
    page.wait_for_selector("text=感谢您的意见！审核通过后将在本页公开。")
    made = Comment.objects.get()
    assert (made.article, made.status) == (second, "pending")
    assert "建议改为每半年" not in page.inner_text(f"#article-{second.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    services.comment_moderate(actor=district.station_staff, comment_id=made.pk, decision="approve")
    page.reload()
    text = page.inner_text(f"#article-{second.pk} .comments")
    assert "建议改为每半年至少召开一次。" in text and "孙*" in text and "孙八" not in text

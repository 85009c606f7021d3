"""The text functions of the topics app on real data: duplicates, hot-issue groups and labels, reply checks."""

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lianxin.topics import duplicates, hot, replies

DATA = Path(__file__).parent / "data"


def test_similar_pairs_find_the_same_matter_and_not_a_different_one():
    documents = [
        duplicates.document("春晖小区3栋门口路灯不亮", "路灯坏了两周，晚上出行不便。"),
        duplicates.document("春晖小区路灯坏了", "3栋门口的路灯已经坏了两个星期，晚上走路看不见。"),
        duplicates.document("西山村小学门口需要红绿灯", "学生上学过马路很危险，请安装信号灯。"),
    ]
    pairs = duplicates.similar_pairs(documents, threshold=0.3)
    assert [(p.left, p.right) for p in pairs] == [(0, 1)]
    assert duplicates.most_similar(documents[0], documents[1:], threshold=0.3, limit=5)[0][0] == 0


def test_judged_sample_has_at_least_100_pairs_and_high_precision():
    with (DATA / "duplicate_pairs_judged.csv").open(encoding="utf-8") as handle:
        marks = [row["same"] for row in csv.DictReader(handle)]
    assert len(marks) >= 100
    assert set(marks) <= {"0", "1"}
    assert marks.count("1") / len(marks) >= 0.9


def test_hot_issues_group_by_text_label_place_and_what_and_rank_by_heat():
    now = timezone.now()
    matters = [
        hot.Matter(i, "大桥镇稻田干旱缺水", "大桥镇的稻田干旱缺水，水渠没有水，请帮忙抽水灌溉。", now, f"u{i}", 0)
        for i in range(4)
    ] + [
        hot.Matter(10 + i, "东湖街道垃圾清运不及时", "东湖街道小区垃圾堆了三天没有清运，气味难闻。", now, f"v{i}", 0)
        for i in range(2)
    ]
    groups = hot.hot_issues(matters, now=now, half_life_days=7, similarity=0.2)
    assert [len(g.members) for g in groups] == [4, 2]
    top = groups[0]
    assert top.place == "大桥镇"
    assert "干旱" in top.what and "缺水" in top.what
    assert top.label == f"大桥镇 · {top.what}"
    assert top.heat == pytest.approx(4.0)


def test_heat_formula_counts_citizens_supporters_and_recency():
    assert hot.heat(3, 16, 0, 7) == pytest.approx(7.0)
    assert hot.heat(3, 16, 7, 7) == pytest.approx(3.5)
    assert hot.heat(1, 0, 14, 7) == pytest.approx(0.25)


def test_one_citizen_writing_many_times_is_no_hot_issue():
    now = timezone.now()
    matters = [hot.Matter(i, "路灯不亮", "春晖小区路灯不亮", now, "same-user") for i in range(5)]
    assert hot.hot_issues(matters, now=now, half_life_days=7, similarity=0.2) == []


def test_hot_issues_command_on_teddy_cup_sample():
    out = StringIO()
    call_command("hot_issues", csv=str(DATA / "attachment3_sample.csv"), top=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("80 messages")
    assert "1. " in lines[1] and "丽发新城" in lines[1] and "搅拌" in lines[1]
    assert any(line.startswith("2. ") and "伊景园滨河苑" in line for line in lines)


def test_hot_issues_command_refuses_a_csv_without_the_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="留言主题"):
        call_command("hot_issues", csv=str(path))
    with pytest.raises(CommandError):
        call_command("hot_issues", csv=str(tmp_path / "missing.csv"))


def test_reply_checks_flag_boilerplate_deflection_unrelated_and_late():
    title = "春晖小区路灯不亮"
    good = "经核实，春晖小区3栋门口路灯线路老化，我局已于5月3日安排维修人员更换线路和灯泡，目前路灯已恢复正常照明，后续将定期巡查。"
    assert replies.check(title=title, reply=good) == []
    assert replies.check(title=title, reply="网友您好！您的留言已收悉。感谢您对我们工作的支持！2019年5月3日") == [
        "boilerplate"
    ]
    assert "deflects" in replies.check(
        title=title, reply="您好，由于您未提供联系方式，我们无法核实情况，请您拨打12345热线电话咨询反映相关情况。"
    )
    assert "unrelated" in replies.check(
        title=title, reply="关于学校招生的问题，今年秋季学期招生计划已经公布在教育局网站上，请家长按时报名参加。"
    )
    asked = timezone.now() - dt.timedelta(days=40)
    assert replies.check(title=title, reply=good, asked_at=asked, replied_at=timezone.now()) == ["late"]
    due = timezone.now() - dt.timedelta(days=1)
    assert replies.check(title=title, reply=good, replied_at=timezone.now(), due_at=due) == ["late"]


def test_reply_checks_on_labelled_teddy_cup_replies():
    with (DATA / "replies_sample.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    flagged = {
        row["留言编号"]
        for row in rows
        if set(replies.check(title=row["留言主题"], details=row["留言详情"], reply=row["答复意见"]))
        & replies.CONTENT_REASONS
    }
    weak = {row["留言编号"] for row in rows if row["explainable"] == "0"}
    assert len(flagged & weak) / len(weak) >= 0.8
    assert len(flagged & weak) / len(flagged) >= 0.6

"""The one validation module: each parser's rule and its message, in Chinese and in English."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from lianxin import validation as v
from lianxin.errors import InvalidInput


def problem(call, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        call(**kwargs)
    return caught.value


def test_text_is_stripped_of_whitespace_and_invisible_characters():
    assert v.text("\u200b  标题 \ufeff\u2060", field="title", label="标题", max_length=10) == "标题"


@pytest.mark.parametrize("value", ["", "   ", "\u200b\u200c\u200d", "\u2060\ufeff \u3000", "\u00ad\u180e"])
def test_blank_after_stripping_is_empty(value):
    error = problem(v.text, value=value, field="title", label="标题", max_length=10, required=True)
    assert error.fields == {"title": ["请填写标题。"]}
    assert v.text(value, field="title", label="标题", max_length=10) == ""


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ud800"])
@pytest.mark.parametrize("multiline", [False, True])
def test_control_characters_are_refused_naming_the_field(char, multiline):
    error = problem(v.text, value=f"a{char}b", field="details", label="内容", max_length=50, multiline=multiline)
    assert error.status == 422
    assert error.fields == {"details": ["内容含有不允许的控制字符。"]}


@pytest.mark.parametrize("char", ["\n", "\r", "\t", "\u2028"])
def test_one_line_text_refuses_line_breaks_and_tabs(char):
    error = problem(v.text, value=f"a{char}b", field="title", label="标题", max_length=50)
    assert error.fields["title"][0] in {"标题只能填写一行。", "标题含有不允许的控制字符。"}


def test_multi_line_text_keeps_newlines_and_tabs_and_normalises_line_ends():
    value = v.text(" 一\r\n二\r三\t四\n", field="details", label="内容", max_length=50, multiline=True)
    assert value == "一\n二\n三\t四"


def test_too_long_text_names_the_limit_in_the_callers_language():
    with translation.override("en"):
        error = problem(v.text, value="长" * 11, field="title", label="Title", max_length=10)
    assert error.fields == {"title": ["Title cannot be longer than 10 characters."]}
    assert problem(v.text, value=5, field="title", label="标题", max_length=10).message == "标题须为文字。"


def test_errors_are_collected_and_raised_once():
    errors = v.Errors()
    assert v.text("", field="title", label="标题", max_length=5, required=True, errors=errors) == ""
    assert v.integer("x", field="capacity", label="名额", errors=errors) is None
    with pytest.raises(InvalidInput) as caught:
        errors.check()
    assert caught.value.message == "请填写标题。"
    assert caught.value.fields == {"title": ["请填写标题。"], "capacity": ["名额须为整数。"]}
    v.Errors().check()  # nothing to say: no error


def test_integer_and_decimal_bounds():
    assert v.integer(" 12 ", field="n", label="名额", minimum=1, maximum=20) == 12
    assert problem(v.integer, value=True, field="n", label="名额").fields == {"n": ["名额须为整数。"]}
    assert problem(v.integer, value="٣", field="n", label="名额").fields == {"n": ["名额须为整数。"]}
    assert problem(v.integer, value="21", field="n", label="名额", minimum=1, maximum=20).message == (
        "名额须在 1 到 20 之间。"
    )
    assert v.decimal("2.5", field="w", label="权重", minimum=0, maximum=10, places=1) == Decimal("2.5")
    assert problem(v.decimal, value="NaN", field="w", label="权重").message == "权重须为数字。"
    assert problem(v.decimal, value="1.25", field="w", label="权重", places=1).message == "权重最多 1 位小数。"
    assert problem(v.decimal, value="-1", field="w", label="权重", minimum=0).message == "权重不能小于 0。"


def test_ids_choices_and_booleans():
    assert v.id_list("3，1,3", field="ids", label="代表") == [3, 1]
    assert problem(v.id_list, value=["1", "x"], field="ids", label="代表").message == "请选择有效的代表。"
    assert problem(v.id_list, value=list(range(1, 300)), field="ids", label="代表").message == "代表太多。"
    assert v.object_id("7", field="unit", label="承办单位") == 7
    assert problem(v.object_id, value="0", field="unit", label="承办单位").message == "请选择有效的承办单位。"
    assert v.choice("a", field="kind", label="类型", choices={"a", "b"}) == "a"
    assert problem(v.choice, value="c", field="kind", label="类型", choices={"a", "b"}).message == "类型无效。"
    assert v.boolean("on", field="x", label="公开") is True
    assert problem(v.boolean, value="maybe", field="x", label="公开").message == "公开须为是或否。"


def test_dates_times_and_moments():
    assert v.date("2026-05-20", field="day", label="日期") == dt.date(2026, 5, 20)
    assert problem(v.date, value="2026-5-2", field="day", label="日期").message == "日期格式不正确（应为 年-月-日）。"
    later = dt.date(2026, 5, 21)
    assert problem(v.date, value=later, field="day", label="日期", not_after=dt.date(2026, 5, 20)).message == (
        "日期不能晚于今天。"
    )
    assert v.date("", field="day", label="日期", required=False) is None
    assert v.time("09:30:15", field="t", label="开始时间") == dt.time(9, 30)
    assert problem(v.time, value="25:00", field="t", label="开始时间").message == "开始时间格式不正确（应为 时:分）。"
    moment = v.datetime("2026-05-20T09:30", field="at", label="开始时间")
    assert moment.tzinfo is not None
    assert problem(v.datetime, value="soon", field="at", label="开始时间").fields == {
        "at": ["开始时间格式不正确（应为 年-月-日 时:分）。"]
    }


def test_phone_numbers():
    assert v.phone(" 138 0013 8000 ", field="phone", label="手机号码") == "13800138000"
    assert v.phone("+86 13800138000", field="phone", label="手机号码") == "13800138000"
    assert (
        problem(v.phone, value="12345", field="phone", label="手机号码").message == "请填写正确的手机号码或固定电话。"
    )
    assert problem(v.phone, value="1380013800\x00", field="phone", label="手机号码").fields == {
        "phone": ["请填写正确的手机号码或固定电话。"]
    }
    assert problem(v.phone, value="", field="phone", label="手机号码").message == "请填写手机号码。"
    assert v.phone("", field="phone", label="手机号码", required=False) == ""

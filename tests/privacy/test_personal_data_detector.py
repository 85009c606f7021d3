"""The one detector of personal data typed into free text (lianxin.privacy.find_personal_data)."""

import pytest

from lianxin.privacy import find_personal_data, id_card_checksum_ok, luhn_ok, mask_personal_data

# 11010519491231002X is the standard's own example; 6222021234567890128 passes the Luhn check.
FOUND = [
    ("我的电话13812345678，请联系", "我的电话138****5678，请联系", "mobile"),
    ("电话：+86 138 1234 5678", "电话：138****5678", "mobile"),
    ("手机138-1234-5678晚上打", "手机138****5678晚上打", "mobile"),
    ("座机0571-88886666", "座机057****6666", "landline"),
    ("（010）12345678找李工", "010****5678找李工", "landline"),
    ("身份证号11010519491231002X，", "身份证号110105********002X，", "id_card"),
    ("身份证11010519491231002x补办", "身份证110105********002X补办", "id_card"),
    ("卡号6222021234567890128（工行）", "卡号6222 **** **** 0128（工行）", "bank_card"),
    ("卡号 6222 0212 3456 7890 128", "卡号 6222 **** **** 0128", "bank_card"),
    ("邮箱zhang.san@example.com谢谢", "邮箱z***@example.com谢谢", "email"),
]

NOT_FOUND = [
    "查询码 AB12CD34 的进度",
    "2026-12-03 至 2026年12月31日",
    "20261203 交办，金额 120000 元，面积 3500 平方米",
    "民意件编号 12345，第 3 栋 1201 室",
    "11010519491231002Y",  # ID number with a wrong check character
    "6222021234567890129",  # a 19-digit number that fails the Luhn check
    "订单号 20261203123456789",
    "编号 X13812345678Y",  # inside a code
    "12812345678",  # not a mobile prefix
    "版本 v1.2.3，邮件地址不完整 zhang@",
]


@pytest.mark.parametrize(("text", "masked", "kind"), FOUND)
def test_personal_data_in_chinese_text_is_found_and_masked(text, masked, kind):
    assert mask_personal_data(text) == masked
    assert [found[2] for found in find_personal_data(text)] == [kind]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_codes_dates_amounts_and_wrong_checksums_are_left_alone(text):
    assert find_personal_data(text) == []
    assert mask_personal_data(text) == text


def test_several_kinds_in_one_text_are_all_masked():
    text = "联系人张三13812345678，邮箱a@b.cn，身份证11010519491231002X。"
    assert mask_personal_data(text) == "联系人张三138****5678，邮箱a***@b.cn，身份证110105********002X。"


def test_checksums():
    assert id_card_checksum_ok("11010519491231002X")
    assert not id_card_checksum_ok("110105194912310021")
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


def test_empty_text():
    assert mask_personal_data("") == ""
    assert find_personal_data(None) == []

"""The registry workbook's accounts sheet: accounts in bulk, all or nothing, each bad row named with its column."""

import pytest
from django.utils import translation

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput
from lianxin.organisation.registry_import import read_workbook, registry_import
from lianxin.organisation.registry_sheets import registry_template
from tests.factories import make_user
from tests.organisation.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db

ACCOUNTS = ["用户名", "姓名", "角色", "联络站编码", "承办单位编码", "代表编码", "电子邮箱", "手机号"]


def run(sheets, actor):
    return registry_import(actor=actor, tables=read_workbook(workbook_bytes(sheets)))


def good_accounts():
    return [
        ACCOUNTS,
        ["zhou", "周联络员", "联络站工作人员", "donghu", "", "", "zhou@example.cn", ""],
        ["wu", "吴经办", "承办单位", "", "zjj", "", "", "13900139000"],
        ["li-d", "李代表", "代表", "", "", "d-li", "", ""],
    ]


def test_accounts_are_created_without_passwords(district):
    result = run({"accounts": good_accounts()}, district.office)
    assert result.counts["accounts"] == {"created": 3, "updated": 0, "unchanged": 0}
    zhou, wu = User.objects.get(username="zhou"), User.objects.get(username="wu")
    assert not zhou.has_usable_password() and zhou.email == "zhou@example.cn"
    assert Membership.objects.filter(user=zhou, role=Role.STATION, station=district.station).exists()
    assert Membership.objects.filter(user=wu, role=Role.UNIT, unit=district.unit).exists() and wu.phone_enc
    district.other_deputy.refresh_from_db()
    assert district.other_deputy.user.username == "li-d"
    assert AuditEntry.objects.filter(action="account.created", data__via="import").count() == 3
    # the same file again changes nothing
    again = run({"accounts": good_accounts()}, district.office)
    assert again.counts["accounts"] == {"created": 0, "updated": 0, "unchanged": 3}


def test_accounts_may_name_a_station_of_the_same_workbook(district):
    sheets = {
        "stations": [
            ["编码", "名称", "所属区划"],
            ["chunhui", "春晖社区联络室", "示范区/东湖街道/春晖社区"],
        ],
        "accounts": [ACCOUNTS, ["chen", "", "联络员", "chunhui", "", "", "", ""]],
    }
    run(sheets, district.office)
    assert Membership.objects.get(user__username="chen").station.code == "chunhui"


def test_any_bad_row_imports_nothing_and_names_row_and_column(district):
    sheets = {"accounts": good_accounts()}
    sheets["accounts"] += [
        ["leader", "", "联络站工作人员", "donghu", "", "", "", ""],  # row 5: user name taken
        ["zhou", "", "承办单位", "", "zjj", "", "", ""],  # row 6: repeats row 2
        ["kong", "", "门卫", "", "", "", "", ""],  # row 7: unknown role
        ["qian", "", "联络站工作人员", "nowhere", "", "", "", ""],  # row 8: unknown station
        ["sun", "", "承办单位", "", "zjj", "", "bad-mail", "12"],  # row 9: e-mail and phone
        ["he", "", "代表", "", "", "d-wang", "", ""],  # row 10: the deputy has an account
    ]
    before = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    rows = caught.value.fields["rows"]
    text = "\n".join(rows)
    assert "【账号】第 5 行「用户名」：用户名“leader”已被使用。" in text
    assert "【账号】第 6 行「用户名」：与第 2 行的用户名重复" in text
    assert "【账号】第 7 行「角色」：无效的取值「门卫」" in text
    assert "【账号】第 8 行「联络站编码」：找不到本辖区编码为 nowhere 的记录" in text
    assert "【账号】第 9 行「电子邮箱」" in text and "【账号】第 9 行「手机号」" in text
    assert "【账号】第 10 行「代表编码」" in text
    assert caught.value.message.startswith("导入失败：发现 7 处错误")
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action__in=["account.created", "registry.imported"]).exists()


def test_an_error_in_another_sheet_keeps_the_accounts_out_too(district):
    sheets = {"units": [["编码", "名称", "管辖区划"], ["bad", "", "330100"]], "accounts": good_accounts()}
    with pytest.raises(InvalidInput):
        run(sheets, district.office)
    assert not User.objects.filter(username="zhou").exists()


def test_the_errors_are_in_the_users_language(district):
    sheets = {"accounts": [ACCOUNTS, ["qian", "", "station", "nowhere", "", "", "", ""]]}
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        run(sheets, district.office)
    line = caught.value.fields["rows"][0]
    assert "Row 2" in line and "nowhere" in line and "找不到" not in line


def test_outside_the_division_and_non_office_are_refused(district):
    street_office = make_user("street-office", Role.OFFICE, division=district.street)
    sheets = {"accounts": [ACCOUNTS, ["ma", "", "联络站工作人员", "xishan", "", "", "", ""]]}
    with pytest.raises(InvalidInput) as caught:
        run(sheets, street_office)
    assert "找不到本辖区编码为 xishan 的记录" in "\n".join(caught.value.fields["rows"])
    superuser = make_user("root")
    superuser.is_superuser = True
    superuser.save()
    with pytest.raises(InvalidInput) as caught:
        run({"accounts": good_accounts()}, superuser)
    assert "只有人大办账号可以导入账号" in "\n".join(caught.value.fields["rows"])
    assert not User.objects.filter(username__in=["ma", "zhou"]).exists()


def test_the_template_has_the_accounts_sheet(district):
    tables = read_workbook(registry_template())
    assert tables["accounts"][0][1]["username"] == "zhang-san"
    assert tables["accounts"][0][1]["role"] == "联络站工作人员"

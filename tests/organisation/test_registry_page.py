"""The office's registry page: counts, template, import results and errors; 404 for everyone else."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.accounts.enums import Role
from lianxin.organisation.models import Category, Division, RegistryImportDraft, RoutingRuleSet, Station
from lianxin.organisation.routing import ruleset_create_version
from lianxin.workdays.models import CalendarYear
from tests.factories import make_user
from tests.organisation.workbooks import good_sheets, workbook_bytes

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes, name="registry.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.mark.parametrize("persona", ["station_staff", "deputy_user", "unit_user", "auditor", "outsider", "leader"])
def test_registry_is_404_for_everyone_but_the_office(client, district, persona):
    client.force_login(district.persona(persona))
    assert client.get(reverse("organisation:registry")).status_code == 404
    assert client.get(reverse("organisation:registry_template")).status_code == 404
    before = Division.objects.count()
    response = client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(good_sheets()))})
    assert response.status_code == 404
    assert Division.objects.count() == before
    assert client.post(reverse("organisation:calendar_import"), {"file": upload(b"", "c.csv")}).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, district):
    response = client.get(reverse("organisation:registry"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_office_sees_counts_versions_and_links(client, district, django_assert_max_num_queries):
    client.force_login(district.office)
    page = client.get(reverse("organisation:registry")).content.decode()
    assert "还没有派单规则" in page
    urban = Category.objects.get(name="城乡建设", level=1)
    for unit in (district.unit, district.other_unit, district.unit):
        ruleset_create_version(actor=district.office, note=f"改为{unit.name}", rules=[(urban, district.district, unit)])
    with django_assert_max_num_queries(17):  # constant: no query per version or per kind
        response = client.get(reverse("organisation:registry"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "下载模板" in page
    assert page.count("改为") == 3
    assert "进入管理后台需要管理员" in page  # no staff flag yet: no admin links
    district.office.is_staff = True
    district.office.save()
    page = client.get(reverse("organisation:registry")).content.decode()
    assert reverse("admin:organisation_division_changelist") in page


def test_the_template_download_is_a_workbook_with_every_sheet(client, district):
    client.force_login(district.office)
    response = client.get(reverse("organisation:registry_template"))
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["说明", "divisions", "stations", "units", "deputies", "routing", "accounts"]
    assert [c.value for c in workbook["units"][1]] == ["编码", "名称", "层级", "管辖区划", "启用"]
    assert workbook["units"].max_row == 2


def test_upload_shows_a_preview_and_writes_only_after_confirmation(client, district):
    client.force_login(district.office)
    before = Division.objects.count()
    response = client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(good_sheets()))})
    page = response.content.decode()
    assert response.status_code == 200
    assert "导入预览" in page and "尚未写入任何数据" in page
    assert "beimen（北门街道代表联络站）" in page  # entity, then field, old → new
    assert "<td>地址</td><td>（空）</td><td>北门路1号</td>" in page
    assert (Division.objects.count(), Station.objects.filter(code="beimen").exists()) == (before, False)
    assert not RoutingRuleSet.objects.exists()
    draft = RegistryImportDraft.objects.get()

    response = client.post(
        reverse("organisation:registry"), {"step": "confirm", "token": draft.token, "digest": draft.digest}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "导入完成" in page
    assert "派单规则已生成新版本 v1 并生效" in page
    assert Station.objects.filter(code="beimen").exists()
    assert RoutingRuleSet.objects.get(active=True).version == 1
    assert not RegistryImportDraft.objects.exists()

    again = client.post(
        reverse("organisation:registry"), {"step": "confirm", "token": draft.token, "digest": draft.digest}
    )
    assert again.status_code == 422
    assert "这次预览已过期或已经导入" in again.content.decode()


def test_preview_of_an_unchanged_reimport_says_so(client, district):
    client.force_login(district.office)
    client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(good_sheets()))})
    draft = RegistryImportDraft.objects.get()
    client.post(reverse("organisation:registry"), {"step": "confirm", "token": draft.token, "digest": draft.digest})

    page = client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(good_sheets()))})
    page = page.content.decode()
    assert "【联络站】第 2 行 beimen（北门街道代表联络站）：无变化" in page
    assert "确认（没有变化）" in page


def test_cancel_discards_the_preview_and_writes_nothing(client, district):
    client.force_login(district.office)
    client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(good_sheets()))})
    draft = RegistryImportDraft.objects.get()
    response = client.post(reverse("organisation:registry"), {"step": "cancel", "token": draft.token})
    assert "已取消，未导入任何数据" in response.content.decode()
    assert not RegistryImportDraft.objects.exists()
    assert not Station.objects.filter(code="beimen").exists()


def test_a_confirmation_after_the_registry_changed_shows_a_new_preview(client, district):
    sheets = {
        "stations": [["编码", "名称", "所属区划", "地址"], ["donghu", "东湖街道代表联络站", "330101", "新地址1号"]]
    }
    client.force_login(district.office)
    client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(sheets))})
    draft = RegistryImportDraft.objects.get()
    Station.objects.filter(code="donghu").update(address="别人刚改的地址")  # someone edits in between

    response = client.post(
        reverse("organisation:registry"), {"step": "confirm", "token": draft.token, "digest": draft.digest}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "预览之后登记数据已有变化" in page
    assert "<td>别人刚改的地址</td><td>新地址1号</td>" in page  # the new preview, with the new old value
    assert Station.objects.get(code="donghu").address == "别人刚改的地址"


def test_another_users_draft_cannot_be_confirmed(client, district):
    client.force_login(district.office)
    client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(good_sheets()))})
    draft = RegistryImportDraft.objects.get()
    other = make_user("office-2", Role.OFFICE, division=district.district)
    client.force_login(other)
    response = client.post(
        reverse("organisation:registry"), {"step": "confirm", "token": draft.token, "digest": draft.digest}
    )
    assert response.status_code in (404, 422)
    assert not Station.objects.filter(code="beimen").exists()


def test_upload_with_errors_lists_them_and_imports_nothing(client, district):
    sheets = good_sheets()
    sheets["divisions"][2][2] = "330199"
    client.force_login(district.office)
    before = Division.objects.count()
    response = client.post(reverse("organisation:registry"), {"files": upload(workbook_bytes(sheets))})
    page = response.content.decode()
    assert response.status_code == 422
    assert "【区划】第 3 行「上级代码」：找不到 330199" in page
    assert "未导入任何数据" in page
    assert Division.objects.count() == before


def test_a_text_file_named_xlsx_and_no_file_get_clear_errors(client, district):
    client.force_login(district.office)
    response = client.post(reverse("organisation:registry"), {"files": upload("名称,层级\n示范区,区\n".encode())})
    assert response.status_code == 422
    assert "不是有效的 Excel 工作簿" in response.content.decode()
    response = client.post(reverse("organisation:registry"), {})
    assert response.status_code == 422
    assert "请选择要导入的文件" in response.content.decode()


def test_missing_calendar_years_show_a_warning(client, district):
    client.force_login(district.office)
    year = timezone.localdate().year
    CalendarYear.objects.filter(year__gte=year).delete()
    page = client.get(reverse("organisation:registry")).content.decode()
    assert f"{year} 年节假日尚未录入，期限暂按周末计算" in page

    CalendarYear.objects.create(year=year, source="test")
    CalendarYear.objects.create(year=year + 1, source="test")
    from lianxin.workdays.services import calendar_clear_cache

    calendar_clear_cache()
    page = client.get(reverse("organisation:registry")).content.decode()
    assert "尚未录入" not in page

"""Build registry workbooks in memory with openpyxl, the way an office would fill the template."""

from __future__ import annotations

import io

from openpyxl import Workbook

DIVISIONS = ["名称", "层级", "上级代码", "上级名称路径", "区划代码", "网格员", "网格范围GeoJSON", "纬度", "经度"]
STATIONS = [
    "编码",
    "名称",
    "类型",
    "所属区划",
    "地址",
    "纬度",
    "经度",
    "开放时间",
    "接待日规则",
    "每周接待日",
    "每月接待日",
]
UNITS = ["编码", "名称", "层级", "管辖区划", "启用"]
DEPUTIES = ["编码", "姓名", "代表层级", "选区", "界别/行业", "简介", "公开", "联络站编码", "网格代码"]
ROUTING = ["分类路径", "区划", "承办单位编码"]

SQUARE = (
    '{"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.3], [120.1, 30.2]]]}'
)


def good_sheets() -> dict[str, list[list]]:
    """A new district with two streets, a community, a grid, a station, two units, a deputy and two rules."""
    return {
        "divisions": [
            DIVISIONS,
            ["新城区", "区", "", "", "330200", "", "", "", ""],
            ["北门街道", "街道", "330200", "", "330201", "", "", 30.1, 120.1],
            ["南门街道", "街道", "", "新城区", "330202", "", "", "", ""],
            ["北门社区", "社区", "330201", "", "", "", "", "", ""],
            ["北门一网格", "网格", "", "新城区/北门街道/北门社区", "G2001", "赵网格员", SQUARE, "", ""],
        ],
        "stations": [
            STATIONS,
            ["beimen", "北门街道代表联络站", "联络站", "330201", "北门路1号", "", "", "周一至周五", "每月", "", 20],
        ],
        "units": [
            UNITS,
            ["xc-zjj", "新城区住建局", "区级", "330200", "是"],
            ["xc-bm", "北门街道办事处", "街道", "330201", "是"],
        ],
        "deputies": [
            DEPUTIES,
            ["d-zhao", "赵代表", "区,市", "北门选区", "教育", "从事教育工作二十年。", "是", "beimen", "G2001"],
        ],
        "routing": [
            ROUTING,
            ["城乡建设", "330200", "xc-zjj"],
            ["城乡建设/城市建设和市政管理", "330201", "xc-bm"],
        ],
    }


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

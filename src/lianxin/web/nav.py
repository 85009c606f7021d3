"""The work-screen navigation: (url name, label, roles that see it). Entries whose URL does not exist yet
are skipped, so an area appears in the menu as soon as its app defines the URL."""

from django.utils.translation import pgettext_lazy

# roles: the Role values that see the entry; "superuser" for superusers; "top_office" for an office over the
# whole platform (accounts.selectors.holds_top_office, the rule the platform-wide screens' views apply: a
# street office would get a 404 there, so it is not shown the entry).
# Labels in the "menu" context: the English menu is shorter than the same words elsewhere, so the office's
# fifteen entries fit one line at 1440 px (tests/i18n/test_browser.py).
NAV = [
    ("cases:queue", pgettext_lazy("menu", "民意件"), {"office", "station", "deputy", "unit", "leader"}),
    ("cases:walk_in", pgettext_lazy("menu", "来访登记"), {"office", "station"}),
    ("cases:visit", pgettext_lazy("menu", "走访记录"), {"deputy"}),
    ("suggestions:list", pgettext_lazy("menu", "代表建议"), {"office", "deputy", "unit", "leader"}),
    ("duty:roster", pgettext_lazy("menu", "值班接待"), {"office", "station", "deputy"}),
    ("events:manage", pgettext_lazy("menu", "活动"), {"office", "station"}),
    ("consultations:manage", pgettext_lazy("menu", "意见征求"), {"office", "station"}),
    ("voters:contacts", pgettext_lazy("menu", "联系选民"), {"office", "deputy"}),
    ("finder:manage", pgettext_lazy("menu", "网格与找代表"), {"office", "station"}),
    ("cockpit:overview", pgettext_lazy("menu", "驾驶舱"), {"office", "leader", "station"}),
    ("points:points", pgettext_lazy("menu", "履职积分"), {"office", "deputy", "leader"}),
    ("appraisal:appraisal", pgettext_lazy("menu", "部门评议"), {"office", "leader"}),
    ("topics:monthly", pgettext_lazy("menu", "每月一题"), {"office", "leader"}),
    ("organisation:registry", pgettext_lazy("menu", "组织机构"), {"office", "superuser"}),
    ("people:list", pgettext_lazy("menu", "账号管理"), {"office"}),
    ("accounts:otp_policy", pgettext_lazy("menu", "两步验证"), {"top_office"}),
    ("notifications:outbox", pgettext_lazy("menu", "通知记录"), {"top_office"}),
    ("triage:overview", pgettext_lazy("menu", "智能分类"), {"top_office"}),
    ("web:audit_log", pgettext_lazy("menu", "审计日志"), {"auditor", "superuser"}),
]

"""The work-screen navigation: (url name, label, roles that see it). Entries whose URL does not exist yet
are skipped, so an area appears in the menu as soon as its app defines the URL."""

from django.utils.translation import gettext_lazy as _

# roles: the Role values that see the entry; "superuser" for superusers.
NAV = [
    ("cases:queue", _("民意件"), {"office", "station", "deputy", "unit", "leader"}),
    ("cases:walk_in", _("来访登记"), {"office", "station"}),
    ("cases:visit", _("走访记录"), {"deputy"}),
    ("suggestions:list", _("代表建议"), {"office", "deputy", "unit", "leader"}),
    ("duty:roster", _("值班接待"), {"office", "station", "deputy"}),
    ("events:manage", _("活动"), {"office", "station"}),
    ("consultations:manage", _("意见征求"), {"office", "station"}),
    ("voters:contacts", _("联系选民"), {"office", "deputy"}),
    ("finder:manage", _("网格与找代表"), {"office", "station"}),
    ("cockpit:overview", _("驾驶舱"), {"office", "leader", "station"}),
    ("points:points", _("履职积分"), {"office", "deputy", "leader"}),
    ("appraisal:appraisal", _("部门评议"), {"office", "leader"}),
    ("topics:monthly", _("每月一题"), {"office", "leader"}),
    ("organisation:registry", _("组织机构"), {"office", "superuser"}),
    ("people:list", _("账号管理"), {"office"}),
    ("accounts:otp_policy", _("两步验证"), {"office"}),
    ("notifications:outbox", _("通知记录"), {"office"}),
    ("triage:overview", _("智能分类"), {"office"}),
    ("web:audit_log", _("审计日志"), {"auditor", "superuser"}),
]

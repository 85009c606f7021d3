from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "lianxin.workdays"
    verbose_name = "工作日历"

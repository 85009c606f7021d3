from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "lianxin.duty"
    verbose_name = "值班与接待"

from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "lianxin.finder"
    verbose_name = "找代表"

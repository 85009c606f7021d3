from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lianxin.web"
    verbose_name = "界面"

from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "lianxin.voters"
    verbose_name = "联系选民与述职"

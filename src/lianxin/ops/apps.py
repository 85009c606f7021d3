from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lianxin.ops"
    verbose_name = "运维"

    def ready(self):
        from lianxin.ops import checks  # noqa: F401, PLC0415 — registers the deploy checks with Django's framework

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lianxin.web"
    verbose_name = "界面"

    def ready(self) -> None:
        from lianxin.web import checks  # noqa: F401, PLC0415 — registers the deployment checks

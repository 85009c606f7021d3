from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianxin.accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from lianxin.accounts import signals  # noqa: F401, PLC0415 — receivers connect once the apps are loaded

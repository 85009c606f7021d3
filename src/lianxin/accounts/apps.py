from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianxin.accounts"
    verbose_name = "账户"

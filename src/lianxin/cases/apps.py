from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    verbose_name = "民意件"

from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "lianxin.organisation"
    verbose_name = "组织机构"

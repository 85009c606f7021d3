from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lianxin.audit"
    verbose_name = "审计日志"

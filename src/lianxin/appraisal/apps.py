from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "lianxin.appraisal"
    verbose_name = "部门工作评议"

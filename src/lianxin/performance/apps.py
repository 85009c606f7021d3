from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lianxin.performance"
    verbose_name = "履职积分与部门评议"

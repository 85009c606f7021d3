from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "lianxin.bench"
    verbose_name = "基准测试"

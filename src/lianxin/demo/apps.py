from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lianxin.demo"
    verbose_name = "演示数据"

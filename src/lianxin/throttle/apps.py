from django.apps import AppConfig


class ThrottleConfig(AppConfig):
    name = "lianxin.throttle"
    verbose_name = "防滥用"

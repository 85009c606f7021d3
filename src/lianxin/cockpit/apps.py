from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "lianxin.cockpit"
    verbose_name = "驾驶舱"

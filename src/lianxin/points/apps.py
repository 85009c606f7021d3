from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "lianxin.points"
    verbose_name = "代表履职积分"

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "lianxin.consultations"
    verbose_name = "意见征求"

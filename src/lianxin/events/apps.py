from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "lianxin.events"
    verbose_name = "活动"

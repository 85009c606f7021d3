from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lianxin.notifications"
    verbose_name = "通知"

from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "lianxin.topics"
    verbose_name = "议题"

    def ready(self) -> None:
        from lianxin.cases.support import register_reply_checker  # noqa: PLC0415 — registered when Django starts
        from lianxin.topics.services import check_case_reply  # noqa: PLC0415

        register_reply_checker(check_case_reply)

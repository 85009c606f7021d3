from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "lianxin.triage"
    verbose_name = "智能分类"

    def ready(self) -> None:
        # cases sits below triage: the dispatch form and the routing ask the suggested category through a hook.
        from lianxin.cases.services import register_category_guesser  # noqa: PLC0415 (apps are ready only here)
        from lianxin.triage.selectors import routing_category  # noqa: PLC0415 (models are loaded only here)

        register_category_guesser(routing_category)

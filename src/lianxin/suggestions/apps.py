from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "lianxin.suggestions"
    verbose_name = "代表建议"

    def ready(self):
        # A case's "convert" action drafts a suggestion: the case app (below this one) calls the service
        # registered here rather than importing the suggestions app.
        # The case screen links to the suggestion it was converted into, when the viewer may open it.
        from lianxin.cases.selectors import register_suggestion_linker  # noqa: PLC0415 — apps load before models
        from lianxin.cases.services import register_case_converter  # noqa: PLC0415 — same
        from lianxin.suggestions.drafting import suggestion_draft_from_case  # noqa: PLC0415 — same
        from lianxin.suggestions.selectors import case_suggestion_link  # noqa: PLC0415 — same

        register_case_converter(suggestion_draft_from_case)
        register_suggestion_linker(case_suggestion_link)

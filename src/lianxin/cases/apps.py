from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    verbose_name = "民意件"

    def ready(self):
        # The registry page (organisation, below this app) shows how often the routing rules' suggestion was taken,
        # per unit: cases registers the read rather than organisation importing it.
        from lianxin.cases.selectors import suggestion_uptake_by_unit  # noqa: PLC0415 — apps load before models
        from lianxin.organisation.routing import register_uptake_reader  # noqa: PLC0415 — same

        register_uptake_reader(suggestion_uptake_by_unit)

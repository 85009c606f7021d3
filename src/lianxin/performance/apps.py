from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    """Migrations only, for one release: the tables of deputies' points and the department appraisal were created
    by these migrations and now belong to the `points` and `appraisal` apps (0004_split moves them in Django's state,
    renames their content types and the points scan's schedule). Installations that applied 0004 may drop the app
    once the next release squashes this history away."""

    name = "lianxin.performance"
    verbose_name = "履职积分与部门评议（已拆分）"

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lianxin.accounts.selectors import top_office_required
from lianxin.api.urls import api
from lianxin.cases.views_files import deputy_photo
from lianxin.notifications import views as notification_views
from lianxin.web.jsi18n import javascript_catalogue

urlpatterns = [
    path("admin/", admin.site.urls),
    # No blanket media URL: case files go through views that check who asks (cases/views_files.py).
    path("media/deputies/<path:path>", deputy_photo, name="deputy_photo"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/<str:language>/", javascript_catalogue, name="javascript-catalog"),
    path("", include("lianxin.cases.urls")),
    path("", include("lianxin.organisation.urls")),
    path("", include("lianxin.web.urls")),
    path("", include("lianxin.ops.urls")),
    path("", include("lianxin.accounts.urls")),
    path("", include("lianxin.people.urls")),
    path("", include("lianxin.suggestions.urls")),
    path("", include("lianxin.triage.urls")),
    path("", include("lianxin.duty.urls")),
    path("", include("lianxin.events.urls")),
    path("", include("lianxin.consultations.urls")),
    path("", include("lianxin.voters.urls")),
    path("", include("lianxin.finder.urls")),
    path("", include("lianxin.cockpit.urls")),
    path("", include("lianxin.points.urls")),
    path("", include("lianxin.appraisal.urls")),
    path("", include("lianxin.demo.urls")),
    path("", include("lianxin.topics.urls")),
    # the outbox imports no app: its screen is mounted here behind the office check of accounts
    path(
        "",
        include(
            (
                [path("work/notifications/", top_office_required(notification_views.outbox), name="outbox")],
                "notifications",
            )
        ),
    ),
]

if settings.BENCH_ENDPOINTS:
    urlpatterns.insert(0, path("bench/", include("lianxin.bench.urls")))

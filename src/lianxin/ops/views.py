import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from lianxin.ops.metrics import exposition
from lianxin.ops.readiness import readiness
from lianxin.throttle.limits import client_address


@require_GET
def readyz(request):
    ready, checks = readiness()
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


def metrics_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


@require_GET
def metrics(request):
    """Prometheus' text format, for the configured addresses only; to anyone else the page does not exist."""
    if not metrics_allowed(client_address(request)):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)

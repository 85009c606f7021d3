"""Public pages (placeholders until the intake pages land)."""

from django.http import HttpResponse


def report(request):
    return HttpResponse("report")


def report_station(request, code):
    return HttpResponse("report")


def report_deputy(request, code):
    return HttpResponse("report")


def track_lookup(request):
    return HttpResponse("track")


def track(request, tracking_code):
    return HttpResponse("track")

"""Work screens (placeholders until the work screens land)."""

from django.http import HttpResponse


def queue(request):
    return HttpResponse("queue")


def detail(request, case_id):
    return HttpResponse("detail")


def walk_in(request):
    return HttpResponse("walk_in")


def visit(request):
    return HttpResponse("visit")

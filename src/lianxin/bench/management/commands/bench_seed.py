"""Seed the minimum `make bench-intake` needs: one district and one station with code `bench`."""

from django.core.management.base import BaseCommand
from django.db import transaction

from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Station
from lianxin.organisation.services import division_create

STATION_CODE = "bench"


class Command(BaseCommand):
    help = "为基准测试创建一个区和一个编码为 bench 的联络站（已存在则跳过）。"

    def handle(self, *args, **options):
        if Station.objects.filter(code=STATION_CODE).exists():
            self.stdout.write("bench station exists")
            return
        with transaction.atomic():
            district = division_create(name="基准测试区", kind=DivisionKind.DISTRICT, code="999999")
            Station.objects.create(code=STATION_CODE, name="基准测试联络站", division=district)
        self.stdout.write("bench station created")

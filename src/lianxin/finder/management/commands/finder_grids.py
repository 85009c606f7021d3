"""Import or export grid polygons as GeoJSON from the command line (the same service as the staff screen).

python manage.py finder_grids import grids.geojson --within 330402 --user office [--allow-gaps]
python manage.py finder_grids export --within 330402 > grids.geojson
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianxin.accounts.models import User
from lianxin.errors import DomainError
from lianxin.finder import services
from lianxin.finder.exports import grids_export
from lianxin.organisation.models import Division


class Command(BaseCommand):
    help = "导入或导出网格范围（GeoJSON）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", nargs="?", help="GeoJSON file to import")
        parser.add_argument("--within", required=True, help="division id or registry code (district or street)")
        parser.add_argument("--user", help="username of the office or station staff doing the import (audited)")
        parser.add_argument("--allow-gaps", action="store_true")

    def handle(self, *args, action, file, within, user, allow_gaps, **options):
        division = Division.objects.filter(code=within).first() if not within.isdigit() or len(within) >= 6 else None
        if division is None and within.isdigit():
            division = Division.objects.filter(pk=int(within)).first()
        if division is None:
            raise CommandError(f"no division {within}")
        if action == "export":
            self.stdout.write(json.dumps(grids_export(division), ensure_ascii=False, indent=1))
            return
        if not file or not user:
            raise CommandError("import needs a file and --user")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {user}")
        try:
            result = services.grids_import(
                actor=actor, within_id=division.pk, data=Path(file).read_bytes(), allow_gaps=allow_gaps
            )
        except DomainError as exc:
            lines = [exc.message, *(item for items in exc.fields.values() for item in items)]
            raise CommandError("\n".join(lines))
        self.stdout.write(f"新建 {result.created} 个网格，更新 {result.updated} 个。")
        for warning in result.warnings:
            self.stdout.write(f"提示：{warning}")

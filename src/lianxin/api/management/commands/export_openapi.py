"""Print the OpenAPI schema as stable JSON; `make schema` commits it as docs/openapi.json."""

import json

from django.core.management.base import BaseCommand

from lianxin.api.urls import api


class Command(BaseCommand):
    help = "Print the API's OpenAPI schema (sorted keys, two-space indent, UTF-8)."

    def handle(self, *args, **options):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        self.stdout.write(json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False))

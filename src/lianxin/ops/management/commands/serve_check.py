"""`manage.py serve_check`: Django's deployment checks with ours (lianxin/ops/checks.py); any error stops the
production server before it starts (make serve, deploy/lianxin-web.service), naming the variable to set."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError


class Command(BaseCommand):
    help = "Refuse to serve without the production settings (secret key, field key, site address, DEBUG off)."
    requires_system_checks = []

    def handle(self, *args, **options):
        try:
            call_command("check", deploy=True, fail_level="ERROR", stdout=self.stdout, stderr=self.stderr)
        except SystemCheckError as exc:
            raise CommandError(f"the server is not started.\n{exc}", returncode=3) from exc

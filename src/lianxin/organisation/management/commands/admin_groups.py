from django.core.management.base import BaseCommand

from lianxin.organisation.admin_access import AUDITOR_GROUP, OFFICE_GROUP, admin_groups_sync


class Command(BaseCommand):
    help = "Create or refresh the admin permission groups 人大办管理员 (registry) and 审计员 (audit log, read only)."

    def handle(self, *args, **options):
        admin_groups_sync()
        self.stdout.write(f"{OFFICE_GROUP}, {AUDITOR_GROUP}: ok")

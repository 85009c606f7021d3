"""`manage.py audit_verify`: exit 0 with the number of entries checked when the chain is intact; exit 1 at the
first entry that was changed, removed or inserted, naming it."""

from django.core.management.base import BaseCommand, CommandError

from lianxin.audit.verify import CHUNK, verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=CHUNK, help="rows fetched per round trip")

    def handle(self, *args, chunk_size: int, **options):
        outcome = verify(chunk_size=chunk_size, progress=lambda n: self.stderr.write(f"{n} entries checked"))
        if outcome.problem is not None:
            raise CommandError(
                f"audit chain broken at {outcome.problem} (checked {outcome.checked} entries before it, "
                f"from the {outcome.start})",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {outcome.checked} entries verified from the {outcome.start}")

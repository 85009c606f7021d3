from django.db import models


class BenchRow(models.Model):
    """One row per request to the baseline endpoint of `make bench-intake`; nothing else uses it."""

    idempotency_key = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "bench_row"

    def __str__(self) -> str:
        return self.idempotency_key

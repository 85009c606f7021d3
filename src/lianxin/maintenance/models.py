"""The check value of the keys personal data is encrypted and hashed with (one row, id 1)."""

from django.db import models


class FieldKeyCheck(models.Model):
    """HMACs of a constant made with the field key and the hash key (lianxin.privacy.encryption_key_check,
    hash_key_check): a process configured with other keys sees that it cannot read the data and refuses to
    start. The keys themselves are never stored."""

    encryption_check = models.CharField(max_length=64)
    hash_check = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"field key check {self.encryption_check[:8]}…"

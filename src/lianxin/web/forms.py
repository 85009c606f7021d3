"""What every work and public form does with a service's error: it is drawn again with what was typed and the
error next to the field the service names, or above the form."""

from __future__ import annotations

from collections.abc import Mapping

from lianxin.errors import DomainError


def add_domain_error(form, exc: DomainError, *, names: Mapping[str, str] | None = None) -> None:
    """Put `exc`'s field messages next to the form's fields (a service's field name mapped through `names` where
    the form calls it otherwise); its message goes above the form when it names no field, or one the form lacks."""
    names = names or {}
    unplaced = not exc.fields
    for key, messages in exc.fields.items():
        name = names.get(key, key)
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
        else:
            unplaced = True
    if unplaced:
        form.add_error(None, exc.message)


class DomainErrorsMixin:
    """For a Django form: `form.add_domain_error(exc)` (see `add_domain_error`)."""

    def add_domain_error(self, exc: DomainError) -> None:
        add_domain_error(self, exc)

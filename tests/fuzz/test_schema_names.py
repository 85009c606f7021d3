"""Each schema class of the API has its own name: the OpenAPI components are keyed by class name, so two
classes called the same would silently share one component and one of them would be documented wrongly."""

from collections import defaultdict

from ninja import Schema

import lianxin.api.routers  # noqa: F401  (imports every router and so every schema class)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schema_classes_share_a_name():
    names = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("lianxin."):
            names[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: places for name, places in names.items() if len(places) > 1} == {}

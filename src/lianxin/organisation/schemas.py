"""The API's organisation schemas (stations and handling units)."""

from __future__ import annotations

from ninja import Schema


class DivisionRef(Schema):
    id: int
    name: str


class StationOut(Schema):
    code: str
    kind: str
    kind_label: str
    name: str
    division: DivisionRef


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    level_label: str

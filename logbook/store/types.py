"""Column types that keep SQLite's text columns honest about time zones and lists."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import Text, TypeDecorator

# re-exported: the stored form is part of what the column types mean
from logbook.store.timestamps import format_utc as format_utc
from logbook.store.timestamps import iso as iso
from logbook.store.timestamps import parse_utc as parse_utc
from logbook.store.timestamps import read_iso as read_iso


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as fixed-width UTC text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else format_utc(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else parse_utc(value)


class JSONList(TypeDecorator[list[Any]]):
    """A list of strings stored as compact JSON text (authors, categories)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[Any] | None:
        return None if value is None else json.loads(value)

"""Raw SQL the ORM has no form for, shared by the bulk services."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models.constants import OnConflict
from django.db.models.expressions import RawSQL
from django.utils import timezone

# Ids matched against a column in one statement: on PostgreSQL they travel as one array
# parameter. A 10,000-id ``IN (%s, …)`` list cost about 0.15 s per statement to build (Django
# prepares each value) and to parse (psycopg splits the query at each placeholder): a quarter of
# assigning a curriculum to 10,000 people. Elsewhere (SQLite) the ids stay an IN list.


def ids_in(column: str, ids: Iterable[int]) -> tuple[str, list]:
    """SQL and parameters of "``column`` is one of ``ids``" for a raw statement."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def ids_value(ids: Iterable[int]) -> list[int] | RawSQL:
    """The value of an ORM ``__in`` filter on ``ids`` (``filter(user_id__in=ids_value(ids))``)."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


def insert_columns(
    model, *, from_source: dict[str, str], values: dict[str, object]
) -> tuple[list[str], list[str], list]:
    """The column list, SELECT list and parameters of an INSERT … SELECT into ``model``.

    A field named in ``from_source`` is copied from that SQL expression (quoted by the caller),
    a field in ``values`` gets that value, an ``auto_now``/``auto_now_add`` field gets the
    current time, and every other field its model default, as ``Model()`` would.
    """
    qn, now = connection.ops.quote_name, timezone.now()
    columns, select, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(qn(field.column))
        if field.name in from_source:
            select.append(from_source[field.name])
            continue
        if field.name in values:
            value = values[field.name]
        elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            value = now
        else:
            value = field.get_default()
        select.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    return columns, select, params


def insert_select(body: str, params: list) -> int:
    """Run ``INSERT INTO <body>`` (an INSERT … SELECT of rows that do not exist yet); returns how
    many rows it inserted.

    A plain INSERT, cheaper than ON CONFLICT's speculative insertion of every row. Should a
    concurrent transaction insert one of the rows first, the unique violation rolls back to a
    savepoint and the statement runs again ignoring conflicts, so that is not an error.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"{connection.ops.insert_statement()} {body}", params)
            return max(cursor.rowcount, 0)
    except IntegrityError:
        insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
        suffix = connection.ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
        with connection.cursor() as cursor:
            cursor.execute(f"{insert} {body} {suffix}", params)
            return max(cursor.rowcount, 0)

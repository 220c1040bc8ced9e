"""Raw SQL the ORM has no form for, shared by the bulk services."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models.constants import OnConflict


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

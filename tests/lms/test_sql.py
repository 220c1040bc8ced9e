"""lms.sql: ids matched in one statement, as an array parameter on PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lms.sql import ids_in, ids_value
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_ids_value_filters_exactly_the_given_ids():
    users = UserFactory.create_batch(4)
    wanted = [users[0].pk, users[2].pk, users[2].pk, 10_000_000]  # a duplicate and a stranger
    found = get_user_model().objects.filter(pk__in=ids_value(wanted))
    assert sorted(found.values_list("pk", flat=True)) == [users[0].pk, users[2].pk]
    assert not get_user_model().objects.filter(pk__in=ids_value([])).exists()


def test_ids_in_matches_in_raw_sql_with_one_parameter_on_postgresql():
    users = UserFactory.create_batch(3)
    table = connection.ops.quote_name(get_user_model()._meta.db_table)
    sql, params = ids_in("u.id", [users[1].pk, str(users[2].pk)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT u.id FROM {table} u WHERE {sql} ORDER BY u.id", params)  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == [users[1].pk, users[2].pk]
    if connection.vendor == "postgresql":
        assert params == [[users[1].pk, users[2].pk]] and "ANY" in sql
    else:
        assert params == [users[1].pk, users[2].pk] and sql.count("%s") == 2


def test_ids_must_be_integers():
    with pytest.raises(ValueError):
        ids_in("u.id", ["1; DROP TABLE x"])

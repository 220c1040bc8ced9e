"""Lock contention ends a request with a clear, retryable 503 instead of a hang or a 500."""

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from lms.dbbusy import DatabaseBusyMiddleware, is_lock_contention
from tests.services import require_postgres


def _middleware():
    return DatabaseBusyMiddleware(lambda request: None)


@pytest.mark.django_db
def test_sqlite_lock_error_becomes_503_with_retry_after():
    request = RequestFactory().post("/anything/")

    response = _middleware().process_exception(request, OperationalError("database is locked"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "your change was not saved" in response.content.decode()


def test_other_database_errors_are_not_hidden():
    request = RequestFactory().get("/")

    assert _middleware().process_exception(request, OperationalError("no such table: x")) is None
    assert _middleware().process_exception(request, ValueError("database is locked")) is None


@pytest.mark.django_db(transaction=True)
def test_postgres_row_lock_times_out_as_a_503(client, learner, password):
    """Another session holds the user's row: signing in (which updates last_login) gives up."""
    require_postgres()
    params = connection.get_connection_params()
    holder = psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        password=params.get("password"),
        dbname=params.get("dbname"),
    )
    try:
        holder.execute(
            "SELECT id FROM auth_user WHERE id = %s FOR UPDATE", [learner.pk]
        )  # transaction stays open: the lock is held
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")

        response = client.post(
            "/accounts/login/", {"username": learner.username, "password": password}
        )

        assert response.status_code == 503
        assert response["Retry-After"] == "5"
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@pytest.mark.django_db(transaction=True)
def test_postgres_lock_timeout_is_recognised():
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '100ms'")
    params = connection.get_connection_params()
    holder = psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        password=params.get("password"),
        dbname=params.get("dbname"),
    )
    try:
        holder.execute("LOCK TABLE lms_department IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM lms_department")
        assert is_lock_contention(caught.value)
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

"""Drop-in office hours: publishing, booking, cancelling, and never more seats than capacity."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from champions.models import OfficeHours, OfficeHoursBooking
from champions.services.mentoring import (
    office_hours_book,
    office_hours_booking_cancel,
    office_hours_create,
)
from tests.champions.factories import make_champion, make_office_hours, make_service
from tests.factories import make_staff
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def champion():
    return make_champion(service=make_service(name="Online building permits"))


class TestBooking:
    def test_full_capacity_then_full(self, champion):
        office_hours = make_office_hours(champion=champion, capacity=3)
        people = [make_staff().user for _ in range(4)]

        for user in people[:3]:
            office_hours_book(office_hours_id=office_hours.pk, user=user)
        with pytest.raises(ValidationError, match="full"):
            office_hours_book(office_hours_id=office_hours.pk, user=people[3])

        assert office_hours.bookings.count() == 3

    def test_booking_twice_keeps_one_seat(self, champion):
        office_hours = make_office_hours(champion=champion, capacity=3)
        user = make_staff().user

        first = office_hours_book(office_hours_id=office_hours.pk, user=user)
        second = office_hours_book(office_hours_id=office_hours.pk, user=user)

        assert first.pk == second.pk
        assert office_hours.bookings.count() == 1

    def test_cancel_frees_the_seat(self, champion):
        office_hours = make_office_hours(champion=champion, capacity=1)
        first, second = make_staff().user, make_staff().user
        office_hours_book(office_hours_id=office_hours.pk, user=first)

        assert office_hours_booking_cancel(office_hours_id=office_hours.pk, user=first) is True
        assert office_hours_booking_cancel(office_hours_id=office_hours.pk, user=first) is False
        office_hours_book(office_hours_id=office_hours.pk, user=second)

        assert list(office_hours.bookings.values_list("user_id", flat=True)) == [second.pk]

    def test_started_session_cannot_be_booked(self, champion):
        office_hours = make_office_hours(champion=champion)
        OfficeHours.objects.filter(pk=office_hours.pk).update(
            starts_at=timezone.now() - dt.timedelta(minutes=5)
        )

        with pytest.raises(ValidationError):
            office_hours_book(office_hours_id=office_hours.pk, user=make_staff().user)

    def test_book_and_cancel_through_the_pages(self, learner_client, learner, champion):
        office_hours = make_office_hours(champion=champion, capacity=1)

        response = learner_client.post(
            reverse("champions:office_hours_book", args=[office_hours.pk])
        )
        assert response.status_code == 302
        assert OfficeHoursBooking.objects.filter(user=learner).exists()

        page = learner_client.get(reverse("champions:office_hours"))
        assert page.context["page"][0].is_booked is True

        learner_client.post(reverse("champions:office_hours_cancel", args=[office_hours.pk]))
        assert not OfficeHoursBooking.objects.exists()

    def test_full_session_shows_a_message_not_an_error(self, client, champion):
        office_hours = make_office_hours(champion=champion, capacity=1)
        office_hours_book(office_hours_id=office_hours.pk, user=make_staff().user)
        late = make_staff().user
        client.force_login(late)

        response = client.post(
            reverse("champions:office_hours_book", args=[office_hours.pk]), follow=True
        )

        assert response.status_code == 200
        assert "This session is full." in response.content.decode()
        assert not OfficeHoursBooking.objects.filter(user=late).exists()

    def test_unknown_session_is_404(self, learner_client):
        assert (
            learner_client.post(reverse("champions:office_hours_book", args=[999])).status_code
            == 404
        )

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(reverse("champions:office_hours")).status_code == 302

    def test_list_query_budget_at_two_sizes(
        self, learner_client, champion, django_assert_max_num_queries
    ):
        url = reverse("champions:office_hours")
        for size in (1, 8):
            while OfficeHours.objects.count() < size:
                office_hours = make_office_hours(champion=champion, capacity=3)
                office_hours_book(office_hours_id=office_hours.pk, user=make_staff().user)
            with django_assert_max_num_queries(12):
                response = learner_client.get(url)
            assert len(response.context["page"]) == size


class TestPublishing:
    def test_champion_publishes_from_the_form(self, client, champion):
        client.force_login(champion.user)
        starts = timezone.localtime() + dt.timedelta(days=3)

        response = client.post(
            reverse("champions:office_hours_create"),
            {
                "champion": champion.pk,
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": 60,
                "capacity": 6,
                "location": "Room 2",
                "topic": "Uploading plans",
            },
        )

        assert response.status_code == 302
        assert OfficeHours.objects.get().capacity == 6

    def test_past_time_errors_at_the_field(self, champion):
        with pytest.raises(ValidationError) as error:
            office_hours_create(
                champion=champion,
                starts_at=timezone.now() - dt.timedelta(hours=1),
                duration_minutes=60,
                location="Room 2",
                capacity=4,
            )
        assert "starts_at" in error.value.error_dict

    def test_learner_cannot_publish(self, learner_client):
        assert learner_client.get(reverse("champions:office_hours_create")).status_code == 403


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_seat_at_once_get_one_seat():
    """Two threads book the last seat; the row lock lets exactly one of them have it."""
    require_postgres()
    champion = make_champion(service=make_service(name="Race service"))
    office_hours = make_office_hours(champion=champion, capacity=1)
    people = [make_staff().user, make_staff().user]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(user):
        try:
            barrier.wait(timeout=10)
            office_hours_book(office_hours_id=office_hours.pk, user=user)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["booked", "full"]
    assert OfficeHoursBooking.objects.filter(office_hours=office_hours).count() == 1

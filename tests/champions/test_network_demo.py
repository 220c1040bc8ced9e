"""The champion network's demo data: what the demo champion gets, and running it twice."""

from __future__ import annotations

import pytest

from champions.demo_network import seed_network
from champions.models import (
    Champion,
    ChampionStatus,
    Feedback,
    FeedbackStatus,
    MentoringSession,
    Mentorship,
    OfficeHours,
    OfficeHoursBooking,
)
from lms.roles import Role
from tests.champions.factories import make_service
from tests.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users():
    counter = DepartmentFactory(name="Building Permits Counter")
    office = DepartmentFactory(name="Digital Transformation Office")
    make_service(name="Online building permits", departments=[counter])
    make_service(name="Online business licences", departments=[DepartmentFactory()])
    make_service(name="Recreation bookings", departments=[DepartmentFactory()])
    users = {
        "champion": make_staff(Role.CHAMPION, department=counter, user__username="champion"),
        "learner": make_staff(department=counter, user__username="learner"),
        "manager": make_staff(Role.LINE_MANAGER, department=counter, user__username="manager"),
        "changeoffice": make_staff(
            Role.CHANGE_OFFICE, department=office, user__username="changeoffice"
        ),
    }
    for _ in range(3):
        make_staff(department=counter)
    return users


def snapshot():
    return (
        Champion.objects.count(),
        Mentorship.objects.count(),
        MentoringSession.objects.count(),
        OfficeHours.objects.count(),
        OfficeHoursBooking.objects.count(),
        Feedback.objects.count(),
    )


def test_demo_champion_network_is_complete_and_idempotent(demo_users):
    seed_network(users=demo_users)

    champion = Champion.objects.get(user=demo_users["champion"].user)
    assert champion.status == ChampionStatus.APPROVED
    assert champion.service.name == "Online building permits"
    mentees = set(champion.mentorships.values_list("mentee__username", flat=True))
    assert "learner" in mentees
    assert MentoringSession.objects.filter(champion=champion).count() == 3
    assert OfficeHours.objects.filter(champion=champion).count() == 2
    assert OfficeHoursBooking.objects.exists()
    statuses = set(Feedback.objects.values_list("status", flat=True))
    assert statuses == set(FeedbackStatus.values)
    assert Feedback.objects.filter(author__isnull=True).exists()
    assert Feedback.objects.values("service").distinct().count() == 3

    before = snapshot()
    seed_network(users=demo_users)
    assert snapshot() == before


def test_demo_skips_cleanly_without_services():
    import io

    out = io.StringIO()
    seed_network(stdout=out, users={})

    assert "skipped" in out.getvalue()
    assert not Champion.objects.exists()

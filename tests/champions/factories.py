"""Factories of the champions app: services, courses they require, training done."""

from __future__ import annotations

import datetime as dt
import itertools

from django.test import override_settings
from django.utils import timezone
from django.utils.text import slugify

from champions.models import Service, ServicePhase
from champions.services.rollouts import service_create
from courses.models import CourseCatalogPage, CoursePage, Enrolment, EnrolmentSource
from courses.services import enrolment_check_completion, enrolment_create
from tests.factories import DepartmentFactory

_service_numbers = itertools.count(1)


def make_catalogue() -> CourseCatalogPage:
    """The course catalogue page (under the home page), created once."""
    from cms.services import site_ensure_default

    catalogue = CourseCatalogPage.objects.first()
    if catalogue is not None:
        return catalogue
    home = site_ensure_default().root_page
    return home.add_child(instance=CourseCatalogPage(title="Courses", slug="courses"))


def make_course(title: str = "Online permits basics", **fields) -> CoursePage:
    """A published course page with no lessons (completes as soon as it is checked)."""
    catalogue = make_catalogue()
    fields.setdefault("summary", f"{title}: what staff need to know.")
    fields.setdefault("slug", slugify(title))
    return catalogue.add_child(instance=CoursePage(title=title, **fields))


def make_service(
    *,
    actor=None,
    name: str | None = None,
    departments=None,
    phase: str = ServicePhase.ROLLOUT,
    go_live_date: dt.date | None = None,
    **kwargs,
) -> Service:
    """A service through the real service function (departments default to one new one)."""
    name = name or f"Digital service {next(_service_numbers)}"
    if departments is None:
        departments = [DepartmentFactory()]
    return service_create(
        actor=actor,
        name=name,
        slug=kwargs.pop("slug", slugify(name)),
        phase=phase,
        go_live_date=go_live_date,
        departments=departments,
        **kwargs,
    )


@override_settings(COURSE_COMPLETION_REQUIREMENTS=[], COURSE_COMPLETED_TASKS=[])
def complete_course(user, course: CoursePage, *, expires_at: dt.datetime | None = None):
    """The person completes the course (through courses.services); returns the completion."""
    enrolment = enrolment_create(user=user, course=course, source=EnrolmentSource.ADMIN)
    completion = enrolment_check_completion(enrolment=enrolment)
    if expires_at is not None:
        type(completion).objects.filter(pk=completion.pk).update(expires_at=expires_at)
    return completion


def enrol(user, course: CoursePage) -> Enrolment:
    return enrolment_create(user=user, course=course, source=EnrolmentSource.ADMIN)


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- Champion network, mentoring, office hours and feedback (engineer B) ------------------------


def make_champion(
    *,
    user=None,
    service: Service | None = None,
    department=None,
    status: str = "approved",
    **fields,
):
    """A champion (approved by default: with the Champion role) of a service in a department."""
    from champions.models import Champion, ChampionStatus
    from lms.roles import Role
    from lms.services import user_set_roles
    from tests.factories import make_staff

    if service is None:
        service = make_service(departments=[department] if department is not None else None)
    if department is None:
        department = (
            user.profile.department
            if user is not None
            else service.department_rollouts.first().department
        )
    if user is None:
        user = make_staff(department=department).user
    if status == ChampionStatus.APPROVED:
        names = set(user.groups.values_list("name", flat=True))
        roles = [role for role in Role if role.value in names]
        user_set_roles(user=user, roles=[*roles, Role.CHAMPION])
    return Champion.objects.create(
        user=user, service=service, department=department, status=status, **fields
    )


def make_feedback(*, service: Service, department=None, author=None, status: str = "new", **fields):
    """A feedback item written straight to the table (use feedback_create to test routing)."""
    from champions.models import Feedback, FeedbackKind

    fields.setdefault("kind", FeedbackKind.QUESTION)
    fields.setdefault("title", "How do I scan old plans?")
    fields.setdefault("body", "The counter scanner does not take A1 sheets.")
    return Feedback.objects.create(
        service=service, department=department, author=author, status=status, **fields
    )


def make_office_hours(*, champion, capacity: int = 2, days_ahead: int = 2, **fields):
    """A drop-in session hosted by ``champion``, some days from now."""
    from champions.models import OfficeHours

    fields.setdefault("location", "City Hall, room 2")
    fields.setdefault("duration_minutes", 60)
    return OfficeHours.objects.create(
        champion=champion,
        starts_at=timezone.now() + dt.timedelta(days=days_ahead),
        capacity=capacity,
        **fields,
    )

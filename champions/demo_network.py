"""Demo data of the champion network (called at the end of ``champions.demo.seed``).

The demo ``champion`` is an approved champion for "Online building permits" in the Building
Permits Counter, with mentees (the demo ``learner`` among them), logged sessions, upcoming
drop-in sessions with bookings, and staff feedback in every status for the demo services.
Idempotent: running it again adds nothing that is already there.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lms.models import Department, StaffProfile, StaffStatus

from .models import (
    Badge,
    BadgeAward,
    Champion,
    ChampionStatus,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    MentoringSession,
    Mentorship,
    OfficeHours,
    Service,
    ServiceDepartment,
)
from .services.feedback import (
    feedback_answer,
    feedback_create,
    feedback_escalate,
    feedback_set_status,
)
from .services.mentoring import (
    mentoring_session_log,
    mentorship_add,
    office_hours_book,
    office_hours_create,
)
from .services.network import Decision, badge_award, champion_decide, champion_nominate

SERVICE_NAME = "Online building permits"
DEPARTMENT_NAME = "Building Permits Counter"

SESSIONS = [
    (21, 45, "Creating an applicant account", "Walked through sign-up with the test site."),
    (10, 60, "Checking uploaded plans", "Practised the plan-check queue on sample files."),
    (3, 30, "Taking card payments online", "Covered refunds and failed payments."),
]
OFFICE_HOURS = [
    (3, 10, "Questions about the new permit portal", "City Hall, room 214", 6),
    (8, 14, "Scanning and uploading paper plans", "Online: Teams link in the calendar", 10),
]
# (title, kind, status, anonymous, body, public answer)
FEEDBACK = [
    (
        "Can applicants still pay by cheque?",
        FeedbackKind.QUESTION,
        FeedbackStatus.NEW,
        False,
        "Some contractors only pay by cheque. What do we tell them after go-live?",
        "",
    ),
    (
        "Training time before go-live is too short",
        FeedbackKind.CONCERN,
        FeedbackStatus.ESCALATED,
        True,
        "The counter is busy in spring; two weeks is not enough to finish the courses.",
        "",
    ),
    (
        "Where do I find the plan-check queue?",
        FeedbackKind.QUESTION,
        FeedbackStatus.ANSWERED,
        False,
        "I cannot find the queue of plans waiting for a check.",
        "It is under Work > Plan check in the staff portal; your supervisor can add you to it.",
    ),
    (
        "Bulk upload for large plan sets",
        FeedbackKind.IDEA,
        FeedbackStatus.PLANNED,
        False,
        "Architects send 40 sheets at once; uploading them one by one takes ages.",
        "The vendor adds bulk upload in the June release; we will tell you when it is live.",
    ),
    (
        "Printed receipts for walk-in customers",
        FeedbackKind.CONCERN,
        FeedbackStatus.DONE,
        True,
        "Walk-in customers want a paper receipt, the portal only e-mails one.",
        "Each counter now has a receipt printer connected to the portal.",
    ),
    (
        "Keep the old paper form as a fallback",
        FeedbackKind.IDEA,
        FeedbackStatus.WONT_DO,
        False,
        "Could we keep the paper form for people without e-mail?",
        "Staff can file an application for the customer at the counter, so the paper form "
        "is retired; a kiosk is available in the lobby.",
    ),
]


def _user(entry):
    return getattr(entry, "user", entry)


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def seed_network(stdout=None, users=None, **ctx) -> None:
    """Create the demo champion network; needs the demo users and services."""
    users = users or {}
    service = Service.objects.filter(name=SERVICE_NAME).first()
    department = Department.objects.filter(name=DEPARTMENT_NAME).first()
    if service is None or department is None or "champion" not in users:
        _write(stdout, "  champion network: demo services or users missing, skipped")
        return
    champion_user = _user(users["champion"])
    office = _user(users.get("changeoffice") or users["admin"])
    champion = _approved_champion(champion_user, service, department, office)
    _mentees(champion, users)
    _sessions(champion)
    _office_hours(champion)
    _feedback(champion, office, users)
    _badge(champion_user, office)
    _write(stdout, "  champion network: champion, mentees, sessions, drop-ins and feedback")


def _approved_champion(user, service, department, office) -> Champion:
    champion = Champion.objects.filter(user=user, service=service, department=department).first()
    if champion is None:
        champion = champion_nominate(
            user=user,
            service=service,
            department=department,
            nominated_by=user,
            motivation="I already help colleagues with the test site.",
        )
    if champion.status == ChampionStatus.NOMINATED:
        champion = champion_decide(
            champion=champion,
            decision=Decision.APPROVE,
            reason="Knows the counter's work and the new portal well.",
            actor=office,
        ).champion
    return champion


def _mentees(champion: Champion, users) -> None:
    wanted = []
    if "learner" in users:
        wanted.append(_user(users["learner"]))
    wanted.extend(
        profile.user
        for profile in StaffProfile.objects.filter(
            department=champion.department, status=StaffStatus.ACTIVE
        )
        .exclude(user_id=champion.user_id)
        .select_related("user")
        .order_by("employee_id")[:5]
    )
    mentored = set(
        Mentorship.objects.filter(service_id=champion.service_id).values_list(
            "mentee_id", flat=True
        )
    )
    for mentee in wanted:
        if mentee.pk not in mentored and mentee.pk != champion.user_id:
            mentorship_add(champion=champion, mentee=mentee, actor=champion.user)
            mentored.add(mentee.pk)


def _sessions(champion: Champion) -> None:
    mentees = [m.mentee for m in champion.mentorships.select_related("mentee").order_by("pk")]
    if not mentees:
        return
    today = timezone.localdate()
    for index, (days_ago, minutes, topic, notes) in enumerate(SESSIONS):
        if MentoringSession.objects.filter(champion=champion, topic=topic).exists():
            continue
        mentoring_session_log(
            champion=champion,
            held_on=today - dt.timedelta(days=days_ago),
            duration_minutes=minutes,
            topic=topic,
            attendees=mentees[index : index + 3] or mentees[:1],
            notes=notes,
            follow_ups="Send the quick-reference card." if index == 0 else "",
        )


def _office_hours(champion: Champion) -> None:
    now = timezone.localtime()
    bookers = [m.mentee for m in champion.mentorships.select_related("mentee").order_by("pk")]
    for days, hour, topic, location, capacity in OFFICE_HOURS:
        if OfficeHours.objects.filter(
            champion=champion, topic=topic, starts_at__gt=timezone.now()
        ).exists():
            continue
        starts_at = (now + dt.timedelta(days=days)).replace(
            hour=hour, minute=0, second=0, microsecond=0
        )
        office_hours = office_hours_create(
            champion=champion,
            starts_at=starts_at,
            duration_minutes=60,
            location=location,
            capacity=capacity,
            topic=topic,
        )
        for user in bookers[:3]:
            office_hours_book(office_hours_id=office_hours.pk, user=user)


def _feedback(champion: Champion, office, users) -> None:
    authors = [_user(users[name]) for name in ("learner", "manager") if name in users] or [
        champion.user
    ]
    # The champion's own service first: it gets an item in every status.
    services = sorted(
        Service.objects.order_by("name")[:3], key=lambda s: s.pk != champion.service_id
    )
    for service_index, service in enumerate(services):
        department = _service_department(service, champion)
        for index, (title, kind, status, anonymous, body, answer) in enumerate(FEEDBACK):
            if service_index and index % 2:  # fewer items for the other services
                continue
            if Feedback.objects.filter(service=service, title=title).exists():
                continue
            item = feedback_create(
                user=authors[index % len(authors)],
                service=service,
                department=department,
                kind=kind,
                title=title,
                body=body,
                anonymous=anonymous,
            )
            responder = champion.user if service.pk == champion.service_id else office
            if status == FeedbackStatus.ANSWERED:
                feedback_answer(feedback=item, actor=responder, answer=answer)
            elif status == FeedbackStatus.ESCALATED:
                feedback_escalate(feedback=item, actor=responder, note="Needs a decision.")
            elif status in (FeedbackStatus.PLANNED, FeedbackStatus.DONE, FeedbackStatus.WONT_DO):
                feedback_escalate(feedback=item, actor=responder)
                feedback_set_status(
                    feedback=item, actor=office, status=status, public_answer=answer
                )


def _service_department(service: Service, champion: Champion) -> Department | None:
    if service.pk == champion.service_id:
        return champion.department
    row = (
        ServiceDepartment.objects.filter(service=service)
        .select_related("department")
        .order_by("department__name")
        .first()
    )
    return row.department if row is not None else service.owning_department


def _badge(user, office) -> None:
    badge, _created = Badge.objects.get_or_create(
        name="First mentor",
        defaults={"description": "Held the first mentoring sessions for a new service."},
    )
    if not BadgeAward.objects.filter(badge=badge, user=user).exists():
        badge_award(
            badge=badge,
            user=user,
            reason="Ran the first three mentoring sessions at the permit counter.",
            actor=office,
        )

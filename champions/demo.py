"""Demo data of service rollouts: three services in different phases and a few weeks of
readiness history. Idempotent: services that exist already are left as they are, and snapshots
are written with ``update_or_create``."""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone

from lms.models import Curriculum, Department, JobRole

from .models import ReadinessSnapshot, ReadinessThresholds, Service, ServicePhase
from .selectors.readiness import readiness_evaluate, service_readiness
from .selectors.rollouts import service_get_by_slug
from .services.readiness import readiness_snapshot_take
from .services.rollouts import service_create

HISTORY_DAYS = 21

# go_live / department go-lives: days from today.
SERVICES = [
    {
        "name": "Online building permits",
        "slug": "online-building-permits",
        "description": "Residents and builders apply for, pay for and track building permits "
        "online instead of at the counter.",
        "owning_department": "Permits & Licensing",
        "phase": ServicePhase.ROLLOUT,
        "go_live": 21,
        "departments": [("Building Permits Counter", 21), ("Business & Animal Licensing", 35)],
        "job_roles": ["Permit Technician", "Permit Counter Supervisor", "Licensing Clerk"],
        "courses": ["online-permits-portal", "handling-residents-personal-data"],
        "curricula": ["Digital champion toolkit"],
        "staff_per_champion": 5,
        "start_percent": 20,
    },
    {
        "name": "311 app",
        "slug": "311-app",
        "description": "Residents report potholes, graffiti and missed collections from their "
        "phone; requests go straight to the crews.",
        "owning_department": "311 Contact Centre",
        "phase": ServicePhase.PILOT,
        "go_live": 75,
        "departments": [("311 Contact Centre", None), ("Public Works", None)],
        "job_roles": [],
        "courses": ["video-calls-with-residents", "handling-residents-personal-data"],
        "curricula": [],
        "staff_per_champion": 10,
        "start_percent": 5,
    },
    {
        "name": "Recreation bookings",
        "slug": "recreation-bookings",
        "description": "Book swimming lessons, summer camps and park shelters online.",
        "owning_department": "Parks & Recreation",
        "phase": ServicePhase.LIVE,
        "go_live": -30,
        "departments": [("Parks & Recreation", None)],
        "job_roles": [],
        "courses": ["working-in-shared-documents"],
        "curricula": [],
        "staff_per_champion": 10,
        "start_percent": 60,
    },
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _service(spec: dict, *, today: dt.date, actor, stdout) -> Service | None:
    from courses.models import CoursePage

    existing = Service.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    departments = {d.name: d for d in Department.objects.filter(name__in=_names(spec))}
    missing = [name for name, _days in spec["departments"] if name not in departments]
    if missing:
        _say(stdout, f"  champions: skipped {spec['name']} (departments missing: {missing})")
        return None
    courses = list(CoursePage.objects.filter(slug__in=spec["courses"]).order_by("pk"))
    found = {course.slug for course in courses}
    for slug in spec["courses"]:
        if slug not in found:
            _say(stdout, f"  champions: course {slug!r} not found; {spec['name']} goes without it")
    curricula = list(Curriculum.objects.filter(name__in=spec["curricula"]))
    for name in set(spec["curricula"]) - {c.name for c in curricula}:
        _say(stdout, f"  champions: curriculum {name!r} not found; {spec['name']} goes without it")
    return service_create(
        actor=actor,
        name=spec["name"],
        slug=spec["slug"],
        description=spec["description"],
        owning_department=Department.objects.filter(name=spec["owning_department"]).first(),
        phase=spec["phase"],
        go_live_date=today + dt.timedelta(days=spec["go_live"]),
        departments=[
            (departments[name], today + dt.timedelta(days=days) if days is not None else None)
            for name, days in spec["departments"]
        ],
        affected_job_roles=list(JobRole.objects.filter(name__in=spec["job_roles"])),
        required_courses=courses,
        required_curricula=curricula,
        staff_per_champion=spec["staff_per_champion"],
    )


def _names(spec: dict) -> list[str]:
    return [name for name, _days in spec["departments"]]


def _backfill(service: Service, *, start_percent: int, today: dt.date) -> int:
    """Past snapshots climbing from ``start_percent`` of today's trained share to today's."""
    readiness = service_readiness(service_get_by_slug(service.slug), today=today)
    thresholds = ReadinessThresholds.load()
    written = 0
    for days_ago in range(HISTORY_DAYS, 0, -1):
        date = today - dt.timedelta(days=days_ago)
        share = start_percent / 100 + (1 - start_percent / 100) * (1 - days_ago / HISTORY_DAYS)
        for item in readiness.departments:
            trained = math.floor(item.trained_staff * share)
            champions = min(item.champions, math.ceil(item.champions * (share + 0.2)))
            percent = (
                math.floor(100 * trained / item.affected_staff) if item.affected_staff else None
            )
            days_to_go_live = (item.go_live - date).days if item.go_live else None
            status, reasons = readiness_evaluate(
                trained_percent=percent,
                required_course_count=readiness.required_course_count,
                affected_staff=item.affected_staff,
                champions=champions,
                champions_needed=item.champions_needed,
                staff_per_champion=item.staff_per_champion,
                open_concerns=item.open_concerns,
                days_to_go_live=days_to_go_live,
                thresholds=thresholds,
            )
            ReadinessSnapshot.objects.update_or_create(
                service=service,
                department_id=item.department_id,
                date=date,
                defaults={
                    "affected_staff": item.affected_staff,
                    "trained_staff": trained,
                    "certificates_held": math.floor(item.certificates_held * share),
                    "champions": champions,
                    "champions_needed": item.champions_needed,
                    "open_concerns": item.open_concerns,
                    "status": status,
                    "reasons": [str(reason) for reason in reasons],
                },
            )
            written += 1
    return written


def seed(stdout=None, users=None, **ctx) -> dict[str, Service]:
    """Create the demo services (with their training rules) and their readiness history."""
    today = timezone.localdate()
    users = users or {}
    actor = users.get("changeoffice") or users.get("admin")
    services = {}
    for spec in SERVICES:
        service = _service(spec, today=today, actor=actor, stdout=stdout)
        if service is None:
            continue
        services[service.slug] = service
        if service.phase != ServicePhase.RETIRED:
            _backfill(service, start_percent=spec["start_percent"], today=today)
            readiness_snapshot_take(service=service_get_by_slug(service.slug), date=today)
    _say(stdout, f"  champions: {len(services)} services with {HISTORY_DAYS} days of readiness")
    from .demo_network import seed_network  # champion network (engineer B)

    seed_network(stdout=stdout, users=users, **ctx)
    return services

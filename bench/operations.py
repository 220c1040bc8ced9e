"""Pages beyond the learner's, and the bulk operations: assign, import, certificates, reminders,
export. Each yields (name, Measurement) with its target."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from bench.generate import City, Scale
from bench.measure import Measurement, peak_memory_mb, timed_once


def _champion_user_id(city: City) -> int:
    from champions.models import Champion, ChampionStatus

    return (
        Champion.objects.filter(status=ChampionStatus.APPROVED)
        .exclude(user_id=city.hr_id)  # the HR user's roles were replaced after generation
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )


def extra_pages(city: City) -> list[tuple[str, str, object, bool]]:
    """(name, path, who — "hr" or a user id, aggregate?) of the pages measured besides learner's."""
    from champions.models import Service

    service = Service.objects.order_by("pk").first()
    return [
        ("service_readiness", f"/services/{service.slug}/", "hr", True),
        ("champion_hub", "/champions/", _champion_user_id(city), False),
    ]


def run_operations(
    city: City, scale: Scale, *, only: set[str] | frozenset = frozenset()
) -> Iterator[tuple[str, Measurement]]:
    """The bulk operations, or only those named in ``only``."""
    operations = [
        ("assign_curriculum", lambda: _assign(city, scale)),
        ("certificate_pdfs", _certificates),
        ("reminder_run", _reminders),
        ("compliance_csv_export", lambda: _export(city)),
    ]
    for name, run in operations:
        if not only or name in only:
            yield name, run()
    if not only or not only.isdisjoint({"roster_import", "roster_reimport_unchanged"}):
        yield from _roster(scale)


def _assign(city: City, scale: Scale) -> Measurement:
    from django.contrib.auth import get_user_model

    from lms.hr.services import assignments_create
    from lms.models import Curriculum

    people = min(10_000, len(city.user_ids))
    users = list(get_user_model().objects.filter(pk__in=city.user_ids[:people]))
    curriculum = Curriculum.objects.get(pk=city.curriculum_ids[-1])
    seconds, created = timed_once(
        lambda: assignments_create(users=users, curriculum=curriculum, assigned_by=None)
    )
    limit = 5.0 * people / 10_000
    return Measurement(
        name="assign_curriculum",
        extra={
            "people": people,
            "assignments_created": created,
            "seconds": round(seconds, 2),
            "ms_per_person": round(seconds * 1000 / people, 3),
        },
        target=f"≤ {limit:.1f} s for {people} people (0.5 ms per person)",
        met=seconds <= limit,
    )


def _certificates() -> Measurement:
    from bench.bench_certificates import run

    result = run(1000)
    per_core = result["certificates_per_second"]  # one process, one core
    return Measurement(
        name="certificate_pdfs",
        extra=result,
        target="≥ 200 PDFs per second per core",
        met=per_core >= 200,
    )


def _reminders() -> Measurement:
    from django.core import mail

    from lms.hr.reminders import reminders_run

    mail.outbox = []
    seconds, counts = timed_once(reminders_run)
    sent = len(mail.outbox)
    mail.outbox = []
    return Measurement(
        name="reminder_run",
        extra={"seconds": round(seconds, 2), "emails": sent, "counts": counts},
        target="≤ 60 s",
        met=seconds <= 60,
    )


def _export(city: City) -> Measurement:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=city.hr_id))

    def download() -> int:
        response = client.get("/hr/compliance/", {"export": "csv", "rows": "person"})
        if response.status_code != 200:
            raise RuntimeError(f"export answered {response.status_code}")
        return sum(1 for _ in response.streaming_content)

    seconds, peak_mb, lines = peak_memory_mb(download)
    return Measurement(
        name="compliance_csv_export",
        extra={"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "rows": lines - 2},
        target="streams; peak memory < 300 MB",
        met=peak_mb < 300,
    )


def _roster_file(scale: Scale) -> bytes:
    from lms.models import Department, JobRole

    departments = list(Department.objects.order_by("pk").values_list("name", flat=True))
    roles = list(JobRole.objects.order_by("pk").values_list("name", flat=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "employee_id",
            "first_name",
            "last_name",
            "email",
            "department",
            "job_title",
            "manager_employee_id",
            "location",
            "start_date",
            "status",
        ]
    )
    for index in range(scale.staff):
        department = index % len(departments)
        head = department  # the first rows are each department's head
        writer.writerow(
            [
                f"R{index:06d}",
                f"Given{index}",
                f"Family{index}",
                f"roster.{index}@riverton.example.gov",
                departments[department],
                roles[index % len(roles)],
                "" if index < len(departments) else f"R{head:06d}",
                "City Hall",
                "2024-01-15",
                "active",
            ]
        )
    return buffer.getvalue().encode()


def _roster(scale: Scale) -> Iterator[tuple[str, Measurement]]:
    from lms.hr.roster import roster_import

    data = _roster_file(scale)
    for name, limit in (("roster_import", 30.0), ("roster_reimport_unchanged", 15.0)):
        seconds, report = timed_once(lambda: roster_import(data=data))
        if not report.ok:
            raise RuntimeError(f"{name}: {report.as_dict()['errors'][:3]}")
        scaled_limit = limit * scale.staff / 20_000
        yield (
            name,
            Measurement(
                name=name,
                extra={
                    "rows": scale.staff,
                    "seconds": round(seconds, 2),
                    "written": report.written,
                },
                target=f"≤ {scaled_limit:.1f} s for {scale.staff} rows",
                met=seconds <= scaled_limit,
            ),
        )

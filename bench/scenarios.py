"""What the benchmark measures. Each scenario yields (name, Measurement)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

from bench.generate import (
    City,
    Scale,
    generate_courses,
    generate_curricula,
    generate_learning,
    generate_organisation,
)
from bench.measure import Measurement, measure_call

LEARNER_MEDIAN_MS, LEARNER_P95_MS = 40, 80
AGGREGATE_MEDIAN_MS, AGGREGATE_P95_MS = 150, 300
WARM_UP_SECONDS = 1.0  # per page, before the throughput runs
LOAD_ROUNDS = 4  # the throughput runs are interleaved in this many rounds
LESSON_RPS_TARGET = "≥ 200 req/s and ≥ 0.25 × minimal view"


def build_city(scale: Scale, rng: random.Random) -> tuple[City, dict]:
    from lms.models import StaffProfile
    from lms.roles import Role
    from lms.services import user_set_roles

    timings: dict[str, float] = {}
    print("Generating the organisation…", flush=True)
    timings["organisation"], org = generate_organisation(scale, rng)
    print("Generating courses and lessons…", flush=True)
    timings["courses"], courses = generate_courses(scale, org["job_role_ids"])
    timings["curricula"], curricula = generate_curricula(scale, courses["course_ids"])
    learner_id = org["user_ids"][-1]
    print("Generating assignments, enrolments and lesson progress…", flush=True)
    timings["learning"] = generate_learning(
        scale, rng, org["user_ids"], courses["course_ids"], courses["lessons"], learner_id
    )
    for extra, seconds in generate_extras(scale, rng, org, courses):
        timings[extra] = seconds
    hr = StaffProfile.objects.select_related("user").get(pk=org["profile_ids"][0])
    hr.hr_all_departments = True
    hr.save(update_fields=["hr_all_departments"])
    user_set_roles(user=hr.user, roles=[Role.HR_ADMIN, Role.CHANGE_OFFICE])
    learner_profile = StaffProfile.objects.get(user_id=learner_id)
    manager_user_id = (
        StaffProfile.objects.filter(pk=learner_profile.manager_id)
        .values_list("user_id", flat=True)
        .first()
    )
    city = City(
        department_ids=org["department_ids"],
        job_role_ids=org["job_role_ids"],
        user_ids=org["user_ids"],
        profile_ids=org["profile_ids"],
        course_ids=courses["course_ids"],
        lesson_ids_by_course=courses["lessons"],
        curriculum_ids=curricula,
        learner_id=learner_id,
        manager_id=manager_user_id,
        hr_id=hr.user_id,
    )
    return city, {k: round(v, 1) for k, v in timings.items()}


def generate_extras(scale: Scale, rng: random.Random, org: dict, courses: dict):
    """Quiz attempts, certificates, champions, sessions and feedback (see bench/extras.py)."""
    from bench import extras

    yield from extras.generate(scale, rng, org, courses)


def _client_for(user_id: int):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    return client


def _page(name: str, client, path: str, *, runs: int, aggregate: bool = False) -> Measurement:
    def fetch():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    median, p95 = (
        (AGGREGATE_MEDIAN_MS, AGGREGATE_P95_MS)
        if aggregate
        else (LEARNER_MEDIAN_MS, LEARNER_P95_MS)
    )
    try:
        measurement = measure_call(
            name,
            fetch,
            runs=runs,
            limit_median=median,
            limit_p95=p95,
            target=f"median ≤ {median} ms, p95 ≤ {p95} ms",
        )
    except RuntimeError as exc:
        return Measurement(name=name, extra={"error": str(exc)}, met=False)
    measurement.extra["path"] = path
    return measurement


def lesson_path(city: City) -> str:
    from courses.models import LessonPage

    return LessonPage.objects.get(pk=city.lesson_ids_by_course[city.course_ids[0]][1]).url


def run_all(
    city: City, scale: Scale, *, runs: int, only: set[str] | frozenset = frozenset()
) -> Iterator[tuple[str, Measurement]]:
    """Every page and operation, or only those named in ``only``."""
    from bench import operations

    learner = _client_for(city.learner_id)
    hr = _client_for(city.hr_id)
    pages = [
        ("my_learning", learner, "/my-learning/", False),
        ("catalogue_two_filters", learner, _first_course_filters(city), False),
        ("lesson_page", learner, lesson_path(city), False),
        ("compliance_report_city", hr, "/hr/compliance/", True),
        (
            "compliance_report_department",
            hr,
            f"/hr/compliance/?department={city.department_ids[6]}",
            True,
        ),
    ]
    for name, path, who, aggregate in operations.extra_pages(city):
        pages.append((name, hr if who == "hr" else _client_for(who), path, aggregate))
    for name, client, path, aggregate in pages:
        if not only or name in only:
            yield name, _page(name, client, path, runs=runs, aggregate=aggregate)
    for name, measurement in operations.run_operations(city, scale, only=only):
        yield name, measurement


def _first_course_filters(city: City) -> str:
    from courses.models import CourseCompetence

    competence = CourseCompetence.objects.filter(course_id=city.course_ids[0]).first()
    area = f"area={competence.competence.area_id}&" if competence else ""
    return f"/courses/?{area}duration=15-30"


def run_load(city: City, port: int, *, seconds: float) -> Iterator[tuple[str, Measurement]]:
    """Requests per second through gunicorn on loopback, next to the minimal Django view."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from bench.load import requests_per_second

    user = get_user_model().objects.get(pk=city.learner_id)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "lms.backends.EmailOrUsernameBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
    _wait_for(port)
    targets = {
        "rps_minimal_view": ("/bench/minimal/", {}),
        "rps_lesson_page": (lesson_path(city), headers),
        "rps_my_learning": ("/my-learning/", headers),
    }
    # Warm every worker up on every page first (routes, memos, template compilation), then
    # interleave short runs of the three, so that the machine's drifting speed falls on each
    # alike and the ratio compares like with like.
    for path, path_headers in targets.values():
        requests_per_second("127.0.0.1", port, path, headers=path_headers, seconds=WARM_UP_SECONDS)
    totals = {name: {"ok": 0, "errors": 0, "seconds": 0.0} for name in targets}
    for _ in range(LOAD_ROUNDS):
        for name, (path, path_headers) in targets.items():
            result = requests_per_second(
                "127.0.0.1", port, path, headers=path_headers, seconds=seconds / LOAD_ROUNDS
            )
            for key in ("ok", "errors", "seconds"):
                totals[name][key] += result[key]
            totals[name]["concurrency"] = result["concurrency"]
    results = {
        name: {
            "requests_per_second": round(total["ok"] / total["seconds"], 1),
            "ok": total["ok"],
            "errors": total["errors"],
            "seconds": round(total["seconds"], 1),
            "concurrency": total["concurrency"],
            "rounds": LOAD_ROUNDS,
        }
        for name, total in totals.items()
    }
    baseline = results.pop("rps_minimal_view")
    yield "rps_minimal_view", Measurement(name="rps_minimal_view", extra=baseline)
    for name, result in results.items():
        ratio = result["requests_per_second"] / max(1, baseline["requests_per_second"])
        result["ratio_to_minimal"] = round(ratio, 3)
        met = None
        if name == "rps_lesson_page":
            met = result["requests_per_second"] >= 200 and ratio >= 0.25
        yield (
            name,
            Measurement(
                name=name,
                extra=result,
                met=met,
                target=LESSON_RPS_TARGET if name == "rps_lesson_page" else "",
            ),
        )


def _wait_for(port: int) -> None:
    import http.client

    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")

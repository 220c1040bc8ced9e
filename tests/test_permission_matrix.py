"""The permission matrix: every URL of the project, requested as every role.

The URL list comes from Django's URL resolver, so a new view fails
``test_every_url_is_in_the_matrix`` until someone decides who may open it. Wagtail's own URLs
(``admin/``, ``documents/``, page serving) are covered by the tests at the end, with the
object-level cases: someone else's attempt, certificate, self-assessment or concern, a
department outside an HR admin's scope, a champion's non-mentee, a manager's team.

The world (tests/matrix_world.py) is built once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint on top of it, and each request of a
test in a savepoint of its own, so a POST made as one role never changes what the next sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix_world import (
    ANONYMOUS,
    CHAMPION,
    CHANGE_OFFICE,
    EDITOR,
    HR_ADMIN,
    LEARNER,
    LINE_MANAGER,
    ROLES,
    SITE_ADMIN,
    World,
    build_world,
)

# --- Outcomes -----------------------------------------------------------------------------------

OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
LOGIN = "302 to sign-in"
# A POST action that went through: a redirect elsewhere than sign-in, or the page again (a form
# with errors). Never 403 / 404 / 405, never a server error, never the sign-in page.
ALLOWED = "allowed"
# /healthz answers 503 when a backing service is down; either way it needs no sign-in.
HEALTH = (200, 503)

Outcome = int | str | tuple[int, ...]


def _login_path() -> str:
    return resolve_url(settings.LOGIN_URL)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == _login_path()


def matches(response, expected: Outcome) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return is_login_redirect(response)
    if expected == ALLOWED:
        return status < 500 and status not in (403, 404, 405) and not is_login_redirect(response)
    if isinstance(expected, tuple):
        return status in expected
    return status == expected


def describe(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


# --- The matrix ------------------------------------------------------------------------------


def public(outcome: Outcome = OK) -> dict[str, Outcome]:
    """Everyone, signed in or not, gets ``outcome``."""
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: Outcome = OK, **overrides: Outcome) -> dict[str, Outcome]:
    """Anonymous → sign-in; every signed-in role gets ``outcome`` (unless overridden)."""
    return {**dict.fromkeys(ROLES, outcome), ANONYMOUS: LOGIN, **overrides}


def only(*roles: str, ok: Outcome = OK, others: Outcome = FORBIDDEN, **overrides: Outcome):
    """``roles`` get ``ok``, other signed-in roles ``others``, anonymous → sign-in."""
    expected = {role: (ok if role in roles else others) for role in ROLES}
    return {**expected, ANONYMOUS: LOGIN, **overrides}


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    method: str = "GET"
    data: Callable[[World], dict] = field(default=lambda w: {})
    query: Callable[[World], str] = field(default=lambda w: "")


HR_ROLES = (HR_ADMIN, SITE_ADMIN)
CHANGE_ROLES = (CHANGE_OFFICE, SITE_ADMIN)
CHAMPION_ROLES = (CHAMPION, SITE_ADMIN)
READINESS = (CHANGE_OFFICE, HR_ADMIN, SITE_ADMIN)
# A champion's own objects: a site admin holds the Champion role but is nobody's champion.
MINE_AS_CHAMPION = {"ok": ALLOWED, SITE_ADMIN: NOT_FOUND}

EXPECTED: dict[str, Case] = {
    # Sign-in, password and two-step sign-in (lms.urls + django.contrib.auth.urls).
    "healthz": Case(public(HEALTH)),
    "login": Case({**public(ALLOWED), ANONYMOUS: OK}),  # signed in → sent on to the site
    "logout": Case(public(ALLOWED), method="POST"),
    "password_reset": Case(public(OK)),
    "password_reset_done": Case(public(OK)),
    "password_reset_confirm": Case(
        public(OK), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": Case(public(OK)),
    "password_change": Case(signed_in(OK)),
    "password_change_done": Case(signed_in(OK)),
    "mfa_verify": Case(signed_in(ALLOWED)),  # no authenticator yet → on to the setup page
    "mfa_setup": Case(signed_in(OK)),
    "wagtailcore_login": Case(public(OK)),
    # Wagtail's password-protected pages: no restriction exists, so nothing to unlock.
    "wagtailcore_authenticate_with_password": Case(
        public(NOT_FOUND),
        kwargs=lambda w: {"page_view_restriction_id": 999999, "page_id": w.course.pk},
    ),
    # HR and line managers (lms.staff_urls).
    "lms:compliance_report": Case(only(*HR_ROLES)),
    "lms:my_team": Case(only(LINE_MANAGER, SITE_ADMIN)),
    # Courses.
    "courses:catalogue": Case(signed_in(OK)),
    "courses:my_learning": Case(signed_in(OK)),
    "courses:enrol": Case(
        signed_in(ALLOWED), method="POST", kwargs=lambda w: {"course_id": w.course.pk}
    ),
    "courses:lesson_complete": Case(
        signed_in(ALLOWED), method="POST", kwargs=lambda w: {"lesson_id": w.lessons[1].pk}
    ),
    "courses:knowledge_check": Case(
        signed_in(ALLOWED),
        method="POST",
        kwargs=lambda w: {"lesson_id": w.lessons[0].pk, "block_id": w.knowledge_check_id},
        data=lambda w: {"answer": "1"},
    ),
    # Quizzes: the learner's own attempts; nobody else's, whatever their role.
    "assessments:quiz_start": Case(signed_in(OK), kwargs=lambda w: {"quiz_id": w.quiz.pk}),
    "assessments:attempt": Case(
        signed_in(NOT_FOUND, **{LEARNER: OK}), kwargs=lambda w: {"attempt_id": w.attempt.pk}
    ),
    "assessments:attempt_result": Case(
        signed_in(NOT_FOUND, **{LEARNER: OK}),
        kwargs=lambda w: {"attempt_id": w.attempt_done.pk},
    ),
    # Certificates: the owner, HR admins whose scope covers the owner (not B's), site admins.
    "assessments:certificate_download": Case(
        signed_in(NOT_FOUND, **{LEARNER: OK, SITE_ADMIN: OK}),
        kwargs=lambda w: {"pk": w.certificate.pk},
    ),
    "assessments:certificate_verify": Case(
        public(OK), kwargs=lambda w: {"code": w.certificate.code}
    ),
    "assessments:certificate_list": Case(only(*HR_ROLES)),
    "assessments:certificate_revoke": Case(
        only(SITE_ADMIN, **{HR_ADMIN: NOT_FOUND}), kwargs=lambda w: {"pk": w.certificate.pk}
    ),
    "assessments:certificate_exports": Case(only(*HR_ROLES)),
    "assessments:certificate_export_download": Case(
        only(SITE_ADMIN, **{HR_ADMIN: NOT_FOUND}),
        kwargs=lambda w: {"token": w.certificate_export.token},
    ),
    # Self-assessment.
    "assessments:self_assessment": Case(signed_in(OK)),
    # Nobody has a check open, so the step page sends them to the start page.
    "assessments:self_assessment_step": Case(signed_in(ALLOWED), kwargs=lambda w: {"number": 1}),
    "assessments:self_assessment_result": Case(
        signed_in(NOT_FOUND, **{LEARNER: OK}), kwargs=lambda w: {"pk": w.self_assessment.pk}
    ),
    "assessments:skills_overview": Case(only(HR_ADMIN, CHANGE_OFFICE, SITE_ADMIN)),
    # Individual results need assessments.view_individual_selfassessment, which no role's
    # group carries: only site admins.
    "assessments:skills_people": Case(only(SITE_ADMIN)),
    # Service rollouts and readiness.
    "champions:services": Case(only(*READINESS)),
    "champions:service_readiness": Case(
        only(*READINESS), kwargs=lambda w: {"slug": w.service.slug}
    ),
    "champions:readiness_report_request": Case(
        only(*READINESS, ok=ALLOWED), method="POST", kwargs=lambda w: {"slug": w.service.slug}
    ),
    "champions:readiness_report_download": Case(
        only(*READINESS),
        kwargs=lambda w: {"slug": w.service.slug, "report_id": w.readiness_report.pk},
    ),
    # Champion network.
    "champions:hub": Case(only(*CHAMPION_ROLES)),
    "champions:directory": Case(signed_in(OK)),
    "champions:nominate": Case(signed_in(OK)),
    "champions:nominations": Case(only(*CHANGE_ROLES)),
    "champions:nomination_decide": Case(
        only(*CHANGE_ROLES), kwargs=lambda w: {"pk": w.nomination.pk}
    ),
    "champions:award_badge": Case(only(*CHANGE_ROLES)),
    "champions:mentees": Case(only(*CHAMPION_ROLES)),
    "champions:mentee_detail": Case(
        only(CHAMPION, **{SITE_ADMIN: NOT_FOUND}), kwargs=lambda w: {"pk": w.mentorship.pk}
    ),
    "champions:mentee_remove": Case(
        only(CHAMPION, **MINE_AS_CHAMPION),
        method="POST",
        kwargs=lambda w: {"pk": w.mentorship.pk},
    ),
    "champions:mentee_add": Case(
        only(CHAMPION, **MINE_AS_CHAMPION),
        method="POST",
        kwargs=lambda w: {"champion_id": w.champion.pk},
    ),
    "champions:sessions": Case(only(*CHAMPION_ROLES)),
    "champions:session_create": Case(only(*CHAMPION_ROLES)),
    "champions:office_hours_create": Case(only(*CHAMPION_ROLES)),
    "champions:office_hours": Case(signed_in(OK)),
    "champions:office_hours_book": Case(
        signed_in(ALLOWED), method="POST", kwargs=lambda w: {"pk": w.office_hours.pk}
    ),
    "champions:office_hours_cancel": Case(
        signed_in(ALLOWED), method="POST", kwargs=lambda w: {"pk": w.office_hours.pk}
    ),
    # Feedback: raising and one's own list for everyone; answering for the champions it is
    # routed to and the change office. The learner cannot open even their own item here.
    "champions:feedback_queue": Case(only(*CHANGE_ROLES)),
    "champions:feedback_create": Case(signed_in(OK)),
    "champions:feedback_mine": Case(signed_in(OK)),
    "champions:feedback_detail": Case(
        only(CHAMPION, *CHANGE_ROLES), kwargs=lambda w: {"pk": w.feedback.pk}
    ),
    "champions:feedback_answer": Case(
        only(CHAMPION, *CHANGE_ROLES, ok=ALLOWED),
        method="POST",
        kwargs=lambda w: {"pk": w.feedback.pk},
    ),
    "champions:feedback_escalate": Case(
        only(CHAMPION, *CHANGE_ROLES, ok=ALLOWED),
        method="POST",
        kwargs=lambda w: {"pk": w.feedback.pk},
    ),
    "champions:feedback_status": Case(
        only(*CHANGE_ROLES, ok=ALLOWED), method="POST", kwargs=lambda w: {"pk": w.feedback.pk}
    ),
    "champions:you_said_we_did": Case(signed_in(OK), kwargs=lambda w: {"slug": w.service.slug}),
}

# Wagtail's own URL trees, covered by the tests at the end of this module.
WAGTAIL_PREFIXES = ("admin/", "documents/", "django-admin/")
WAGTAIL_SERVE = "wagtail_serve"


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield route.lstrip("^"), name


def project_url_names() -> tuple[set[str], list[str]]:
    """Names of every URL outside Wagtail's trees, and routes of those without a name."""
    names: set[str] = set()
    unnamed: list[str] = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(WAGTAIL_PREFIXES) or name == WAGTAIL_SERVE:
            continue
        if name is None:
            unnamed.append(route)
        else:
            names.add(name)
    return names, unnamed


# --- The world, built once ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """The world, in a transaction rolled back when the module is done."""
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=world_media):
        with transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _world_media(_media_root, settings, world_media):
    """Files the world wrote (PDFs, the evidence pack) stay readable in every test."""
    settings.MEDIA_ROOT = world_media


def request_as(world: World, role: str, url: str, *, method: str = "GET", data=None):
    """One request as ``role``, in a savepoint rolled back afterwards."""
    cache.clear()  # rate limits are not what this module tests
    client = Client()
    with transaction.atomic():
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        response = getattr(client, method.lower())(url, data or {})
        transaction.set_rollback(True)
    return response


# --- Tests ----------------------------------------------------------------------------------------


def test_every_url_is_in_the_matrix():
    names, unnamed = project_url_names()
    assert not unnamed, f"URLs without a name cannot be in the matrix: {unnamed}"
    missing = sorted(names - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - names)
    assert not missing, f"URLs missing from EXPECTED (decide who may open them): {missing}"
    assert not stale, f"EXPECTED lists URLs that no longer exist: {stale}"


def test_every_case_covers_every_role():
    incomplete = {name: set(ROLES) - case.expected.keys() for name, case in EXPECTED.items()}
    assert not {name: roles for name, roles in incomplete.items() if roles}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_matrix(world, name, role):
    case = EXPECTED[name]
    url = reverse(name, kwargs=case.kwargs(world)) + case.query(world)
    response = request_as(world, role, url, method=case.method, data=case.data(world))
    expected = case.expected[role]
    assert matches(response, expected), (
        f"{case.method} {url} as {role}: got {describe(response)}, expected {expected}"
    )


# POST-only views refuse GET (405) even for someone who may POST (a site admin holds every
# role); what the matrix asserts for them is the POST.
POST_ONLY = sorted(name for name, case in EXPECTED.items() if case.method == "POST")


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(world, name):
    url = reverse(name, kwargs=EXPECTED[name].kwargs(world))
    response = request_as(world, SITE_ADMIN, url)
    assert response.status_code == 405, f"GET {url}: got {describe(response)}"


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.label != "sessions.Session"
    }


DENIED = (LOGIN, FORBIDDEN, NOT_FOUND)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_refused_posts_change_nothing(world, name):
    """A POST answered with sign-in, 403 or 404 writes no row anywhere (audit log included)."""
    case = EXPECTED[name]
    url = reverse(name, kwargs=case.kwargs(world))
    changed = []
    for role in ROLES:
        if case.expected[role] not in DENIED:
            continue
        client = Client()
        with transaction.atomic():
            if world.user(role) is not None:
                client.force_login(world.user(role))
            before = _row_counts()
            client.post(url, case.data(world))
            after = _row_counts()
            transaction.set_rollback(True)
        diff = {
            label: after[label] - count for label, count in before.items() if after[label] != count
        }
        if diff:
            changed.append(f"{role}: {diff}")
    assert not changed, f"POST {url} was refused but changed rows:\n" + "\n".join(changed)


# --- Wagtail's URLs -------------------------------------------------------------------------------

ADMIN_USERS = (HR_ADMIN, CHANGE_OFFICE, EDITOR, SITE_ADMIN)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_wagtail_admin(world, role):
    """Learners, managers and champions stay on the staff site; admin roles get the dashboard."""
    response = request_as(world, role, "/admin/")
    if role in ADMIN_USERS:
        assert response.status_code == 200, describe(response)
    elif role == ANONYMOUS:
        assert is_login_redirect(response), describe(response)
    else:
        assert is_login_redirect(response) or response.status_code == 403, describe(response)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_wagtail_documents_missing(world, role):
    """Wagtail's document URLs: a missing document is 404 for everyone, never a 500."""
    response = request_as(world, role, "/documents/999999/missing.pdf")
    assert response.status_code == 404, describe(response)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_course_and_lesson_pages(world, role):
    """Course and lesson pages are for signed-in staff: anonymous → sign-in, everyone else 200
    (the course is open to self-enrolment)."""
    for page in (world.course, world.lessons[0]):
        response = request_as(world, role, page.url)
        if role == ANONYMOUS:
            assert is_login_redirect(response), f"{page.url}: {describe(response)}"
        else:
            assert response.status_code == 200, f"{page.url}: {describe(response)}"


# --- Object-level cases ---------------------------------------------------------------------------


def _as(world, user, url, *, method="GET", data=None):
    cache.clear()
    client = Client()
    with transaction.atomic():
        client.force_login(user)
        response = getattr(client, method.lower())(url, data or {})
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
def test_learner_cannot_reach_another_learners_records(world):
    """Changing the id in the URL to another learner's record gives 404 (the learner's own: 200)."""
    learner = world.user(LEARNER)
    cases = [
        ("assessments:attempt", "attempt_id", world.attempt, world.other_attempt),
        ("assessments:attempt_result", "attempt_id", world.attempt_done, world.other_attempt_done),
        ("assessments:certificate_download", "pk", world.certificate, world.other_certificate),
        (
            "assessments:self_assessment_result",
            "pk",
            world.self_assessment,
            world.other_self_assessment,
        ),
    ]
    for name, kwarg, own, others in cases:
        mine = _as(world, learner, reverse(name, kwargs={kwarg: own.pk}))
        assert mine.status_code == 200, f"{name} own: {describe(mine)}"
        theirs = _as(world, learner, reverse(name, kwargs={kwarg: others.pk}))
        assert theirs.status_code == 404, f"{name} other learner's: {describe(theirs)}"


@pytest.mark.django_db
def test_learner_cannot_open_any_concern(world):
    """Feedback items are opened by the champions they are routed to and the change office;
    a learner gets 403 for someone else's concern (and their own: they follow it on "mine")."""
    learner = world.user(LEARNER)
    for item in (world.other_feedback, world.feedback):
        response = _as(world, learner, reverse("champions:feedback_detail", args=[item.pk]))
        assert response.status_code == 403, describe(response)
    mine = _as(world, learner, reverse("champions:feedback_mine"))
    assert mine.status_code == 200
    assert world.feedback.title in mine.content.decode()
    assert world.other_feedback.title not in mine.content.decode()


@pytest.mark.django_db
def test_champion_reaches_only_routed_concerns(world):
    champion = world.user(CHAMPION)
    routed = _as(
        world, champion, reverse("champions:feedback_detail", args=[world.other_feedback.pk])
    )
    assert routed.status_code == 200, describe(routed)
    elsewhere = reverse("champions:feedback_detail", args=[world.feedback_elsewhere.pk])
    assert _as(world, champion, elsewhere).status_code == 404
    answer = reverse("champions:feedback_answer", args=[world.feedback_elsewhere.pk])
    assert _as(world, champion, answer, method="POST", data={"answer": "x"}).status_code == 404


@pytest.mark.django_db
def test_hr_admin_reaches_only_departments_in_scope(world):
    """HR admin B asking for department A's drill-down gets 403; HR admin A gets A and A1."""
    url = reverse("lms:compliance_report")
    hr_b, hr_a = world.user(HR_ADMIN), world.hr_admin_a
    a, a1, b = world.department_a.pk, world.department_a1.pk, world.department_b.pk
    assert _as(world, hr_b, f"{url}?drill_department={a}").status_code == 403
    assert _as(world, hr_b, f"{url}?drill_department={a1}").status_code == 403
    assert _as(world, hr_b, f"{url}?drill_department={a}&export=csv").status_code == 403
    assert _as(world, hr_b, f"{url}?drill_department={b}").status_code == 200
    assert _as(world, hr_a, f"{url}?drill_department={a}").status_code == 200
    assert _as(world, hr_a, f"{url}?drill_department={a1}").status_code == 200
    assert _as(world, hr_a, f"{url}?drill_department={b}").status_code == 403
    assert _as(world, world.user(SITE_ADMIN), f"{url}?drill_department={a}").status_code == 200


@pytest.mark.django_db
def test_hr_admin_certificates_follow_scope(world):
    """The learner (in A) certificate: HR admin A may download and revoke it, HR admin B not."""
    download = reverse("assessments:certificate_download", args=[world.certificate.pk])
    revoke = reverse("assessments:certificate_revoke", args=[world.certificate.pk])
    pack = reverse("assessments:certificate_export_download", args=[world.certificate_export.token])
    hr_a, hr_b = world.hr_admin_a, world.user(HR_ADMIN)
    assert _as(world, hr_a, download).status_code == 200
    assert _as(world, hr_a, revoke).status_code == 200
    assert _as(world, hr_a, pack).status_code == 200  # their own evidence pack
    assert _as(world, hr_b, download).status_code == 404
    assert _as(world, hr_b, revoke).status_code == 404
    assert _as(world, hr_b, revoke, method="POST", data={"reason": "No."}).status_code == 404
    assert _as(world, hr_b, pack).status_code == 404
    listing = _as(world, hr_b, reverse("assessments:certificate_list")).content.decode()
    assert world.certificate.code not in listing


@pytest.mark.django_db
def test_champion_reaches_only_their_mentees(world):
    champion = world.user(CHAMPION)
    own = reverse("champions:mentee_detail", args=[world.mentorship.pk])
    other = reverse("champions:mentee_detail", args=[world.other_mentorship.pk])
    assert _as(world, champion, own).status_code == 200
    assert _as(world, champion, other).status_code == 404
    remove = reverse("champions:mentee_remove", args=[world.other_mentorship.pk])
    assert _as(world, champion, remove, method="POST").status_code == 404
    second = world.other_mentorship.champion_id
    add = reverse("champions:mentee_add", args=[second])
    assert _as(world, champion, add, method="POST").status_code == 404


@pytest.mark.django_db
def test_line_manager_sees_only_their_reports(world):
    manager = world.user(LINE_MANAGER)
    url = reverse("lms:my_team")
    page = _as(world, manager, url).content.decode()
    learner, other = world.user(LEARNER), world.other_learner
    assert learner.get_full_name() in page
    assert other.get_full_name() not in page
    assert _as(world, manager, f"{url}?person={learner.profile.pk}").status_code == 200
    assert _as(world, manager, f"{url}?person={other.profile.pk}").status_code == 404


@pytest.mark.django_db
def test_course_closed_to_self_enrolment(world):
    """A course only by assignment: a learner who is not enrolled cannot open or act on it."""
    learner = world.user(LEARNER)
    lesson = world.closed_lesson
    assert _as(world, learner, lesson.url).status_code == 403
    complete = reverse("courses:lesson_complete", args=[lesson.pk])
    assert _as(world, learner, complete, method="POST").status_code == 403

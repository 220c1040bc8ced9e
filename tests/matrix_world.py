"""The data the permission matrix requests pages against: two departments, two learners with
the same kinds of records, and one person per role (tests/test_permission_matrix.py).

Everything is made through the apps' services (enrolment, lesson progress, quiz attempts,
certificates, self-assessment, mentoring, feedback, reports) so the records look like real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.roles import Role
from tests.factories import DepartmentFactory, make_staff

# The roles of the matrix, in the order the tests request each URL.
ANONYMOUS = "anonymous"
LEARNER = "learner"
LINE_MANAGER = "line_manager"
CHAMPION = "champion"
HR_ADMIN = "hr_admin"  # scoped to department B only: the learners are in A
CHANGE_OFFICE = "change_office"
EDITOR = "editor"
SITE_ADMIN = "site_admin"

ROLES = (
    ANONYMOUS,
    LEARNER,
    LINE_MANAGER,
    CHAMPION,
    HR_ADMIN,
    CHANGE_OFFICE,
    EDITOR,
    SITE_ADMIN,
)


@dataclass
class World:
    """Ids and objects the matrix builds its URLs from (use ``pk``s: tests roll back)."""

    department_a: object = None
    department_a1: object = None
    department_b: object = None
    users: dict[str, object] = field(default_factory=dict)
    # Extra people for object-level cases.
    hr_admin_a: object = None
    other_learner: object = None
    other_manager: object = None
    a1_staff: object = None
    # The learner's records and the other learner's records of the same kinds.
    course: object = None
    lessons: list = field(default_factory=list)
    closed_course: object = None
    closed_lesson: object = None
    knowledge_check_id: str = ""
    quiz: object = None
    attempt: object = None  # the learner's open attempt
    attempt_done: object = None  # the learner's submitted attempt
    other_attempt: object = None
    other_attempt_done: object = None
    certificate: object = None
    other_certificate: object = None
    self_assessment: object = None
    other_self_assessment: object = None
    feedback: object = None  # raised by the learner, routed to the champion
    other_feedback: object = None  # raised by the other learner
    feedback_elsewhere: object = None  # a service in B: not routed to the champion
    # Champion network.
    service: object = None
    service_b: object = None
    champion: object = None  # the champion user's championship (service, department A)
    mentorship: object = None  # champion → learner
    other_mentorship: object = None  # another champion → other learner
    nomination: object = None
    office_hours: object = None
    readiness_report: object = None
    certificate_export: object = None

    def user(self, role: str):
        return self.users.get(role)


def _staff(*roles: Role, username: str, department, **kwargs):
    return make_staff(*roles, user__username=username, department=department, **kwargs).user


def _course(title: str, *, lessons: int, allow_self_enrol: bool = True):
    from tests.courses.factories import knowledge_check, make_course

    body = [
        ("paragraph", "<p>Read this first.</p>"),
        ("knowledge_check", knowledge_check()),
    ]
    return make_course(title, lessons=lessons, body=body, allow_self_enrol=allow_self_enrol)


def _attempts(user, quiz):
    """A submitted attempt and an open one (the quiz allows several)."""
    from assessments.services.quizzes import attempt_start, attempt_submit

    done = attempt_submit(attempt=attempt_start(user=user, quiz=quiz))
    return attempt_start(user=user, quiz=quiz), done


def _certificate(user):
    """A course certificate for ``user``, issued as the outbox task would."""
    from assessments.services.certificates import certificate_issue_for_completion
    from tests.assessments.factories import complete_course, make_course

    completion = complete_course(user, make_course(f"Certificate course for {user.username}"))
    return certificate_issue_for_completion(completion_id=completion.pk)[0]


def build_world() -> World:
    """Create the whole world (about a second on SQLite)."""
    from assessments.services.certificates import (
        certificate_export_build,
        certificate_export_create,
    )
    from champions.models import ChampionStatus, FeedbackKind
    from champions.services.feedback import feedback_create
    from champions.services.mentoring import mentorship_add
    from champions.services.readiness import readiness_report_generate, readiness_report_request
    from cms.services import site_ensure_default
    from courses.models import LessonPage
    from courses.services import enrolment_create, lesson_complete
    from tests.assessments.factories import make_question, make_quiz, take_selfassessment
    from tests.champions.factories import make_champion, make_office_hours, make_service
    from tests.courses.factories import lessons_of

    site_ensure_default()
    world = World()
    a = world.department_a = DepartmentFactory(name="Matrix department A")
    world.department_a1 = DepartmentFactory(name="Matrix department A1", parent=a)
    b = world.department_b = DepartmentFactory(name="Matrix department B")

    # People, one per role; the learners and their managers are in A.
    manager = _staff(Role.LINE_MANAGER, username="m-manager", department=a)
    world.other_manager = _staff(Role.LINE_MANAGER, username="m-manager2", department=a)
    learner = _staff(username="m-learner", department=a, manager=manager.profile)
    other = world.other_learner = _staff(
        username="m-learner2", department=a, manager=world.other_manager.profile
    )
    world.a1_staff = _staff(username="m-a1", department=world.department_a1)
    champion_user = _staff(username="m-champion", department=a)
    hr_b = _staff(Role.HR_ADMIN, username="m-hr-b", department=b)
    hr_b.profile.hr_departments.set([b])
    hr_a = world.hr_admin_a = _staff(Role.HR_ADMIN, username="m-hr-a", department=a)
    hr_a.profile.hr_departments.set([a])
    change_office = _staff(Role.CHANGE_OFFICE, username="m-change", department=b)
    editor = _staff(Role.CONTENT_EDITOR, username="m-editor", department=b)
    site_admin = _staff(Role.SITE_ADMIN, username="m-admin", department=b)
    site_admin.is_superuser = site_admin.is_staff = True
    site_admin.save(update_fields=["is_superuser", "is_staff"])
    world.users = {
        ANONYMOUS: None,
        LEARNER: learner,
        LINE_MANAGER: manager,
        CHAMPION: champion_user,
        HR_ADMIN: hr_b,
        CHANGE_OFFICE: change_office,
        EDITOR: editor,
        SITE_ADMIN: site_admin,
    }

    # Courses: one open to self-enrolment with a final quiz, one only by assignment.
    world.course = _course("Matrix course", lessons=2)
    world.lessons = lessons_of(world.course)
    world.knowledge_check_id = next(
        block.id for block in world.lessons[0].body if block.block_type == "knowledge_check"
    )
    world.closed_course = _course("Matrix closed course", lessons=1, allow_self_enrol=False)
    world.closed_lesson = LessonPage.objects.child_of(world.closed_course).live().first()
    for person in (learner, other):
        enrolment_create(user=person, course=world.course)
        lesson_complete(user=person, lesson=world.lessons[0])
    world.quiz = make_quiz(
        course=world.course, questions=[make_question()], attempts_allowed=0, pass_mark=100
    )
    world.attempt, world.attempt_done = _attempts(learner, world.quiz)
    world.other_attempt, world.other_attempt_done = _attempts(other, world.quiz)

    world.certificate = _certificate(learner)
    world.other_certificate = _certificate(other)
    world.self_assessment = take_selfassessment(learner)
    world.other_self_assessment = take_selfassessment(other)

    # Champion network: a service rolled out to A, its champion mentors the learner only.
    world.service = make_service(name="Matrix permits", departments=[a], actor=change_office)
    world.service_b = make_service(name="Matrix parking", departments=[b], actor=change_office)
    world.champion = make_champion(user=champion_user, service=world.service, department=a)
    second_champion = make_champion(
        user=_staff(username="m-champion2", department=a), service=world.service, department=a
    )
    world.mentorship = mentorship_add(champion=world.champion, mentee=learner, actor=champion_user)
    world.other_mentorship = mentorship_add(
        champion=second_champion, mentee=other, actor=second_champion.user
    )
    world.nomination = make_champion(
        user=_staff(username="m-nominee", department=a),
        service=world.service,
        department=a,
        status=ChampionStatus.NOMINATED,
    )
    world.office_hours = make_office_hours(champion=world.champion)
    concern = {"kind": FeedbackKind.CONCERN, "body": "The form times out."}
    world.feedback = feedback_create(
        user=learner, service=world.service, department=a, title="Times out", **concern
    )
    world.other_feedback = feedback_create(
        user=other, service=world.service, department=a, title="Also times out", **concern
    )
    world.feedback_elsewhere = feedback_create(
        user=hr_b, service=world.service_b, department=b, title="Parking", **concern
    )

    # Reports: a ready go / no-go PDF and a ready evidence pack of HR admin A.
    report = readiness_report_request(service=world.service, actor=change_office)
    world.readiness_report = readiness_report_generate(report_id=report.pk)
    export = certificate_export_create(requested_by=hr_a, filters={})
    world.certificate_export = certificate_export_build(export_id=export.pk)
    return world

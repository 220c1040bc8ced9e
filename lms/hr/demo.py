"""Demo data of HR: three curricula and a few standing assignment rules (idempotent).

Courses come from courses/demo.py, looked up by slug; a missing course is skipped with a
message. The demo learner ends up with several assignments, one of them overdue.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lms.models import Assignment, AssignmentRule, Curriculum, CurriculumCourse, Department, DueMode

CURRICULA = {
    "Permit counter digital essentials": [
        "online-permits-portal",
        "handling-residents-personal-data",
        "video-calls-with-residents",
    ],
    "Everyone: cyber safety basics": [
        "spotting-phishing-emails",
        "handling-residents-personal-data",
    ],
    "Digital champion toolkit": [
        "working-in-shared-documents",
        "making-accessible-documents",
        "video-calls-with-residents",
    ],
}


def _courses(slugs, say):
    from courses.models import CoursePage

    found = {page.slug: page for page in CoursePage.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            say(f"  hr: course '{slug}' not found (run courses.demo first); skipped")
    return [found[slug] for slug in slugs if slug in found]


def seed(stdout=None, users=None, **ctx) -> dict:
    """Create the curricula and rules; returns the curricula by name."""
    from .services import assignment_rule_apply, assignment_rule_create

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    curricula = {}
    for name, slugs in CURRICULA.items():
        curriculum, _created = Curriculum.objects.get_or_create(name=name)
        for index, course in enumerate(_courses(slugs, say)):
            CurriculumCourse.objects.get_or_create(
                curriculum=curriculum, course=course, defaults={"sort_order": index}
            )
        curricula[name] = curriculum

    rules = 0
    portal = _courses(["online-permits-portal"], say)
    permits = Department.objects.filter(name="Permits & Licensing").first()
    if portal and permits is not None:
        rule = AssignmentRule.objects.filter(name="Permits & Licensing: permit portal").first()
        if rule is None:
            assignment_rule_create(
                name="Permits & Licensing: permit portal",
                course=portal[0],
                departments=[permits],
                due_mode=DueMode.AFTER_ASSIGNMENT,
                due_days=30,
            )
        else:
            assignment_rule_apply(rule=rule)
        rules += 1
    phishing = _courses(["spotting-phishing-emails"], say)
    if phishing:
        rule = AssignmentRule.objects.filter(name="Everyone: phishing, yearly").first()
        if rule is None:
            assignment_rule_create(
                name="Everyone: phishing, yearly",
                course=phishing[0],
                everyone=True,
                due_mode=DueMode.AFTER_ASSIGNMENT,
                due_days=14,
                recertify_months=12,
            )
        else:
            assignment_rule_apply(rule=rule)
        rules += 1
    essentials = curricula["Permit counter digital essentials"]
    counter = Department.objects.filter(name="Building Permits Counter").first()
    if counter is not None and essentials.items.exists():
        rule = AssignmentRule.objects.filter(name="Permit counter: digital essentials").first()
        if rule is None:
            assignment_rule_create(
                name="Permit counter: digital essentials",
                curriculum=essentials,
                departments=[counter],
                required=False,
                due_mode=DueMode.AFTER_START,
                due_days=60,
            )
        else:
            assignment_rule_apply(rule=rule)
        rules += 1

    # One overdue item for the demo learner, so reminders and reports have something to show.
    learner = (users or {}).get("learner")
    if learner is not None and phishing:
        Assignment.objects.filter(user=learner, course=phishing[0], cycle=1).exclude(
            enrolment__completed_at__isnull=False
        ).update(due_date=timezone.localdate() - dt.timedelta(days=5))
    say(f"  hr: {len(curricula)} curricula, {rules} assignment rules")
    return {"curricula": curricula}

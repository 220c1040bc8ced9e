"""Course completion rule added by assessments (listed in settings.COURSE_COMPLETION_REQUIREMENTS)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Attempt, AttemptState, Quiz


def course_quiz_requirement(enrolment) -> str | None:
    """ "Pass the course quiz" when the course has an open final quiz that must be passed and the
    person has no passed attempt in the enrolment's current cycle; None otherwise."""
    course = enrolment.course
    if not course.require_quiz_pass:
        return None
    quiz = Quiz.objects.filter(course_id=course.pk, is_live=True).only("pk", "pass_mark").first()
    if quiz is None:
        return None
    passed = Attempt.objects.filter(
        quiz=quiz,
        user_id=enrolment.user_id,
        cycle=enrolment.cycle,
        state=AttemptState.SUBMITTED,
        passed=True,
    ).exists()
    if passed:
        return None
    return _("Pass the course quiz (pass mark %(mark)d%%).") % {"mark": quiz.pass_mark}

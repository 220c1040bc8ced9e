"""The course quiz panel on a course page (listed in settings.COURSE_PAGE_PANELS)."""

from __future__ import annotations

from .selectors.quizzes import course_quiz_for, quiz_status_for


def course_quiz_panel(request, page) -> dict | None:
    """The course's final quiz and the person's status with it; None when there is no quiz.

    Three queries at most: the quiz, the enrolment and the person's attempts.
    """
    quiz = course_quiz_for(page)
    if quiz is None:
        return None
    status = (
        quiz_status_for(request.user, page, quiz=quiz) if request.user.is_authenticated else None
    )
    return {
        "template": "assessments/quiz/includes/course_quiz_panel.html",
        "context": {"quiz": quiz, "quiz_status": status},
    }

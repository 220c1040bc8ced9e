"""Read-side queries of quizzes: the course quiz and a learner's status, attempt pages, review,
and item analysis for editors and HR."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from wagtail.whitelist import Whitelister

from courses.models import CoursePage, Enrolment

from ..grading import FULL, Grade, grade, matching_options, matching_prompts
from ..models import Attempt, AttemptQuestion, AttemptState, Quiz
from ..services.quizzes import option_order


def course_quiz_for(course: CoursePage) -> Quiz | None:
    """The open final quiz of a course, or None."""
    return Quiz.objects.filter(course=course, is_live=True).order_by("pk").first()


def live_quizzes() -> QuerySet[Quiz]:
    """Quizzes learners may open."""
    return Quiz.objects.filter(is_live=True).select_related("course", "lesson")


@dataclass
class QuizStatus:
    """Where a person stands with a quiz in their current course cycle."""

    quiz: Quiz
    cycle: int
    attempts_used: int
    passed: bool
    best_percent: float | None
    open_attempt: Attempt | None
    last_attempt: Attempt | None

    @property
    def attempts_left(self) -> int | None:
        """None when attempts are unlimited."""
        if not self.quiz.attempts_allowed:
            return None
        return max(0, self.quiz.attempts_allowed - self.attempts_used)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.attempts_left != 0


def quiz_status(*, user, quiz: Quiz, enrolment: Enrolment | None = None) -> QuizStatus:
    """The person's attempts at ``quiz`` in the current cycle of their enrolment (two queries:
    the enrolment when not given, and the attempts; a lesson quiz adds its lesson's course)."""
    if enrolment is None:
        course_id = quiz.course_id
        if course_id is None and quiz.lesson_id:
            parent = quiz.lesson.get_parent()
            course_id = parent.pk if parent is not None else None
        if course_id is not None:
            enrolment = Enrolment.objects.filter(user=user, course_id=course_id).first()
    cycle = enrolment.cycle if enrolment is not None else 1
    attempts = list(Attempt.objects.filter(quiz=quiz, user=user, cycle=cycle).order_by("-number"))
    submitted = [a for a in attempts if a.state == AttemptState.SUBMITTED]
    return QuizStatus(
        quiz=quiz,
        cycle=cycle,
        attempts_used=len(attempts),
        passed=any(a.passed for a in submitted),
        best_percent=max((a.percent for a in submitted if a.percent is not None), default=None),
        open_attempt=next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None),
        last_attempt=submitted[0] if submitted else None,
    )


def quiz_status_for(user, course: CoursePage, *, quiz: Quiz | None = None) -> QuizStatus | None:
    """The person's status with the course's final quiz, or None when there is none."""
    quiz = quiz or course_quiz_for(course)
    if quiz is None:
        return None
    return quiz_status(user=user, quiz=quiz)


def attempt_for_user(*, user, attempt_id: int) -> Attempt | None:
    """The person's own attempt, or None (another person's attempt is never returned)."""
    return (
        Attempt.objects.filter(pk=attempt_id, user=user)
        .select_related("quiz", "quiz__course")
        .first()
    )


# --- Showing questions -------------------------------------------------------------------------


def question_html(text: str, text_format: str = "html") -> SafeString:
    """A question or feedback text as safe HTML: HTML is cleaned, other formats escaped."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    if text_format == "html":
        return mark_safe(Whitelister().clean(text))  # noqa: S308 - cleaned by Wagtail's whitelister
    return mark_safe(linebreaks(escape(text)))  # noqa: S308 - escaped


@dataclass
class Option:
    value: int
    text: SafeString


@dataclass
class SlotView:
    """One question of an attempt as the page shows it, options in the attempt's order."""

    slot: AttemptQuestion
    qtype: str
    text: SafeString
    options: list[Option] = field(default_factory=list)
    # Matching: (pair index, prompt); ordering: (item index, item text).
    rows: list[tuple[int, str]] = field(default_factory=list)
    # Review only.
    grade: Grade | None = None
    right_answer: list[str] = field(default_factory=list)
    feedback: list[SafeString] = field(default_factory=list)

    @property
    def position(self) -> int:
        return self.slot.position


def slot_view(slot: AttemptQuestion, *, seed: int, shuffle: bool) -> SlotView:
    """Build what the page shows for one slot. Never includes which answer is right."""
    content = slot.version.content
    qtype = content["qtype"]
    view = SlotView(
        slot=slot,
        qtype=qtype,
        text=question_html(content["text"], content.get("text_format", "html")),
    )
    may_shuffle = shuffle and content.get("shuffle", True)
    if qtype in ("single_choice", "multiple_response", "true_false"):
        choices = content["choices"]
        order = option_order(
            seed=seed,
            position=slot.position,
            count=len(choices),
            shuffle=may_shuffle and qtype != "true_false",
        )
        view.options = [Option(i, question_html(choices[i]["text"], "html")) for i in order]
    elif qtype == "matching":
        options = matching_options(content)
        order = option_order(
            seed=seed, position=slot.position, count=len(options), shuffle=may_shuffle
        )
        view.options = [Option(i, escape(options[i])) for i in order]
        view.rows = matching_prompts(content)
    elif qtype == "ordering":
        items = content["order"]
        # Ordering items are always shown shuffled: their file order is the answer.
        order = option_order(seed=seed, position=slot.position, count=len(items), shuffle=True)
        view.rows = [(i, items[i]) for i in order]
        view.options = [Option(n, str(n)) for n in range(1, len(items) + 1)]
    return view


def attempt_pages(attempt: Attempt) -> int:
    """How many pages the attempt has."""
    return attempt.slots.aggregate(pages=Max("page"))["pages"] or 1


def attempt_slot_views(attempt: Attempt, *, page: int | None = None) -> list[SlotView]:
    """The questions of one page of an attempt (or all of them), ready to render."""
    slots = attempt.slots.select_related("version").order_by("position")
    if page is not None:
        slots = slots.filter(page=page)
    return [slot_view(s, seed=attempt.seed, shuffle=attempt.quiz.shuffle_options) for s in slots]


def right_answer_texts(content: dict) -> list[str]:
    """The right answer(s) of a question in words, for the review after submitting."""
    qtype = content["qtype"]
    if qtype in ("single_choice", "true_false"):
        best = max((c["fraction"] for c in content["choices"]), default=0)
        return [c["text"] for c in content["choices"] if c["fraction"] >= best and best > 0]
    if qtype == "multiple_response":
        return [c["text"] for c in content["choices"] if c["fraction"] > 0]
    if qtype in ("short_text", "numeric"):
        texts = []
        for answer in content["answers"]:
            if answer["fraction"] >= FULL and answer["text"] != "*":
                tolerance = answer.get("tolerance") or 0
                texts.append(
                    f"{answer['text']} ± {tolerance:g}"
                    if qtype == "numeric" and tolerance
                    else answer["text"]
                )
        return texts
    if qtype == "matching":
        return [
            f"{prompt} → {content['pairs'][i]['answer']}" for i, prompt in matching_prompts(content)
        ]
    if qtype == "ordering":
        return list(content["order"])
    return []


def attempt_review(attempt: Attempt) -> list[SlotView]:
    """Every question of a submitted attempt with its grade, right answers and feedback.

    The template shows only what the quiz settings allow.
    """
    views = attempt_slot_views(attempt)
    for view in views:
        content = view.slot.version.content
        view.grade = grade(content, view.slot.response)
        view.right_answer = right_answer_texts(content)
        view.feedback = [question_html(text, "html") for text in view.grade.feedback]
    return views


def response_summary(view: SlotView) -> str:
    """The learner's answer in words (for the review)."""
    content = view.slot.version.content
    response = view.slot.response
    qtype = view.qtype
    if response in (None, "", [], {}):
        return ""
    if qtype in ("single_choice", "true_false"):
        try:
            return content["choices"][int(response)]["text"]
        except (TypeError, ValueError, IndexError):
            return ""
    if qtype == "multiple_response":
        chosen = []
        for item in response:
            try:
                chosen.append(content["choices"][int(item)]["text"])
            except (TypeError, ValueError, IndexError):
                continue
        return "; ".join(chosen)
    if qtype == "matching":
        options = matching_options(content)
        parts = []
        for index, prompt in matching_prompts(content):
            chosen = response.get(str(index))
            try:
                parts.append(f"{prompt} → {options[int(chosen)]}")
            except (TypeError, ValueError, IndexError):
                continue
        return "; ".join(parts)
    if qtype == "ordering":
        items = content["order"]
        placed = sorted(
            (int(pos), items[int(idx)])
            for idx, pos in response.items()
            if str(pos).isdigit() and str(idx).isdigit() and int(idx) < len(items)
        )
        return "; ".join(f"{pos}. {text}" for pos, text in placed)
    return str(response)


# --- Item analysis -----------------------------------------------------------------------------


@dataclass
class ItemRow:
    question_id: int
    name: str
    attempts: int
    answered_right: int
    average_fraction: float | None

    @property
    def percent_right(self) -> float:
        return round(100 * self.answered_right / self.attempts, 1) if self.attempts else 0.0

    @property
    def average_percent(self) -> float | None:
        return None if self.average_fraction is None else round(100 * self.average_fraction, 1)


def quiz_item_analysis(quiz: Quiz) -> list[ItemRow]:
    """Per question of a quiz (all versions together): how many submitted attempts had it, how
    often it was answered right, and the average credit. One aggregate query."""
    rows = (
        AttemptQuestion.objects.filter(attempt__quiz=quiz, attempt__state=AttemptState.SUBMITTED)
        .values("version__question_id", "version__question__name")
        .annotate(
            attempts=Count("pk"),
            answered_right=Count("pk", filter=Q(fraction__gte=FULL)),
            average_fraction=Avg("fraction"),
        )
        .order_by("version__question__name", "version__question_id")
    )
    return [
        ItemRow(
            question_id=row["version__question_id"],
            name=row["version__question__name"],
            attempts=row["attempts"],
            answered_right=row["answered_right"],
            average_fraction=row["average_fraction"],
        )
        for row in rows
    ]


def quiz_attempt_summary(quiz: Quiz) -> dict:
    """Counts for the item analysis header: submitted attempts, passes, average percent."""
    return Attempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED).aggregate(
        submitted=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
        average_percent=Avg("percent"),
    )

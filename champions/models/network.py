"""The champion network: champions, mentoring, office hours, recognition and staff feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Badge",
    "BadgeAward",
    "Champion",
    "ChampionStatus",
    "Feedback",
    "FeedbackKind",
    "FeedbackStatus",
    "MentoringSession",
    "Mentorship",
    "OfficeHours",
    "OfficeHoursBooking",
]


class ChampionStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    STEPPED_DOWN = "stepped_down", _("Stepped down")


class Champion(models.Model):
    """A person who supports colleagues in one department with one digital service.

    Starts as a nomination (by the person or their line manager); the change office approves
    or declines it with a reason.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="championships",
    )
    service = models.ForeignKey(
        "champions.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="champions",
    )
    department = models.ForeignKey(
        "lms.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="champions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ChampionStatus.choices, default=ChampionStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    motivation = models.TextField(_("why this person"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # "Sent" marker of the decision e-mail, so a redelivered task does not send it twice.
    decision_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["service__name", "department__name", "user__last_name", "user__first_name"]
        verbose_name = _("champion")
        verbose_name_plural = _("champions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "department"], name="unique_champion_per_service_dept"
            )
        ]
        indexes = [models.Index(fields=["service", "status", "department"])]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} · {self.service} · {self.department}"


class Mentorship(models.Model):
    """A champion supports a colleague (their mentee) with the champion's service.

    A person has at most one mentor per service, hence ``service`` copied from the champion.
    """

    champion = models.ForeignKey(
        Champion, verbose_name=_("champion"), on_delete=models.CASCADE, related_name="mentorships"
    )
    service = models.ForeignKey(
        "champions.Service", on_delete=models.CASCADE, related_name="mentorships"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["mentee__last_name", "mentee__first_name"]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.UniqueConstraint(fields=["service", "mentee"], name="one_mentor_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.mentee} ← {self.champion}"


class MentoringSession(models.Model):
    """A mentoring session a champion held with some of their mentees."""

    champion = models.ForeignKey(
        Champion,
        verbose_name=_("champion"),
        on_delete=models.CASCADE,
        related_name="mentoring_sessions",
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendees"),
        related_name="mentoring_sessions_attended",
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class OfficeHours(models.Model):
    """A drop-in session a champion hosts; staff book a seat, up to ``capacity``."""

    champion = models.ForeignKey(
        Champion, verbose_name=_("host"), on_delete=models.CASCADE, related_name="office_hours"
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("location or link"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="office_hours_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} {self.topic or self.location}"


class OfficeHoursBooking(models.Model):
    """One seat at a drop-in session."""

    office_hours = models.ForeignKey(OfficeHours, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hours_bookings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("office hours booking")
        verbose_name_plural = _("office hours bookings")
        constraints = [
            models.UniqueConstraint(fields=["office_hours", "user"], name="one_booking_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.office_hours}"


class Badge(models.Model):
    """A recognition badge the change office awards to champions, e.g. "Top mentor"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("can be awarded"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    """A badge given to a champion, with the reason, once per person and badge."""

    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.PROTECT, related_name="awards"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("champion"),
        on_delete=models.CASCADE,
        related_name="badge_awards",
    )
    reason = models.TextField(_("reason"))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("awarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)

    class Meta:
        ordering = ["-awarded_at"]
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        constraints = [
            models.UniqueConstraint(fields=["badge", "user"], name="one_award_per_badge_person")
        ]

    def __str__(self) -> str:
        return f"{self.badge} → {self.user}"


class FeedbackKind(models.TextChoices):
    CONCERN = "concern", _("Concern")
    QUESTION = "question", _("Question")
    IDEA = "idea", _("Idea")


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    ESCALATED = "escalated", _("Escalated to the change office")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    WONT_DO = "wont_do", _("Won't do")


class Feedback(models.Model):
    """A concern, question or idea from staff about a service ("you said, we did").

    Anonymous items store no identity at all: ``author`` is NULL, no IP or audit row is kept,
    and ``created_at``/``updated_at`` are rounded to the day so they cannot be joined to access
    logs. Timestamps are therefore set by the services, not by ``auto_now``.
    """

    service = models.ForeignKey(
        "champions.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    department = models.ForeignKey(
        "lms.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeedbackKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    public_answer = models.TextField(_("public answer"), blank=True)
    escalation_note = models.TextField(_("note to the change office"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # "Sent" markers of the notification e-mails (flags, not times: no timestamp to join on).
    champions_notified = models.BooleanField(default=False, editable=False)
    author_notified_status = models.CharField(max_length=12, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["service", "status", "department"])]

    def __str__(self) -> str:
        return self.title

"""The organisation core: departments, job roles and a staff profile for every person.

HR models (curricula, assignments, roster imports) live in ``lms.hr`` modules and are
re-exported here so Django finds them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A unit of the organisation: directorate → department → team, through ``parent``."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    code = models.CharField(_("code"), max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Walk up the chain: a department may not end up as its own ancestor.
        seen = {self.pk}
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("A department cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent


class RoleFamily(models.TextChoices):
    FRONTLINE = "frontline", _("Frontline")
    SUPERVISOR = "supervisor", _("Supervisor")
    SPECIALIST = "specialist", _("Specialist")
    IT = "it", _("IT")
    MANAGER = "manager", _("Manager")


class JobRole(models.Model):
    """A job title as HR knows it, grouped into a role family for targeting training."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    family = models.CharField(
        _("role family"), max_length=20, choices=RoleFamily.choices, default=RoleFamily.FRONTLINE
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")

    def __str__(self) -> str:
        return self.name


class StaffStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEAVER = "leaver", _("Leaver")


class StaffProfile(models.Model):
    """Everything the organisation knows about one member of staff, beside their user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    employee_id = models.CharField(_("employee ID"), max_length=50, unique=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    job_role = models.ForeignKey(
        JobRole,
        verbose_name=_("job role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("line manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    location = models.CharField(_("location"), max_length=150, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StaffStatus.choices, default=StaffStatus.ACTIVE
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    # HR admins see the departments listed here (and their sub-departments), or everything.
    hr_all_departments = models.BooleanField(
        _("HR scope: whole organisation"),
        default=False,
        help_text=_("For HR admins: see every department, not only those listed below."),
    )
    hr_departments = models.ManyToManyField(
        Department,
        verbose_name=_("HR scope: departments"),
        blank=True,
        related_name="hr_admins",
        help_text=_("For HR admins: the departments (with their sub-departments) they manage."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["job_role", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_id})"

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_leaver(self) -> bool:
        return self.status == StaffStatus.LEAVER


class OutboxMessage(models.Model):
    """A task to run once the transaction that asked for it has committed.

    Services write a row in their own transaction; after commit the row is handed to Celery
    and marked sent. If the broker is down the row stays unsent and the ``outbox_flush`` beat
    task delivers it later, so no certificate, e-mail or snapshot is lost. Tasks behind the
    outbox are idempotent, because a row can be delivered twice (sent, then marking failed).
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    # Two requests for the same work (e.g. a double submit) share a key and make one row.
    dedupe_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.kwargs}"


class AuditEvent(models.Model):
    """An append-only record of a security- or compliance-relevant action."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text as well, so the trail still reads after the actor is anonymised.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=80, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
        )

    def save(self, *args, **kwargs):
        # Append-only: an audit row is written once and never changed.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events cannot be deleted.")


# --- HR: curricula, assignment rules, assignments --------------------------------------------

from modelcluster.fields import ParentalKey  # noqa: E402
from modelcluster.models import ClusterableModel  # noqa: E402
from wagtail.models import Orderable  # noqa: E402


class Curriculum(ClusterableModel):
    """An ordered set of courses, e.g. "Permit counter digital essentials"."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")

    def __str__(self) -> str:
        return self.name


class CurriculumCourse(Orderable):
    """A course's place in a curriculum."""

    curriculum = ParentalKey(Curriculum, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta(Orderable.Meta):
        verbose_name = _("curriculum course")
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "course"], name="unique_curriculum_course"
            )
        ]


class DueMode(models.TextChoices):
    NONE = "none", _("No due date")
    FIXED = "fixed", _("On a fixed date")
    AFTER_ASSIGNMENT = "after_assignment", _("N days after being assigned")
    AFTER_START = "after_start", _("N days after the person's start date")
    BEFORE_GO_LIVE = "before_go_live", _("N days before the service's go-live")


class AssignmentRule(ClusterableModel):
    """A standing rule: everyone in scope must (or should) take a course or curriculum.

    Scope criteria of different kinds combine with AND (a department AND a job role); values
    of one kind combine with OR (any of these departments). People listed by name are always in
    scope. The rule assigns everyone in scope now, and everyone who joins or moves in later.
    """

    name = models.CharField(_("name"), max_length=200)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignment_rules",
    )
    curriculum = models.ForeignKey(
        Curriculum,
        verbose_name=_("curriculum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignment_rules",
    )
    # Scope
    everyone = models.BooleanField(_("everyone in the organisation"), default=False)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="+"
    )
    include_subdepartments = models.BooleanField(_("include sub-departments"), default=True)
    job_roles = models.ManyToManyField(
        JobRole, verbose_name=_("job roles"), blank=True, related_name="+"
    )
    role_families = models.JSONField(_("role families"), default=list, blank=True)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people"), blank=True, related_name="+"
    )
    staff_filter = models.JSONField(
        _("saved staff filter"),
        default=dict,
        blank=True,
        help_text=_("Filter parameters of the staff list, saved with the rule."),
    )
    # Terms
    required = models.BooleanField(_("required"), default=True)
    due_mode = models.CharField(
        _("due date"), max_length=20, choices=DueMode.choices, default=DueMode.AFTER_ASSIGNMENT
    )
    due_date = models.DateField(_("fixed due date"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(_("number of days"), null=True, blank=True)
    service = models.ForeignKey(
        "champions.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_rules",
        help_text=_("For training tied to a service's go-live."),
    )
    recertify_months = models.PositiveSmallIntegerField(
        _("recertify every (months)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, curriculum__isnull=True)
                    | models.Q(course__isnull=True, curriculum__isnull=False)
                ),
                name="rule_assigns_course_or_curriculum",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Assignment(models.Model):
    """One person must (or should) complete one course, by a due date, in one cycle.

    Completion is read from the linked enrolment (``enrolment.completed_at`` in the same
    cycle), so there is one source of truth for progress. Several rules may ask for the same
    course: the person gets one assignment with the earliest due date.
    """

    # Neither key has an index of its own: the unique (user, course, cycle) index serves every
    # lookup by person, the (course, status) index below every lookup by course.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="assignments"
    )
    cycle = models.PositiveSmallIntegerField(default=1)
    rule = models.ForeignKey(
        AssignmentRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    curriculum = models.ForeignKey(
        Curriculum, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    required = models.BooleanField(default=True)
    assigned_at = models.DateTimeField()
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "cycle"], name="unique_assignment_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["course", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} must take {self.course}"


# --- HR: roster imports and reminders -------------------------------------------------------


class RosterImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    INVALID = "invalid", _("Errors found")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class RosterImport(models.Model):
    """One upload of the HR roster: checked first (preview), then imported on confirmation.

    Both steps run as Celery tasks, so a 20,000-row file never holds a web request; the admin
    page shows ``status`` and ``processed_rows`` and refreshes itself until the work is done.
    ``report`` holds the row-by-row errors and the summary of what changed (or would change).
    """

    file = models.FileField(_("file"), upload_to="roster_imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=10)
    deactivate_missing = models.BooleanField(
        _("mark people missing from the file as leavers"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RosterImportStatus.choices,
        default=RosterImportStatus.VALIDATING,
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("import started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("import finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_working(self) -> bool:
        return self.status in {RosterImportStatus.VALIDATING, RosterImportStatus.IMPORTING}

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MANAGER_DIGEST = "manager_digest", _("Manager digest")
    DUE_DATE_MOVED = "due_date_moved", _("Due date moved")


class ReminderLog(models.Model):
    """A reminder claimed in its own transaction BEFORE the e-mail goes out; ``sent_at`` after.

    The unique constraints allow one e-mail of each kind per person per day. ``assignment`` is
    empty on the row that stands for the e-mail itself; rows with an assignment record which
    assignments the e-mail covered, so the overdue cadence can be followed per assignment.
    A claim whose ``sent_at`` is still empty was interrupted (worker killed) and is sent again
    by the next run of the day (see ``lms.hr.reminders``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_logs"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder log")
        verbose_name_plural = _("reminder logs")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "assignment", "date"],
                condition=models.Q(assignment__isnull=False),
                name="unique_reminder_per_assignment_day",
            ),
            # NULLs are distinct in unique indexes, so the e-mail row needs its own constraint.
            models.UniqueConstraint(
                fields=["user", "kind", "date"],
                condition=models.Q(assignment__isnull=True),
                name="unique_reminder_email_per_day",
            ),
        ]
        indexes = [models.Index(fields=["assignment", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} on {self.date}"

"""Service rollouts: the digital services, who they affect, their history and readiness."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

__all__ = [
    "RAG",
    "ReadinessReport",
    "ReadinessReportStatus",
    "ReadinessSnapshot",
    "ReadinessThresholds",
    "Service",
    "ServiceChange",
    "ServiceChangeField",
    "ServiceDepartment",
    "ServicePhase",
    "ServiceTrainingRule",
]


class ServicePhase(models.TextChoices):
    PLANNING = "planning", _("Planning")
    PILOT = "pilot", _("Pilot")
    ROLLOUT = "rollout", _("Rollout")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class Service(ClusterableModel):
    """A digital service the city is rolling out, e.g. "Online building permits".

    The departments it affects (each with an optional go-live date of its own when the rollout
    is phased) are ``ServiceDepartment`` rows; staff in those departments (and sub-departments),
    narrowed to ``affected_job_roles`` when any are set, must complete ``required_courses`` and
    ``required_curricula`` ``training_due_days_before`` days before their department goes live.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    owning_department = models.ForeignKey(
        "lms.Department",
        verbose_name=_("owning department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_services",
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=ServicePhase.choices, default=ServicePhase.PLANNING
    )
    go_live_date = models.DateField(_("go-live date"), null=True, blank=True)
    affected_departments = models.ManyToManyField(
        "lms.Department",
        verbose_name=_("affected departments"),
        through="champions.ServiceDepartment",
        related_name="affected_by_services",
        blank=True,
    )
    affected_job_roles = ParentalManyToManyField(
        "lms.JobRole",
        verbose_name=_("affected job roles"),
        related_name="affected_by_services",
        blank=True,
        help_text=_("Leave empty when everyone in the affected departments is affected."),
    )
    pilot_group = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilot group"),
        related_name="pilot_services",
        blank=True,
        help_text=_("The people who try the service first, during the pilot phase."),
    )
    required_courses = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("required courses"),
        related_name="required_for_services",
        blank=True,
    )
    required_curricula = ParentalManyToManyField(
        "lms.Curriculum",
        verbose_name=_("required curricula"),
        related_name="required_for_services",
        blank=True,
    )
    training_due_days_before = models.PositiveSmallIntegerField(
        _("training due (days before go-live)"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("Required training is due this many days before each department goes live."),
    )
    staff_per_champion = models.PositiveSmallIntegerField(
        _("staff per champion"),
        default=25,
        validators=[MinValueValidator(1)],
        help_text=_("Target: one approved champion for every this many affected staff."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("owning_department"),
        MultiFieldPanel(
            [FieldPanel("phase"), FieldPanel("go_live_date"), FieldPanel("pilot_group")],
            heading=_("Phase and go-live"),
        ),
        InlinePanel(
            "department_rollouts",
            heading=_("Affected departments"),
            label=_("Affected department"),
        ),
        FieldPanel("affected_job_roles"),
        MultiFieldPanel(
            [
                FieldPanel("required_courses"),
                FieldPanel("required_curricula"),
                FieldPanel("training_due_days_before"),
            ],
            heading=_("Required training"),
        ),
        FieldPanel("staff_per_champion"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("digital service")
        verbose_name_plural = _("digital services")

    def __str__(self) -> str:
        return self.name


class ServiceDepartment(models.Model):
    """A department a service affects, with its own go-live date when the rollout is phased."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="department_rollouts")
    department = models.ForeignKey(
        "lms.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="service_rollouts",
    )
    go_live_date = models.DateField(
        _("go-live date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the service's go-live date."),
    )
    staff_per_champion = models.PositiveSmallIntegerField(
        _("staff per champion"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to use the service's ratio."),
    )

    panels = [
        FieldPanel("department"),
        FieldPanel("go_live_date"),
        FieldPanel("staff_per_champion"),
    ]

    class Meta:
        ordering = ["department__name"]
        verbose_name = _("affected department")
        verbose_name_plural = _("affected departments")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "department"], name="unique_service_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.department_id}"

    def effective_go_live(self, service: Service | None = None) -> dt.date | None:
        """This department's go-live date, or the service's when it has none of its own."""
        return self.go_live_date or (service or self.service).go_live_date

    def effective_staff_per_champion(self, service: Service | None = None) -> int:
        return self.staff_per_champion or (service or self.service).staff_per_champion


class ServiceChangeField(models.TextChoices):
    PHASE = "phase", _("Phase")
    GO_LIVE_DATE = "go_live_date", _("Go-live date")


class ServiceChange(models.Model):
    """One change of a service's phase or go-live date (service-wide or for one department)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    department = models.ForeignKey(
        "lms.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field = models.CharField(_("what changed"), max_length=20, choices=ServiceChangeField.choices)
    old_value = models.CharField(_("from"), max_length=100, blank=True)
    new_value = models.CharField(_("to"), max_length=100, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("service change")
        verbose_name_plural = _("service changes")

    def __str__(self) -> str:
        return f"{self.service_id} {self.field}: {self.old_value} → {self.new_value}"

    def _display(self, value: str) -> str:
        if not value:
            return str(_("not set"))
        if self.field == ServiceChangeField.PHASE:
            return str(dict(ServicePhase.choices).get(value, value))
        try:
            from django.utils.formats import date_format

            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)


class ServiceTrainingRule(models.Model):
    """The HR assignment rule that assigns one required course or curriculum of a service to
    one affected department. Kept so a go-live change finds exactly the rules to move."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="training_rules")
    department = models.ForeignKey(
        "lms.Department", on_delete=models.CASCADE, related_name="service_training_rules"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    curriculum = models.ForeignKey(
        "lms.Curriculum", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.OneToOneField(
        "lms.AssignmentRule", on_delete=models.CASCADE, related_name="service_training"
    )

    class Meta:
        verbose_name = _("service training rule")
        verbose_name_plural = _("service training rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, curriculum__isnull=True)
                    | models.Q(course__isnull=True, curriculum__isnull=False)
                ),
                name="service_rule_course_or_curriculum",
            ),
            models.UniqueConstraint(
                fields=["service", "department", "course"],
                condition=models.Q(course__isnull=False),
                name="unique_service_rule_course",
            ),
            models.UniqueConstraint(
                fields=["service", "department", "curriculum"],
                condition=models.Q(curriculum__isnull=False),
                name="unique_service_rule_curriculum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.department_id} · {self.rule_id}"


class RAG(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


@register_setting(icon="pick")
class ReadinessThresholds(BaseGenericSetting):
    """When a department counts as ready (green), nearly ready (amber) or not ready (red)."""

    green_trained_percent = models.PositiveSmallIntegerField(
        _("green: at least this % trained"),
        default=90,
        validators=[MaxValueValidator(100)],
    )
    amber_trained_percent = models.PositiveSmallIntegerField(
        _("amber: at least this % trained"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Below this share of trained staff a department is red."),
    )
    green_max_open_concerns = models.PositiveSmallIntegerField(
        _("green: at most this many open concerns"), default=3
    )
    amber_max_open_concerns = models.PositiveSmallIntegerField(
        _("amber: at most this many open concerns"),
        default=10,
        help_text=_("More open concerns than this make a department red."),
    )
    imminent_days = models.PositiveSmallIntegerField(
        _("go-live is close: within this many days"), default=7
    )
    imminent_min_trained_percent = models.PositiveSmallIntegerField(
        _("close to go-live: red below this % trained"),
        default=70,
        validators=[MaxValueValidator(100)],
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("green_trained_percent"), FieldPanel("green_max_open_concerns")],
            heading=_("Green (ready)"),
        ),
        MultiFieldPanel(
            [FieldPanel("amber_trained_percent"), FieldPanel("amber_max_open_concerns")],
            heading=_("Amber (nearly ready)"),
        ),
        MultiFieldPanel(
            [FieldPanel("imminent_days"), FieldPanel("imminent_min_trained_percent")],
            heading=_("Close to go-live"),
        ),
    ]

    class Meta:
        verbose_name = _("readiness thresholds")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.amber_trained_percent > self.green_trained_percent:
            raise ValidationError(
                {"amber_trained_percent": _("The amber share cannot be above the green share.")}
            )
        if self.green_max_open_concerns > self.amber_max_open_concerns:
            raise ValidationError(
                {"green_max_open_concerns": _("Green cannot allow more open concerns than amber.")}
            )


class ReadinessSnapshot(models.Model):
    """One day's readiness of one affected department for one service (for the chart)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="snapshots")
    department = models.ForeignKey(
        "lms.Department", on_delete=models.CASCADE, related_name="readiness_snapshots"
    )
    date = models.DateField(_("date"))
    affected_staff = models.PositiveIntegerField(default=0)
    trained_staff = models.PositiveIntegerField(default=0)
    certificates_held = models.PositiveIntegerField(default=0)
    champions = models.PositiveIntegerField(default=0)
    champions_needed = models.PositiveIntegerField(default=0)
    open_concerns = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=RAG.choices)
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "department__name"]
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "department", "date"], name="unique_readiness_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.department_id} · {self.date}"

    @property
    def trained_percent(self) -> int | None:
        if not self.affected_staff:
            return None
        return round(100 * self.trained_staff / self.affected_staff)


class ReadinessReportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReadinessReport(models.Model):
    """A go / no-go PDF of a service's readiness for the governance committee."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(
        max_length=10,
        choices=ReadinessReportStatus.choices,
        default=ReadinessReportStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="readiness-reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("readiness report")
        verbose_name_plural = _("readiness reports")

    def __str__(self) -> str:
        return f"{self.service_id} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"

"""Service rollouts, the champion network, mentoring and the feedback loop."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServicePhase(models.TextChoices):
    PLANNING = "planning", _("Planning")
    PILOT = "pilot", _("Pilot")
    ROLLOUT = "rollout", _("Rollout")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class Service(models.Model):
    """A digital service the city is rolling out, e.g. "Online building permits"."""

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("digital service")
        verbose_name_plural = _("digital services")

    def __str__(self) -> str:
        return self.name

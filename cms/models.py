"""The home page and the municipality's site settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from .routing import CachedViewRestrictionsMixin


class HomePage(CachedViewRestrictionsMixin, Page):
    """The site's front door: a welcome for visitors, a role-by-role dashboard once signed in."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from lms.selectors import home_sections_for

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections_for(request.user)
        return context


@register_setting(icon="site")
class MunicipalitySettings(BaseSiteSetting):
    """Who runs this site, how certificates look, and when reminders go out."""

    class PaperSize(models.TextChoices):
        LETTER = "letter", _("US Letter")
        A4 = "a4", _("A4")

    municipality_name = models.CharField(
        _("municipality name"), max_length=150, default=settings.MUNICIPALITY_NAME
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    support_email = models.EmailField(_("support e-mail"), blank=True)
    certificate_paper_size = models.CharField(
        _("certificate paper size"),
        max_length=10,
        choices=PaperSize.choices,
        default=PaperSize.LETTER,
    )
    certificate_signatory = models.CharField(
        _("certificate signatory"),
        max_length=150,
        blank=True,
        help_text=_(
            "Name and title printed under the signature line, e.g. 'Chief People Officer'."
        ),
    )
    reminder_days_before_due = models.PositiveSmallIntegerField(
        _("upcoming-due reminder, days before"), default=7
    )
    overdue_reminder_every_days = models.PositiveSmallIntegerField(
        _("overdue reminder, every N days"), default=7
    )
    manager_digest_weekday = models.PositiveSmallIntegerField(
        _("manager digest weekday"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    leaver_retention_days = models.PositiveIntegerField(
        _("keep leavers' personal data for (days)"), default=365 * 2
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("municipality_name"), FieldPanel("logo"), FieldPanel("support_email")],
            heading=_("Municipality"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_paper_size"), FieldPanel("certificate_signatory")],
            heading=_("Certificates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reminder_days_before_due"),
                FieldPanel("overdue_reminder_every_days"),
                FieldPanel("manager_digest_weekday"),
            ],
            heading=_("Reminders"),
        ),
        FieldPanel("leaver_retention_days"),
    ]

    class Meta:
        verbose_name = _("municipality settings")

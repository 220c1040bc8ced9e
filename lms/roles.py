"""The roles people hold, as Django groups. Permissions are granted per group.

Role membership answers "what may this person do in general"; object-level questions
("may this HR admin see that department?") are answered by ``lms.permissions``.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    LEARNER = "Learner"
    LINE_MANAGER = "Line manager"
    CHAMPION = "Champion"
    HR_ADMIN = "HR admin"
    CHANGE_OFFICE = "Change office"
    CONTENT_EDITOR = "Content editor"
    SITE_ADMIN = "Site admin"


ROLE_DESCRIPTIONS = {
    Role.LEARNER: _("Everyone: takes courses, self-assessments and quizzes."),
    Role.LINE_MANAGER: _("Sees the training of their direct reports."),
    Role.CHAMPION: _("Supports colleagues with a digital service: mentees, sessions, questions."),
    Role.HR_ADMIN: _("Manages staff, assignments and compliance for their departments."),
    Role.CHANGE_OFFICE: _("Runs service rollouts, the champion network and readiness."),
    Role.CONTENT_EDITOR: _("Writes and publishes courses and question banks."),
    Role.SITE_ADMIN: _("Administers the whole platform."),
}

# Roles that use the Wagtail admin. Learners, managers and champions stay on the staff site.
ADMIN_ROLES = frozenset({Role.HR_ADMIN, Role.CHANGE_OFFICE, Role.CONTENT_EDITOR, Role.SITE_ADMIN})

# Model permissions each role's group carries, as "app_label.codename". Kept here so the data
# migration and `sync_roles` grant the same thing. Apps add theirs as they land.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.LEARNER: [],
    Role.LINE_MANAGER: [],
    Role.CHAMPION: [],
    Role.HR_ADMIN: [
        "wagtailadmin.access_admin",
        "lms.view_department",
        "lms.add_department",
        "lms.change_department",
        "lms.view_jobrole",
        "lms.add_jobrole",
        "lms.change_jobrole",
        "lms.view_staffprofile",
        "lms.add_staffprofile",
        "lms.change_staffprofile",
        *[
            f"lms.{a}_{m}"
            for m in ("curriculum", "assignmentrule")
            for a in ("view", "add", "change")
        ],
        *[f"lms.{a}_assignment" for a in ("view", "add", "delete")],
    ],
    Role.CHANGE_OFFICE: [
        "wagtailadmin.access_admin",
        "lms.view_department",
        "lms.view_jobrole",
    ],
    Role.CONTENT_EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "lms.view_jobrole",
    ],
    Role.SITE_ADMIN: ["wagtailadmin.access_admin", "lms.view_auditevent"],
}

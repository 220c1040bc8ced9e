"""Read-side queries of the organisation core."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import has_role, user_roles
from .roles import Role


@dataclass(frozen=True)
class HomeLink:
    title: str
    description: str
    url: str


@dataclass(frozen=True)
class HomeSection:
    role: Role
    heading: str
    links: list[HomeLink]


# (role, url name, title, description). A link shows only once its view exists, so the home
# page never points at an area that has not been built.
HOME_LINKS: list[tuple[Role, str, str, str]] = [
    (
        Role.LEARNER,
        "courses:my_learning",
        _("My learning"),
        _("Your assigned courses, what you are working on, and your certificates."),
    ),
    (
        Role.LEARNER,
        "courses:catalogue",
        _("Course catalogue"),
        _("Find short courses for your role and the services you work with."),
    ),
    (
        Role.LEARNER,
        "assessments:self_assessment",
        _("Digital skills check"),
        _("Rate your digital skills and see which courses would help."),
    ),
    (
        Role.LEARNER,
        "champions:directory",
        _("Find a digital champion"),
        _("Colleagues in your department who can help with new services."),
    ),
    (
        Role.LEARNER,
        "champions:feedback_create",
        _("Raise a question or concern"),
        _("Tell the change office what would make a new service work for you."),
    ),
    (Role.LEARNER, "password_change", _("Change your password"), _("Keep your account safe.")),
    (
        Role.LINE_MANAGER,
        "lms:my_team",
        _("My team"),
        _("Who in your team has training due or overdue."),
    ),
    (
        Role.CHAMPION,
        "champions:hub",
        _("Champion hub"),
        _("Your mentees, drop-in sessions and open questions from staff."),
    ),
    (
        Role.HR_ADMIN,
        "lms:compliance_report",
        _("Compliance report"),
        _("Completion and overdue training by department, job role and person."),
    ),
    (
        Role.HR_ADMIN,
        "wagtailadmin_home",
        _("HR administration"),
        _("Staff, departments, job roles, curricula, assignments and roster imports."),
    ),
    (
        Role.CHANGE_OFFICE,
        "champions:services",
        _("Service readiness"),
        _("Is each department ready for each service's go-live?"),
    ),
    (
        Role.CHANGE_OFFICE,
        "wagtailadmin_home",
        _("Change office administration"),
        _("Service rollouts, champion nominations and staff feedback."),
    ),
    (
        Role.CONTENT_EDITOR,
        "wagtailadmin_home",
        _("Edit courses"),
        _("Write, review and publish courses, lessons and question banks."),
    ),
    (
        Role.SITE_ADMIN,
        "wagtailadmin_home",
        _("Site administration"),
        _("Users, roles, settings and the audit log."),
    ),
]

ROLE_HEADINGS = {
    Role.LEARNER: _("Your learning"),
    Role.LINE_MANAGER: _("Your team"),
    Role.CHAMPION: _("Digital champion"),
    Role.HR_ADMIN: _("HR and learning administration"),
    Role.CHANGE_OFFICE: _("Change office"),
    Role.CONTENT_EDITOR: _("Content"),
    Role.SITE_ADMIN: _("Administration"),
}


def _resolve(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def home_sections_for(user) -> list[HomeSection]:
    """The home page dashboard: one section per role the person holds, in role order."""
    if not user.is_authenticated:
        return []
    held = user_roles(user)
    sections = []
    for role in Role:
        if role not in held and not (role == Role.SITE_ADMIN and user.is_superuser):
            continue
        if role != Role.SITE_ADMIN and Role.SITE_ADMIN in held and role not in held:
            continue
        links = [
            HomeLink(str(title), str(description), url)
            for link_role, url_name, title, description in HOME_LINKS
            if link_role == role and (url := _resolve(url_name))
        ]
        if links:
            sections.append(HomeSection(role, str(ROLE_HEADINGS[role]), links))
    return sections


def staff_for_manager(manager_profile):
    """Direct reports of a line manager, with their department and job role fetched."""
    return manager_profile.reports.select_related("user", "department", "job_role").filter(
        status="active"
    )


__all__ = ["HomeLink", "HomeSection", "has_role", "home_sections_for", "staff_for_manager"]


NAV_LINKS: list[tuple[Role, str, str]] = [
    (Role.LEARNER, "courses:my_learning", _("My learning")),
    (Role.LEARNER, "courses:catalogue", _("Courses")),
    (Role.LINE_MANAGER, "lms:my_team", _("My team")),
    (Role.CHAMPION, "champions:hub", _("Champion hub")),
    (Role.HR_ADMIN, "lms:compliance_report", _("Compliance")),
    (Role.CHANGE_OFFICE, "champions:services", _("Readiness")),
]


def nav_links_for(user) -> list[HomeLink]:
    """Primary navigation: the main area of each role held, for views that exist."""
    if not user.is_authenticated:
        return []
    links = []
    for role, url_name, title in NAV_LINKS:
        if has_role(user, role) and (url := _resolve(url_name)):
            links.append(HomeLink(str(title), "", url))
    return links

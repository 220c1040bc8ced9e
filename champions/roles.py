"""Model permissions this app grants to each role's group (merged by lms.services.roles_sync)."""

from lms.roles import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CHANGE_OFFICE: [
        # Service rollouts and readiness
        "champions.view_service",
        "champions.add_service",
        "champions.change_service",
        "champions.delete_service",
        "champions.view_servicechange",
        "champions.change_readinessthresholds",
        "champions.view_champion",  # champion network (B)
        "champions.view_feedback",  # champion network (B)
        "champions.view_badge",  # champion network (B)
        "champions.add_badge",  # champion network (B)
        "champions.change_badge",  # champion network (B)
        "champions.view_badgeaward",  # champion network (B)
        "champions.add_badgeaward",  # champion network (B)
    ],
    Role.HR_ADMIN: [
        "champions.view_service",
    ],
}

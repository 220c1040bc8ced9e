"""Model permissions this app grants to each role's group (merged by lms.services.roles_sync)."""

from lms.roles import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {}

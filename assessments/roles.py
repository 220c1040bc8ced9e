"""Model permissions this app grants to each role's group (merged by lms.services.roles_sync)."""

from lms.roles import Role

_BANK = [
    f"assessments.{action}_{model}"
    for model in ("question", "questioncategory", "quiz")
    for action in ("add", "change", "delete", "view")
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CONTENT_EDITOR: _BANK,
    Role.HR_ADMIN: ["assessments.view_quiz"],
}

"""Model permissions this app grants to each role's group (merged by lms.services.roles_sync).

Course and lesson pages are edited under Wagtail page permissions instead: the "Content editor"
group gets add / change / publish / lock on the course catalogue from
``courses.services.catalogue_ensure_editor_access`` (run by the demo seed and after migrate).
"""

from lms.roles import Role

_FRAMEWORK_MODELS = ("competencyframework", "competencearea", "competence", "proficiencylevel")

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CONTENT_EDITOR: [
        *(
            f"courses.{action}_{model}"
            for model in _FRAMEWORK_MODELS
            for action in ("add", "change")
        ),
        "courses.view_enrolment",
    ],
    Role.HR_ADMIN: [
        "courses.view_enrolment",
        "courses.view_lessonprogress",
        "courses.add_jobroletarget",
        "courses.change_jobroletarget",
        "courses.delete_jobroletarget",
    ],
    Role.SITE_ADMIN: [
        *(
            f"courses.{action}_{model}"
            for model in (*_FRAMEWORK_MODELS, "jobroletarget")
            for action in ("add", "change", "delete")
        ),
        "courses.view_enrolment",
        "courses.view_lessonprogress",
    ],
}

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _editor_access_after_migrate(sender, using="default", **kwargs):
    """Keep the "Content editor" page permissions and the review workflow on the catalogue."""
    from .services import catalogue_ensure_editor_access

    if using == "default":
        catalogue_ensure_editor_access()


def _lesson_count_on_publish(sender, instance, **kwargs):
    """Publishing also happens outside the page editor (workflow approval, scheduled
    publishing), where the admin hooks do not run; recount there too."""
    from .models import LessonPage
    from .services import course_refresh_lesson_count

    if isinstance(instance, LessonPage):
        parent = instance.get_parent()
        course = parent.specific if parent is not None else None
        if course is not None and hasattr(course, "lesson_count"):
            course_refresh_lesson_count(course=course)


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from .filters import CHOICE_MODELS, choices_changed

        for label in CHOICE_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(
                    choices_changed, sender=apps.get_model(label), dispatch_uid=f"choices.{label}"
                )
        post_migrate.connect(_editor_access_after_migrate, sender=self)
        page_published.connect(_lesson_count_on_publish)
        page_unpublished.connect(_lesson_count_on_publish)

from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "Organisation and HR"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_roles_after_migrate)
        from . import signals  # noqa: F401  (audit receivers)
        from .hr import report_cache  # noqa: F401  (compliance report invalidation)


def _sync_roles_after_migrate(sender, **kwargs) -> None:
    # Permissions are created app by app in post_migrate, so roles are granted once the last
    # app has had its turn, not in a data migration. roles_sync is idempotent.
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is with_models[-1]:
        from .services import roles_sync

        roles_sync()

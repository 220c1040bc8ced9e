from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .routing import connect_signals

        connect_signals()

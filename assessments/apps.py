from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and certificates"
    default_auto_field = "django.db.models.BigAutoField"

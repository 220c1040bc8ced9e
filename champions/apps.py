from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "champions"
    verbose_name = "Champions and service rollouts"
    default_auto_field = "django.db.models.BigAutoField"

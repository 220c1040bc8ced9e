"""Load the demo municipality (the City of Riverton). Idempotent; refused in production."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app seeds its own part, in dependency order. A seeder is ``seed(stdout=None, **ctx)``.
SEEDERS = [
    "lms.demo",
    "courses.demo",
    "lms.hr.demo",
    "assessments.demo",
    "champions.demo",
]


class Command(BaseCommand):
    help = "Create the demo city with its staff, courses and one sign-in per role."

    def handle(self, *args, **options):
        module = getattr(settings, "SETTINGS_MODULE", "") or ""
        if module.endswith(".production") or not (settings.DEBUG or module.endswith(".test")):
            raise CommandError(
                "seed_demo creates accounts with a published password and is refused under "
                f"production settings ({module}). Use lms.settings.dev."
            )
        self.stdout.write("Loading the demo municipality…")
        context: dict = {}
        with transaction.atomic():
            for name in SEEDERS:
                seeder = importlib.import_module(name)
                result = seeder.seed(stdout=self.stdout, **context)
                if name == "lms.demo":
                    context["users"] = result
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("")
        self.stdout.write(
            f"Demo sign-ins (password for all: {settings.CIVICSKILLS_DEMO_PASSWORD}):"
        )
        for username, description in [
            ("learner", "frontline permit technician"),
            ("manager", "line manager of the permit counter"),
            ("champion", "digital champion for online permits"),
            ("hr", "HR / learning admin (whole organisation)"),
            ("changeoffice", "change office"),
            ("editor", "content editor"),
            ("admin", "site admin"),
        ]:
            self.stdout.write(f"  {username:<13} {description}")

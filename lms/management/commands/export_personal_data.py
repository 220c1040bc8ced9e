"""Write everything CivicSkills holds about one person to a ZIP (a subject access request)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms import privacy


class Command(BaseCommand):
    help = "Export one person's data (JSON per model and their certificate PDFs) as a ZIP."

    def add_arguments(self, parser):
        parser.add_argument("person", help="employee ID, username or e-mail")
        parser.add_argument("--output", "-o", help="ZIP file to write (default: stdout name)")

    def handle(self, *args, person, output=None, **options):
        user = privacy.person_find(person.strip())
        if user is None:
            raise CommandError(f"Nobody has the employee ID, username or e-mail {person!r}.")
        path = Path(output or f"personal-data-{user.pk}.zip")
        if path.exists():
            raise CommandError(f"{path} exists already; choose another --output.")
        path.write_bytes(privacy.personal_data_export(user=user))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))

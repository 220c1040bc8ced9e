"""python manage.py backup [--output FILE] [--no-media]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lms.audit import audit_record
from lms.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and uploaded files to one .tar.gz archive (online, consistent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="Archive path (default: backups/civicskills-<time>.tar.gz)"
        )
        parser.add_argument("--no-media", action="store_true", help="Leave uploaded files out.")

    def handle(self, *args, **options):
        output = Path(
            options["output"] or f"backups/civicskills-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        try:
            manifest = backup_create(output=output, include_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit_record(action="backup.created", target_label=str(output))
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows to {output}"))

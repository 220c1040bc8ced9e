"""python manage.py restore FILE --yes"""

from django.core.management.base import BaseCommand, CommandError

from lms.audit import audit_record
from lms.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz archive to restore")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the current data will be replaced."
        )

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Restoring replaces every record. Run again with --yes to confirm.")
        try:
            manifest = backup_restore(archive_path=options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit_record(action="backup.restored", target_label=str(options["archive"]))
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup made at {manifest['created_at']}.")
        )

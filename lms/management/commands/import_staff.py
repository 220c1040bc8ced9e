"""Import the HR roster (CSV or XLSX): ``python manage.py import_staff FILE [--dry-run]``.

Every row is checked before anything is written; with any error nothing is written, the errors
are printed row by row and the command exits with status 1. See docs/roster-import.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.hr.roster import roster_import


class Command(BaseCommand):
    help = "Import staff from the HR roster (CSV or XLSX). Upserts by employee_id."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV (UTF-8) or XLSX roster file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without writing anything.",
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Mark active staff who are not in the file as leavers (for a full roster).",
        )

    def handle(self, *args, file, dry_run, deactivate_missing, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = roster_import(
            data=path.read_bytes(), dry_run=dry_run, deactivate_missing=deactivate_missing
        )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(
                    "Row {row}, column {column!r}, value {value!r}: {message}".format(**error)
                )
            if report.error_count > len(report.errors):
                self.stderr.write(f"… and {report.error_count - len(report.errors)} more.")
            raise CommandError(
                f"{report.error_count} error(s) in {path.name}; nothing was imported."
            )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.total_rows} rows: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.leavers} leavers, "
            f"{report.reinstated} reinstated, {report.deactivated_missing} missing marked leavers."
        )
        if report.departments_created:
            self.stdout.write("New departments: " + ", ".join(report.departments_created))
        if report.job_roles_created:
            self.stdout.write("New job roles: " + ", ".join(report.job_roles_created))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

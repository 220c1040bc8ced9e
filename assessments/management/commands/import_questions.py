"""``manage.py import_questions FILE [--category NAME] [--dry-run]``: import a Moodle XML or GIFT
question bank. Lists every question imported and every question skipped with its reason; a
malformed file imports nothing and the command exits non-zero saying where it broke."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.services.questions import question_bank_import
from lms.uploads import DEFAULT_LIMITS


class Command(BaseCommand):
    help = "Import questions from a Moodle XML or GIFT file into the question bank."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the Moodle XML or GIFT file.")
        parser.add_argument(
            "--category", help="Put every question in this category instead of the file's."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > DEFAULT_LIMITS.max_bytes:
            raise CommandError(f"{path} is larger than {DEFAULT_LIMITS.max_bytes} bytes.")
        try:
            report = question_bank_import(
                data=path.read_bytes(),
                category_name=options["category"],
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        verb = "Would import" if report.dry_run else "Imported"
        for row in report.imported:
            self.stdout.write(f"{verb}: {row.location} {row.name} [{row.qtype}] → {row.category}")
        for row in report.unchanged:
            self.stdout.write(f"Already in the bank: {row.location} {row.name} → {row.category}")
        for row in report.skipped:
            self.stdout.write(f"Skipped: {row.location} {row.name} [{row.qtype}]: {row.reason}")
        if report.unknown_competences:
            self.stdout.write(
                "Unknown competence tags (ignored): " + ", ".join(report.unknown_competences)
            )
        summary = (
            f"{verb} {len(report.imported)} question(s); {len(report.unchanged)} already in the "
            f"bank; {len(report.skipped)} skipped."
        )
        self.stdout.write(self.style.SUCCESS(summary))

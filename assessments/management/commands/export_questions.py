"""``manage.py export_questions [--category NAME] OUTPUT``: write the question bank (or one
category with its sub-categories) as a Moodle XML file ("-" writes to standard output)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import QuestionCategory
from assessments.selectors.questions import question_bank_export


class Command(BaseCommand):
    help = "Export the question bank to a Moodle XML file."

    def add_arguments(self, parser):
        parser.add_argument("output", help='Path of the XML file to write, or "-" for stdout.')
        parser.add_argument("--category", help="Only this category and its sub-categories.")

    def handle(self, *args, **options):
        category = None
        if options["category"]:
            category = QuestionCategory.objects.filter(name=options["category"]).first()
            if category is None:
                raise CommandError(f"No question category named {options['category']!r}.")
        data = question_bank_export(category=category)
        if options["output"] == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No such directory: {output.parent}")
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))

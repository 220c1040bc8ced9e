"""``python manage.py import_framework FILE [--default]``: add a competency framework."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.frameworks import FrameworkFileError, framework_parse_file
from courses.services import framework_import

HELP = """Import a competency framework (areas -> competences, with proficiency levels) from a
.csv or .json file. Every row is checked first; on any error nothing is written, each problem is
listed with its row (CSV) or position (JSON) and field, and the command exits with status 1.

JSON: {"name": "...", "slug": "...", "version": "...", "description": "...", "source_url": "...",
       "areas": [{"code": "1", "name": "...", "description": "...",
                  "competences": [{"code": "1.1", "name": "...", "description": "..."}]}],
       "levels": [{"number": 1, "name": "...", "group": "Foundation", "description": "..."}]}

CSV: header row with the columns kind,code,name (required) and area,group,description,version,
source_url (optional); then one row per item, the kind column telling which:
  framework  code = slug, name, version, description, source_url (exactly one such row)
  area       code, name, description
  competence code, name, area (the area's code), description
  level      code = level number (1, 2, ...), name, group, description

See docs/frameworks.md for full examples."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The framework file, .csv or .json (UTF-8).")
        parser.add_argument(
            "--default",
            action="store_true",
            help="Make this the default framework (used by catalogue filters and self-assessment).",
        )

    def handle(self, *args, file: str, default: bool = False, **options):
        try:
            data = framework_parse_file(file)
            framework = framework_import(data=data, make_default=default)
        except FrameworkFileError as exc:
            raise CommandError(self._report(file, exc.errors)) from exc
        except ValidationError as exc:
            raise CommandError(self._report(file, exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {framework.name}: {framework.areas.count()} areas, "
                f"{framework.competences.count()} competences, "
                f"{framework.levels.count()} levels"
                f"{' (now the default framework)' if framework.is_default else ''}."
            )
        )

    @staticmethod
    def _report(file: str, errors: list[str]) -> str:
        lines = [f"{file}: {len(errors)} problem(s) found; nothing was imported."]
        lines.extend(f"  - {error}" for error in errors)
        return "\n".join(lines)

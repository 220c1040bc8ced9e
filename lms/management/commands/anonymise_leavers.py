"""Anonymise leavers whose retention period (site settings) has ended. Run it from cron/beat."""

from django.core.management.base import BaseCommand, CommandError

from lms import privacy
from lms.models import StaffProfile


class Command(BaseCommand):
    help = (
        "Replace the identity of leavers past the retention period with a pseudonym, keeping "
        "their training records. --employee-id limits it to one person."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")
        parser.add_argument("--employee-id", help="only this leaver")

    def handle(self, *args, dry_run=False, employee_id=None, **options):
        if employee_id:
            profile = StaffProfile.objects.filter(employee_id=employee_id).first()
            if profile is None:
                raise CommandError(f"No staff member has the employee ID {employee_id!r}.")
            if dry_run:
                self.stdout.write(f"Would anonymise {profile.employee_id}")
                return
            try:
                privacy.person_anonymise(profile=profile)
            except privacy.AnonymisationRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(f"Anonymised {employee_id}"))
            return
        due = list(privacy.leavers_due_for_anonymisation())
        if dry_run:
            for profile in due:
                self.stdout.write(
                    f"Would anonymise {profile.employee_id} (left {profile.left_at:%Y-%m-%d})"
                )
            self.stdout.write(f"{len(due)} leaver(s) due.")
            return
        done = privacy.leavers_anonymise_due()
        self.stdout.write(self.style.SUCCESS(f"Anonymised {len(done)} leaver(s)."))

"""backup and restore: a demo database is backed up, wiped and restored with every record."""

import tarfile

import pytest
from django.core.management import CommandError, call_command

from lms import demo
from lms.models import Department, StaffProfile

pytestmark = pytest.mark.django_db(transaction=True)


def _counts():
    from django.contrib.auth import get_user_model

    return (
        Department.objects.count(),
        StaffProfile.objects.count(),
        get_user_model().objects.count(),
        sorted(StaffProfile.objects.values_list("employee_id", "user__last_name")),
    )


def test_backup_wipe_restore_finds_every_record(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "guide.txt").write_text("Permit portal guide")
    demo.seed()
    before = _counts()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", "--output", str(archive))
    assert archive.exists()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert "media/documents/guide.txt" in names

    StaffProfile.objects.all().delete()
    (settings.MEDIA_ROOT / "documents" / "guide.txt").unlink()
    assert StaffProfile.objects.count() == 0

    call_command("restore", str(archive), "--yes")

    assert _counts() == before
    assert (settings.MEDIA_ROOT / "documents" / "guide.txt").read_text() == "Permit portal guide"


def test_restore_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.tar.gz"))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")

    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(bogus), "--yes")


def test_restore_refuses_unsafe_paths(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        payload = tmp_path / "payload"
        payload.write_text("x")
        tar.add(payload, arcname="../../etc/evil")

    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(evil), "--yes")

"""Back up and restore the database and uploaded files as one archive.

An archive is a ``.tar.gz`` holding ``manifest.json`` (when, which database engine, row counts
per model for checking), the database (SQLite: a consistent copy made with SQLite's online backup
API; PostgreSQL: a ``pg_dump`` custom-format dump) and ``media/``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.count()
    return counts


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise BackupError(
            f"{binary} is not installed; install the PostgreSQL client (Debian: postgresql-client)."
        )
    return path


def backup_create(*, output: Path, include_media: bool = True) -> dict:
    """Write a backup archive to ``output``; returns its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "counts": _row_counts(),
        "media": include_media,
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if connection.vendor == "sqlite":
            db_file = tmp_path / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            db_file = tmp_path / "database.pgdump"
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603
                [
                    _need("pg_dump"),
                    *args,
                    "-Fc",
                    "--no-owner",
                    "-f",
                    str(db_file),
                    connection.settings_dict["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        partial = output.with_suffix(output.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(db_file, arcname=db_file.name)
            media = Path(settings.MEDIA_ROOT)
            if include_media and media.is_dir():
                archive.add(media, arcname="media")
        partial.replace(output)  # a half-written archive never has the final name
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or member.issym() or member.islnk():
            raise BackupError(f"The archive contains an unsafe path: {member.name}")
        members.append(member)
    return members


def backup_restore(*, archive_path: Path) -> dict:
    """Replace the database (and media) with the contents of a backup archive.

    Checks the archive before touching anything: it must be ours, for this database engine.
    Returns the manifest; afterwards row counts equal those recorded in it.
    """
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"No backup archive at {archive_path}.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(tmp_path, members=_safe_members(archive), filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{archive_path} is not a readable backup archive: {exc}") from exc
        manifest_file = tmp_path / "manifest.json"
        if not manifest_file.is_file():
            raise BackupError(f"{archive_path} has no manifest.json: not a CivicSkills backup.")
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest.get('vendor')} database; this site uses "
                f"{connection.vendor}. Restore it into the same kind of database."
            )
        if connection.vendor == "sqlite":
            source = sqlite3.connect(tmp_path / "database.sqlite3")
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            args, env = _pg_env()
            name = connection.settings_dict["NAME"]
            for alias in connections:
                connections[alias].close()
            result = subprocess.run(  # noqa: S603
                [
                    _need("pg_restore"),
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    name,
                    str(tmp_path / "database.pgdump"),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        media = tmp_path / "media"
        if manifest.get("media") and media.is_dir():
            target = Path(settings.MEDIA_ROOT)
            target.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, target, dirs_exist_ok=True)
    # Cached routes, roles, sessions and settings describe the database that was replaced.
    # The cache has a Redis database of its own (settings: CACHE_URL), so this drops no task.
    cache.clear()
    return manifest

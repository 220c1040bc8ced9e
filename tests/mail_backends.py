"""E-mail backends for tests that run a real worker process (its e-mails must be countable from
the test process, and one test needs the worker to die in the middle of a batch)."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class KillSwitchFileBackend(BaseEmailBackend):
    """Write each message to ``$CIVICSKILLS_TEST_MAIL_DIR/<uuid>.eml``.

    With ``$CIVICSKILLS_TEST_KILL_AT=N``: when N messages exist already and the marker file
    ``killed`` does not, create the marker and SIGKILL the whole worker (pool parent first, then
    this process) before sending — the crash happens between two e-mails of a batch.
    """

    def send_messages(self, email_messages):
        folder = Path(os.environ["CIVICSKILLS_TEST_MAIL_DIR"])
        kill_at = int(os.environ.get("CIVICSKILLS_TEST_KILL_AT", "0") or 0)
        marker = folder / "killed"
        sent = 0
        for message in email_messages:
            if kill_at and not marker.exists() and len(list(folder.glob("*.eml"))) >= kill_at:
                marker.write_text(str(os.getpid()))
                os.kill(os.getppid(), signal.SIGKILL)
                os.kill(os.getpid(), signal.SIGKILL)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
            sent += 1
        return sent

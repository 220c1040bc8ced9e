"""Panels the assessments app adds to /my-learning/ (settings.MY_LEARNING_PANELS).

Each is ``(request) -> {"template": ..., "context": {...}} | None`` and runs a fixed, small
number of queries whatever the number of certificates or courses.
"""

from __future__ import annotations

from .selectors.certificates import learner_certificates, learner_pending_certificates
from .selectors.selfassessment import recommendations_for


def recommendations_panel(request) -> dict | None:
    """Courses recommended from the person's latest skills check, or an invitation to take it."""
    if not request.user.is_authenticated:
        return None
    latest, courses = recommendations_for(request.user)
    return {
        "template": "assessments/panels/recommendations.html",
        "context": {"latest": latest, "courses": courses},
    }


def certificates_panel(request) -> dict | None:
    """The person's certificates with download links, and those still on their way."""
    if not request.user.is_authenticated:
        return None
    certificates = learner_certificates(request.user)
    pending = learner_pending_certificates(request.user, certificates=certificates)
    if not certificates and not pending:
        return None
    return {
        "template": "assessments/panels/certificates.html",
        "context": {"certificates": certificates, "pending": pending},
    }

"""Forms of the HR certificate screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateRevokeForm(forms.Form):
    """Why a certificate is revoked; kept on the certificate and in the audit trail."""

    reason = forms.CharField(
        label=_("Reason for revoking"),
        help_text=_("For example: issued in error, or the training was found to be incomplete."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
        max_length=2000,
        error_messages={"required": _("Give the reason for revoking this certificate.")},
    )

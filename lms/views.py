"""Views of the organisation core: sign-in, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import SignInForm
from .health import run_checks


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: 200 when every component answers, 503 when one does not."""
    components = run_checks()
    healthy = all(item["status"] == "ok" for item in components.values())
    body = {
        "status": "ok" if healthy else "error",
        "site": settings.SITE_NAME,
        "components": components,
    }
    return JsonResponse(body, status=200 if healthy else 503)

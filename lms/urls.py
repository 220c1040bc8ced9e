from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import routing

from . import mfa, views
from .ratelimit import ratelimit

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        ratelimit(scope="login", limit=30, window=60)(views.SignInView.as_view()),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        ratelimit(scope="password_reset", limit=5, window=900)(
            auth_views.PasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path("accounts/mfa/", mfa.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/setup/", mfa.mfa_setup, name="mfa_setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Staff-site URLs of each app, each under its own namespace.
urlpatterns += [
    path("", include("lms.staff_urls")),
    path("", include("courses.urls")),
    path("", include("assessments.urls")),
    path("", include("champions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it catches every remaining path. Its own URLs, with the
# page view swapped for cms.routing.serve (the same view, remembering routes between requests).
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]

"""The project's URLs plus the minimal view that measures the framework's own ceiling."""

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import path

from lms.urls import urlpatterns as project_urlpatterns


def minimal_view(request):
    """A template rendered with one query: what Django itself costs on this machine."""
    user = get_user_model().objects.only("username").order_by("pk").first()
    return render(request, "bench/minimal.html", {"name": user.username if user else ""})


urlpatterns = [path("bench/minimal/", minimal_view), *project_urlpatterns]

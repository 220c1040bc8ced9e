"""Staff-site URLs of courses. Course and lesson pages are served by Wagtail at their page URLs;
the actions on them POST to the ``learning/`` URLs here."""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("my-learning/", views.my_learning, name="my_learning"),
    path("learning/courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path(
        "learning/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "learning/lessons/<int:lesson_id>/check/<str:block_id>/",
        views.knowledge_check,
        name="knowledge_check",
    ),
]

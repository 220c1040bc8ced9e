from django.urls import path

from .views import readiness as readiness_views
from .views import rollouts as rollout_views

app_name = "champions"

# Service rollouts and readiness
urlpatterns: list = [
    path("services/", rollout_views.services_list, name="services"),
    path(
        "services/<slug:slug>/",
        readiness_views.service_readiness_view,
        name="service_readiness",
    ),
    path(
        "services/<slug:slug>/report/",
        readiness_views.readiness_report_request_view,
        name="readiness_report_request",
    ),
    path(
        "services/<slug:slug>/reports/<int:report_id>/",
        readiness_views.readiness_report_download,
        name="readiness_report_download",
    ),
]

# Champion network and feedback
from .views import feedback as feedback_views  # noqa: E402
from .views import mentoring as mentoring_views  # noqa: E402
from .views import network as network_views  # noqa: E402

urlpatterns += [
    path("champions/", network_views.hub, name="hub"),
    path("champions/directory/", network_views.directory, name="directory"),
    path("champions/nominate/", network_views.nominate, name="nominate"),
    path("champions/nominations/", network_views.nominations, name="nominations"),
    path(
        "champions/nominations/<int:pk>/", network_views.nomination_decide, name="nomination_decide"
    ),
    path("champions/badges/award/", network_views.award_badge, name="award_badge"),
    path("champions/mentees/", mentoring_views.mentees, name="mentees"),
    path("champions/mentees/<int:pk>/", mentoring_views.mentee_detail, name="mentee_detail"),
    path("champions/mentees/<int:pk>/remove/", mentoring_views.mentee_remove, name="mentee_remove"),
    path("champions/<int:champion_id>/mentees/add/", mentoring_views.mentee_add, name="mentee_add"),
    path("champions/sessions/", mentoring_views.sessions, name="sessions"),
    path("champions/sessions/new/", mentoring_views.session_create, name="session_create"),
    path(
        "champions/office-hours/new/", mentoring_views.office_hours_new, name="office_hours_create"
    ),
    path("office-hours/", mentoring_views.office_hours_list, name="office_hours"),
    path(
        "office-hours/<int:pk>/book/",
        mentoring_views.office_hours_book_view,
        name="office_hours_book",
    ),
    path(
        "office-hours/<int:pk>/cancel/",
        mentoring_views.office_hours_cancel_view,
        name="office_hours_cancel",
    ),
    path("feedback/", feedback_views.queue, name="feedback_queue"),
    path("feedback/new/", feedback_views.create, name="feedback_create"),
    path("feedback/mine/", feedback_views.mine, name="feedback_mine"),
    path("feedback/<int:pk>/", feedback_views.detail, name="feedback_detail"),
    path("feedback/<int:pk>/answer/", feedback_views.answer, name="feedback_answer"),
    path("feedback/<int:pk>/escalate/", feedback_views.escalate, name="feedback_escalate"),
    path("feedback/<int:pk>/status/", feedback_views.set_status, name="feedback_status"),
    path(
        "services/<slug:slug>/you-said-we-did/",
        feedback_views.service_you_said_we_did,
        name="you_said_we_did",
    ),
]

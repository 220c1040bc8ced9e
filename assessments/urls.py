from django.urls import path

from .views import quizzes as quiz_views

app_name = "assessments"

# Quizzes
urlpatterns: list = [
    path("quizzes/<int:quiz_id>/", quiz_views.quiz_start, name="quiz_start"),
    path("quiz-attempts/<int:attempt_id>/", quiz_views.attempt_page, name="attempt"),
    path(
        "quiz-attempts/<int:attempt_id>/result/",
        quiz_views.attempt_result,
        name="attempt_result",
    ),
]

# Certificates and self-assessment
from .views import certificates as certificate_views  # noqa: E402
from .views import selfassessment as selfassessment_views  # noqa: E402

urlpatterns += [
    path(
        "certificates/<int:pk>/download/",
        certificate_views.certificate_download,
        name="certificate_download",
    ),
    path(
        "certificates/verify/<str:code>/",
        certificate_views.certificate_verify,
        name="certificate_verify",
    ),
    path("certificates/", certificate_views.certificate_list, name="certificate_list"),
    path(
        "certificates/<int:pk>/revoke/",
        certificate_views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("certificates/packs/", certificate_views.certificate_exports, name="certificate_exports"),
    path(
        "certificates/packs/<uuid:token>/download/",
        certificate_views.certificate_export_download,
        name="certificate_export_download",
    ),
    path("skills-check/", selfassessment_views.self_assessment, name="self_assessment"),
    path(
        "skills-check/step/<int:number>/",
        selfassessment_views.self_assessment_step,
        name="self_assessment_step",
    ),
    path(
        "skills-check/results/<int:pk>/",
        selfassessment_views.self_assessment_result,
        name="self_assessment_result",
    ),
    path("skills-check/overview/", selfassessment_views.skills_overview, name="skills_overview"),
    path("skills-check/people/", selfassessment_views.skills_people, name="skills_people"),
]

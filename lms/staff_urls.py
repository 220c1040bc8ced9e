"""Staff-site URLs of the organisation core and HR (namespace ``lms``)."""

from django.urls import path

from .hr import views

app_name = "lms"

urlpatterns = [
    path("hr/compliance/", views.compliance_report, name="compliance_report"),
    path("my-team/", views.my_team, name="my_team"),
]

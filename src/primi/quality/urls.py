"""The quality pages: the regional dashboard, country scorecards and their PDF reports."""

from django.urls import path

from primi.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:country>/", views.scorecard, name="scorecard"),
    path("<str:country>/report.pdf", views.report, name="report"),
]

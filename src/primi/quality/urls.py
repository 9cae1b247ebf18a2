"""The quality pages: the regional dashboard, country scorecards and their PDF reports."""

from django.urls import path

from primi.quality import finding_views, views

app_name = "quality"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "findings/<int:finding_id>/",
        finding_views.finding_figures_page,
        name="finding_figures",
    ),
    path("<str:country>/", views.scorecard, name="scorecard"),
    path("<str:country>/report.pdf", views.report, name="report"),
]

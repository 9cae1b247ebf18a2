"""The quality pages for coordinators and stewards: the regional dashboard and country scorecards."""

from django.urls import path

from primi.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]

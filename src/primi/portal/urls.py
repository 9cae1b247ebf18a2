"""Public pages."""

from django.urls import path

from primi.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
]

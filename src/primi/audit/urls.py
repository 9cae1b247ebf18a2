"""Pages of primi.audit, under the language prefix."""

from django.urls import path

from primi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("export.csv", views.export, name="export"),
]

"""Pages of primi.findings, under the language prefix."""

from django.urls import path  # noqa: F401 - the app adds its pages here

app_name = "findings"
urlpatterns: list = []

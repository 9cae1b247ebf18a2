"""Pages of primi.sandbox, under the language prefix."""

from django.urls import path

app_name = "sandbox"
urlpatterns: list = []

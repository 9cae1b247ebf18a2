"""Unprefixed operational URLs: /health, for load balancers and monitoring."""

from django.urls import path

from primi.operations import views

app_name = "operations"
urlpatterns = [path("health", views.health_view, name="health")]

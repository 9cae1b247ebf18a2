"""Unprefixed operational URLs (the health endpoint)."""

app_name = "operations"
urlpatterns: list = []

"""SDMX-REST data queries (1.5 and 2.x paths)."""

urlpatterns: list = []

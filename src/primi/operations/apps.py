"""Operations: what a ministry needs to run PRIMI in production without losing a figure."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "primi.operations"
    label = "operations"
    default_auto_field = "django.db.models.BigAutoField"
